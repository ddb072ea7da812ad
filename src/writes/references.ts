// Resolving the keys a snapshot names to rows, inside the write's transaction. A key that names
// nothing is a ValidationError on the field that named it.
import type { SourceKind } from "../generated/prisma/enums.js";
import { formatPartialDate, parsePartialDate, type PartialDate } from "../partial-date.js";
import { ValidationError } from "../errors.js";
import type { Tx } from "./record.js";
import { quoteProblem } from "./rules.js";

export async function entityId(tx: Tx, key: string, field: string): Promise<number> {
  const row = await tx.entity.findUnique({ where: { key }, select: { id: true } });
  if (!row) throw ValidationError.at([field], `No entity has the key "${key}".`);
  return row.id;
}

export interface SourceRow {
  id: number;
  key: string;
  kind: SourceKind;
  body: string;
}

export async function source(tx: Tx, key: string, field = "source"): Promise<SourceRow> {
  const row = await tx.source.findUnique({ where: { key }, select: { id: true, key: true, kind: true, body: true } });
  if (!row) throw ValidationError.at([field], `No source has the key "${key}".`);
  return row;
}

/** The quote rule (src/writes/rules.ts) as a write error. */
export function checkQuote(source: SourceRow, quote: string, field = "quote"): void {
  const problem = quoteProblem(source, quote);
  if (problem) throw ValidationError.at([field], `Quote ${problem}.`);
}

export async function relationType(tx: Tx, key: string, field = "type"): Promise<void> {
  if (!(await tx.relationType.findUnique({ where: { key }, select: { key: true } }))) {
    throw ValidationError.at([field], `Unknown relationship type "${key}"; the field relationTypes lists them.`);
  }
}

export function dateOf(text: string | null, ...path: string[]): PartialDate | null {
  if (text === null) return null;
  const parsed = parsePartialDate(text);
  if (!parsed) throw ValidationError.at(path, `Expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${text}".`);
  return parsed;
}

/** A stored date and its precision as the partial-date text snapshots hold. */
export function dateText(date: Date | null, precision: PartialDate["precision"] | null): string | null {
  return date ? formatPartialDate({ date, precision: precision ?? "DAY" }) : null;
}
