// Resolving the keys a snapshot names to rows, inside the write's transaction. A key that names
// nothing is a ValidationError on the field that named it.
import type { SourceKind } from "../generated/prisma/enums.js";
import { parsePartialDate, type PartialDate } from "../partial-date.js";
import { ValidationError } from "../errors.js";
import { Prisma } from "../generated/prisma/client.js";
import { txQuery } from "../db/transaction.js";
import type { Tx } from "./record.js";
import { quoteProblem } from "./rules.js";

export interface SourceRow {
  id: number;
  key: string;
  kind: SourceKind;
  body: string;
}

/** Keys a snapshot names, each with the field that names it. */
export interface Wanted {
  /** A relationship type, which must exist. */
  type?: [field: string, key: string];
  entities?: [field: string, key: string][];
  source?: [field: string, key: string];
}

export interface Resolved {
  /** Entity ids by the field that named them. */
  entityIds: Map<string, number>;
  source: SourceRow | null;
}

/**
 * The rows the keys of a snapshot name, in one statement (each was a Prisma query of its own, at
 * about 300 µs of CPU each beyond the statement's). The first key that names nothing, in the order
 * type, entities, source, is a ValidationError on its field.
 */
export async function resolveReferences(tx: Tx, wanted: Wanted): Promise<Resolved> {
  const entityKeys = (wanted.entities ?? []).map(([, key]) => key);
  const [row] = await txQuery<{ entities: Record<string, number> | null; source: SourceRow | null; type: boolean }>(
    tx,
    Prisma.sql`
    SELECT (SELECT jsonb_object_agg(e.key, e.id) FROM "Entity" e WHERE e.key = ANY(${entityKeys}::text[])) AS entities,
      (SELECT jsonb_build_object('id', s.id, 'key', s.key, 'kind', s.kind, 'body', s.body)
        FROM "Source" s WHERE s.key = ${wanted.source?.[1] ?? null}::text) AS source,
      EXISTS (SELECT 1 FROM "RelationType" t WHERE t.key = ${wanted.type?.[1] ?? null}::text) AS type`,
  );
  if (wanted.type && !row!.type) {
    const [field, key] = wanted.type;
    throw ValidationError.at([field], `Unknown relationship type "${key}"; the field relationTypes lists them.`);
  }
  const entityIds = new Map<string, number>();
  for (const [field, key] of wanted.entities ?? []) {
    const id = row!.entities?.[key];
    if (id === undefined) throw ValidationError.at([field], `No entity has the key "${key}".`);
    entityIds.set(field, id);
  }
  if (wanted.source && !row!.source) {
    throw ValidationError.at([wanted.source[0]], `No source has the key "${wanted.source[1]}".`);
  }
  return { entityIds, source: row!.source };
}

export async function entityId(tx: Tx, key: string, field: string): Promise<number> {
  return (await resolveReferences(tx, { entities: [[field, key]] })).entityIds.get(field)!;
}

export async function source(tx: Tx, key: string, field = "source"): Promise<SourceRow> {
  return (await resolveReferences(tx, { source: [field, key] })).source!;
}

/** The quote rule (src/writes/rules.ts) as a write error. */
export function checkQuote(source: SourceRow, quote: string, field = "quote"): void {
  const problem = quoteProblem(source, quote);
  if (problem) throw ValidationError.at([field], `Quote ${problem}.`);
}

export function dateOf(text: string | null, ...path: string[]): PartialDate | null {
  if (text === null) return null;
  const parsed = parsePartialDate(text);
  if (!parsed) throw ValidationError.at(path, `Expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${text}".`);
  return parsed;
}
