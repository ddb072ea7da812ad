// Dates as sources give them: a year, a month or a day, never padded into false precision.
import type { DatePrecision } from "./generated/prisma/enums.js";

export interface PartialDate {
  date: Date;
  precision: DatePrecision;
}

const partialDatePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The day at midnight UTC, or null when there is no such day. Checked by arithmetic, not by reading
 * the Date back (a bulk import parses a few hundred thousand). Years before 100 are refused, as
 * they always were: Date.UTC reads 0 to 99 as 1900 to 1999.
 */
function utc(year: number, month: number, day: number): Date | null {
  if (year < 100 || month < 1 || month > 12 || day < 1) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > monthDays[month - 1]! + (leap ? 1 : 0)) return null;
  return new Date(Date.UTC(year, month - 1, day));
}

/** "2025", "2025-07" or "2025-07-25"; null when the text is none of these or not a real date. */
export function parsePartialDate(text: string): PartialDate | null {
  const match = partialDatePattern.exec(text);
  if (!match) return null;
  const [, year, month, day] = match;
  const date = utc(Number(year), Number(month ?? 1), Number(day ?? 1));
  if (!date) return null;
  return { date, precision: day ? "DAY" : month ? "MONTH" : "YEAR" };
}

/**
 * `YYYY-MM-DD` of a date at UTC, as `date.toISOString().slice(0, 10)` gives it, at about a seventh of
 * its cost: a list of 635 observations answers 1,270 of them (docs/performance.md, "fifth pass").
 * Years outside 1000 to 9999 (and invalid dates, which throw) go through `toISOString` itself.
 */
export function isoDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString().slice(0, 10);
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  return `${year}${month < 10 ? "-0" : "-"}${month}${day < 10 ? "-0" : "-"}${day}`;
}

export function formatPartialDate({ date, precision }: PartialDate): string {
  const iso = isoDate(date);
  return precision === "YEAR" ? iso.slice(0, 4) : precision === "MONTH" ? iso.slice(0, 7) : iso;
}

/** Combines a stored date column with its precision column; null when the date is unknown. */
export function partialDate(date: Date | null, precision: DatePrecision | null): PartialDate | null {
  return date ? { date, precision: precision ?? "DAY" } : null;
}

export interface Period {
  start: Date;
  end: Date;
}

/** A reporting period: "2025", "2025-H1", "2025-Q3", "2025-07" or a single day. End is inclusive. */
export function parsePeriod(text: string): Period | null {
  const split = /^(\d{4})-(H|Q)([1-4])$/.exec(text);
  if (split) {
    const [, yearText, unit, indexText] = split;
    const year = Number(yearText);
    const index = Number(indexText);
    const months = unit === "H" ? 6 : 3;
    if (unit === "H" && index > 2) return null;
    const start = utc(year, (index - 1) * months + 1, 1)!;
    const end = new Date(Date.UTC(year, index * months, 0));
    return { start, end };
  }
  const partial = parsePartialDate(text);
  if (!partial) return null;
  const { date, precision } = partial;
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const end =
    precision === "YEAR"
      ? new Date(Date.UTC(y, 12, 0))
      : precision === "MONTH"
        ? new Date(Date.UTC(y, m + 1, 0))
        : date;
  return { start: date, end };
}
