// A record kind knows how to read one kind of row as a JSON snapshot and how to make the database
// match a snapshot. Every write, its history and its revert go through these four operations, so
// a snapshot names other records by key (never by row id) and stays meaningful after a re-create.
import { Prisma, type Change } from "../generated/prisma/client.js";
import { txQuery } from "../db/transaction.js";

export type Tx = Prisma.TransactionClient;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Snapshot = { [key: string]: Json };

export interface RecordKind<S extends Snapshot> {
  /** The type name in the history (`Change.targetType`), e.g. "Relationship". */
  readonly type: string;
  keyOf(snapshot: S): string;
  /** Keys of the entities a record concerns; the history of those entities lists its changes. */
  entityKeys(snapshot: S): string[];
  read(tx: Tx, key: string): Promise<S | null>;
  /** The records of `keys` that exist, by key: how bulk writes (import, ingest) read before and after. */
  readMany(tx: Tx, keys: readonly string[]): Promise<Map<string, S>>;
  /**
   * For the kinds a bulk write creates by the hundred thousand: their snapshots built in SQL, rows of
   * (key, snapshot jsonb, "entityKeys" text[]) for the keys in `keys` (a text[] expression), or for
   * every record of the kind when `keys` is null. Their `readMany` runs it, and a bulk write's history
   * inserts the Changes of records it created from it, without the rows leaving the database.
   */
  readonly snapshotsSql?: (keys: Prisma.Sql | null) => Prisma.Sql;
  /** Inserts the record; a reference that does not resolve is a ValidationError on its field. */
  create(tx: Tx, snapshot: S): Promise<void>;
  /**
   * Makes the record `key` (as `current` shows it) match `next`. Returns the record as it is now when
   * the update read it back itself (a statement fewer), with the history's row when its statement also
   * inserted that (`recordChange`, another statement fewer); otherwise the batch reads and records it.
   */
  update(
    tx: Tx,
    key: string,
    current: S,
    next: S,
    recordChange: ChangeInsert,
    // biome-ignore lint/suspicious/noConfusingVoidType: the kinds that do not read it back return nothing.
  ): Promise<Updated<S> | void>;
  /** Deletes the record; a ConflictError while other records still depend on it. */
  delete(tx: Tx, key: string): Promise<void>;
}

/**
 * The statement part that inserts an update's `Change` row, for a kind to end its own update with:
 * `INSERT INTO "Change" ... SELECT ... FROM <from> RETURNING <the row as Prisma types it>`, the record
 * after being `after`, a jsonb expression over `from` (e.g. a CTE of the updated row's snapshot).
 * Everything else in the row (who, when, the batch, the record before, the entities concerned) is the
 * batch's, as for every other change.
 */
export type ChangeInsert = (from: Prisma.Sql, after: Prisma.Sql) => Prisma.Sql;

/** What an update that read its record back returns. */
export interface Updated<S extends Snapshot> {
  after: S;
  /** The history's row, when the update's statement inserted it (`ChangeInsert`). */
  change: Change | null;
  /**
   * The record's table row as the update left it, typed as the SQL reader types that table's rows:
   * what a mutation answers with, instead of reading it again after the commit.
   */
  row?: object;
}

/** A `ChangeInsert`'s row as `to_jsonb` gives it: the row as Prisma types it, `at` a Date at UTC. */
export function changeFromJson(json: Omit<Change, "at"> & { at: string }): Change {
  return { ...json, at: new Date(`${json.at}Z`) };
}

/** What a kind defines: how it reads its records, either by its own `readMany` or as `snapshotsSql`. */
type RecordKindDefinition<S extends Snapshot> = Omit<RecordKind<S>, "read" | "readMany" | "snapshotsSql"> &
  (
    | Pick<RecordKind<S>, "readMany">
    | { readonly snapshotsSql: NonNullable<RecordKind<S>["snapshotsSql"]>; readMany?: never }
  );

/**
 * A record kind whose `read` is `readMany` of one key, and whose `readMany`, when it builds its
 * snapshots in SQL, parses `snapshotsSql`: one way to read each kind of record.
 */
export function defineRecordKind<S extends Snapshot>(kind: RecordKindDefinition<S>): RecordKind<S> {
  const readMany: RecordKind<S>["readMany"] =
    "snapshotsSql" in kind
      ? (tx, keys) => readSnapshots<S>(tx, kind.snapshotsSql(Prisma.sql`${[...keys]}::text[]`))
      : kind.readMany;
  return { ...kind, readMany, read: async (tx, key) => (await readMany(tx, [key])).get(key) ?? null };
}

/** A JSON text with object keys sorted, so that equal snapshots compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function sameSnapshot(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function isJsonObject(value: unknown): value is { [key: string]: Json } {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/**
 * A partial date column of the row `alias` as its snapshot text, by its precision column (no
 * precision is a day), as src/partial-date.ts's formatPartialDate writes it.
 */
export const partialDateSql = (alias: string, date: string, precision: string) =>
  Prisma.raw(`CASE WHEN ${alias}."${date}" IS NULL THEN NULL WHEN ${alias}."${precision}" = 'YEAR' THEN to_char(${alias}."${date}", 'YYYY')
    WHEN ${alias}."${precision}" = 'MONTH' THEN to_char(${alias}."${date}", 'YYYY-MM') ELSE to_char(${alias}."${date}", 'YYYY-MM-DD') END`);

/** `readMany` of a kind whose snapshots are built in SQL (`snapshotsSql`). */
async function readSnapshots<S extends Snapshot>(tx: Tx, sql: Prisma.Sql): Promise<Map<string, S>> {
  const rows = await txQuery<{ key: string; snapshot: string }>(
    tx,
    Prisma.sql`SELECT s.key, s.snapshot::text AS snapshot FROM (${sql}) s`,
  );
  return new Map(rows.map((row) => [row.key, JSON.parse(row.snapshot) as S]));
}
