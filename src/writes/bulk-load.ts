// First loads: a large bulk write into a table that held no rows when its transaction began builds
// the table's secondary indexes and checks its foreign keys once, after the rows are in, instead of
// row by row, as pg_restore does. A row inserted into a table with four secondary btrees and four
// foreign keys costs eight random index visits (the keys' lookups lock the rows they find); building
// each index from the finished table is one sort, and adding a foreign key back validates every row
// with one join. On 100,000 relationships that was 10.3 s against 2.4 s (docs/performance.md).
//
// Nothing is weakened: the indexes are rebuilt from their own definitions and the foreign keys
// re-added from theirs, which checks every row, all in the write's transaction, so a failure
// anywhere still leaves the database as it was, indexes and constraints included. Unique indexes
// (and so the primary and natural keys the writer matches rows by) are never dropped.
//
// What it costs: dropping an index or a constraint takes its table's exclusive lock until the
// transaction ends. That is why only tables empty before the write qualify, and a foreign key only
// when the table it points to was empty too: a query waits for the first load to commit where it
// would have found nothing, and no table that held rows before is ever locked against readers.
import { Prisma } from "../generated/prisma/client.js";

type Tx = Prisma.TransactionClient;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Rows from which a first load defers its table's indexes and foreign keys; below it the DDL would cost more than it saves. */
export const deferFrom = 10_000;

// Per transaction: the tables found empty, and those found holding rows, when first asked about.
const noted = new WeakMap<Tx, Map<string, boolean>>();

/**
 * Notes which of `tables` hold no rows, in one statement; tables already noted in this transaction
 * keep what was noted first. Call it before the transaction writes to any of them.
 */
export async function noteEmptyTables(tx: Tx, tables: readonly string[]): Promise<void> {
  let known = noted.get(tx);
  if (!known) noted.set(tx, (known = new Map()));
  const asked = [...new Set(tables)].filter((table) => !known.has(table));
  if (!asked.length) return;
  // As JSON text: PGlite's Prisma adapter reads no boolean[].
  const [row] = await tx.$queryRaw<{ empty: string }[]>`
    SELECT json_build_array(${Prisma.join(asked.map((table) => Prisma.raw(`NOT EXISTS (SELECT 1 FROM ${quote(table)})`)))})::text AS empty`;
  const empty = JSON.parse(row!.empty) as boolean[];
  for (const [i, table] of asked.entries()) known.set(table, empty[i]!);
}

/** True when `table` was noted empty in this transaction (so every row in it is this transaction's). */
export function wasEmpty(tx: Tx, table: string): boolean {
  return noted.get(tx)?.get(table) === true;
}

interface Deferred {
  indexes: { name: string; definition: string }[];
  foreignKeys: { name: string; definition: string }[];
}

/** The table's non-unique indexes, and its foreign keys to tables noted empty (itself included). */
async function deferrable(tx: Tx, table: string): Promise<Deferred> {
  const relation = quote(table);
  const indexes = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT c.relname::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${relation}::regclass AND NOT i.indisunique AND NOT i.indisprimary
    ORDER BY c.relname`;
  const keys = await tx.$queryRaw<{ name: string; target: string; definition: string }[]>`
    SELECT conname::text AS name, confrelid::regclass::text AS target, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE conrelid = ${relation}::regclass AND contype = 'f'
    ORDER BY conname`;
  // regclass prints a name quoted when it needs quoting: "Entity".
  const unquoted = (name: string) => name.replace(/^"(.*)"$/, "$1").replace(/""/g, '"');
  return { indexes, foreignKeys: keys.filter((key) => wasEmpty(tx, unquoted(key.target))) };
}

/**
 * Runs `write`, which adds `rows` rows to `table`; when the table was noted empty and the rows are
 * many, with the table's secondary indexes and its foreign keys to empty tables dropped around it,
 * then rebuilt and re-validated.
 */
export async function withDeferredIndexes<T>(tx: Tx, table: string, rows: number, write: () => Promise<T>): Promise<T> {
  if (rows < deferFrom || !wasEmpty(tx, table)) return write();
  const relation = quote(table);
  const deferred = await deferrable(tx, table);
  if (deferred.foreignKeys.length)
    await tx.$executeRawUnsafe(
      `ALTER TABLE ${relation} ${deferred.foreignKeys.map((key) => `DROP CONSTRAINT ${quote(key.name)}`).join(", ")}`,
    );
  if (deferred.indexes.length)
    await tx.$executeRawUnsafe(`DROP INDEX ${deferred.indexes.map((index) => quote(index.name)).join(", ")}`);
  const result = await write();
  for (const { definition } of deferred.indexes) await tx.$executeRawUnsafe(definition);
  if (deferred.foreignKeys.length)
    await tx.$executeRawUnsafe(
      `ALTER TABLE ${relation} ${deferred.foreignKeys.map((key) => `ADD CONSTRAINT ${quote(key.name)} ${key.definition}`).join(", ")}`,
    );
  return result;
}
