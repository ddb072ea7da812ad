// Partial dates are checked by arithmetic (src/partial-date.ts): the same days are real, and the
// same Dates made, as when each was made and read back, over centuries, leap years and bad parts.
import { describe, expect, it } from "vitest";
import { parsePartialDate, parsePeriod } from "../../src/partial-date.js";

/** What the check was: make the Date, read it back, keep it only when it is the day asked for. */
function readBack(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date : null;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const years = [0, 1, 4, 99, 100, 104, 400, 1582, 1600, 1700, 1899, 1900, 1999, 2000, 2024, 2025, 2100, 2400, 9999];

describe("partial dates", () => {
  it("accepts and makes exactly the days that exist", () => {
    for (const year of years)
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const expected = readBack(year, month, day);
          expect(parsePartialDate(text), text).toEqual(expected ? { date: expected, precision: "DAY" } : null);
        }
  });

  it("takes a year or a month as its first day, and periods as before", () => {
    for (const year of years) {
      const first = readBack(year, 1, 1);
      expect(parsePartialDate(pad(year, 4))).toEqual(first ? { date: first, precision: "YEAR" } : null);
      for (let month = 0; month <= 13; month++) {
        const date = readBack(year, month, 1);
        expect(parsePartialDate(`${pad(year, 4)}-${pad(month, 2)}`)).toEqual(
          date ? { date, precision: "MONTH" } : null,
        );
      }
    }
    expect(parsePeriod("2024-02")).toEqual({ start: new Date("2024-02-01"), end: new Date("2024-02-29") });
    expect(parsePeriod("2025-H2")).toEqual({ start: new Date("2025-07-01"), end: new Date("2025-12-31") });
    expect(parsePeriod("2025-Q1")).toEqual({ start: new Date("2025-01-01"), end: new Date("2025-03-31") });
    expect(parsePeriod("2025-H3")).toBeNull();
    expect(parsePeriod("0099")).toBeNull();
  });
});
