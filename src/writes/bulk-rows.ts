// The one writer of rows in bulk (bundle imports, the seed, the generator, the history of bulk
// writes): batched reads and writes of one table, matched by a key column, never a statement per
// row. Rows travel as text by COPY (src/db/transaction.ts: the transaction must be a connectedTransaction):
// new rows with no id to hand back straight into their table, the others into a temporary staging
// table, merged from there with one INSERT ... SELECT ... RETURNING or UPDATE ... FROM per batch,
// cast in SQL, so the same statements run on PGlite and PostgreSQL. COPY skips what made batched
// INSERTs slow: every value a bound parameter that Prisma serialises.
import { copyChannel } from "../db/transaction.js";
import { Prisma } from "../generated/prisma/client.js";

/** A column's SQL type; enum types are quoted names (`"EntityKind"`). Each table's are in src/writes/rows.ts. */
export type ColumnType = "text" | "text[]" | "uuid" | "int" | "float8" | "boolean" | "date" | "jsonb" | `"${string}"`;

export interface Column {
  name: string;
  type: ColumnType;
  /** Written when a new row leaves the field out (else null). */
  default?: Value;
  /** The same value in every row inserted: sent once, not once per row (the generator's provenance). */
  fixed?: Value;
}

export interface TableSpec {
  table: string;
  key: Column;
  columns: Column[];
  /** The table has a serial `id` to hand back (every table but PolicyDetail). */
  hasId: boolean;
  /** Set "updatedAt" to now() on insert and update (Prisma's @updatedAt has no database default). */
  touchesUpdatedAt?: boolean;
}

/** A column value as the database's JSON renders it: dates as "YYYY-MM-DD", jsonb as JSON. */
export type Value = string | number | boolean | null | { [key: string]: unknown } | unknown[];
export type Key = string | number;

export interface StoredRow {
  id: number | null;
  values: Record<string, unknown>;
}

export const batchSize = 5000;

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
const ident = (name: string) => Prisma.raw(quoted(name));

function asText(value: Value | undefined, type: ColumnType): string | null {
  if (value === null || value === undefined) return null;
  if (type === "jsonb") return JSON.stringify(value);
  // An array literal, every element quoted, so commas, braces and spaces stay inside it.
  if (type === "text[]")
    return `{${(value as unknown[]).map((item) => `"${String(item).replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
  return String(value);
}

const cast = (column: Column) => Prisma.raw(`::${column.type}`);

export async function selectByKeys(
  tx: Prisma.TransactionClient,
  spec: TableSpec,
  keys: Key[],
): Promise<Map<Key, StoredRow>> {
  if (!keys.length) return new Map();
  const fields = [spec.key, ...spec.columns].flatMap((column) => [
    Prisma.sql`${column.name}::text`,
    Prisma.sql`t.${ident(column.name)}`,
  ]);
  const id = spec.hasId ? Prisma.sql`'__id'::text, t.id, ` : Prisma.empty;
  const rows = await tx.$queryRaw<{ row: string }[]>`
    SELECT json_build_object(${id}${Prisma.join(fields)})::text AS row
    FROM ${ident(spec.table)} t WHERE t.${ident(spec.key.name)} = ANY(${keys.map(String)}::text[]${cast(spec.key)}[])`;
  const found = new Map<Key, StoredRow>();
  for (const { row } of rows) {
    const values = JSON.parse(row) as Record<string, unknown>;
    found.set(values[spec.key.name] as Key, { id: spec.hasId ? (values.__id as number) : null, values });
  }
  return found;
}

// COPY's text format: \N is null; backslash, newline, carriage return and tab are escaped.
const copyEscapes: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const copyField = (text: string | null) =>
  text === null ? "\\N" : text.replace(/[\\\n\r\t]/g, (c) => copyEscapes[c]!);

// The staging tables of a transaction, by table and column list: created once (temporary, dropped
// at commit), emptied before each batch.
const stagingTables = new WeakMap<Prisma.TransactionClient, Map<string, string>>();

/** One column's field of a row in COPY's text format; the first column is the key. */
function fieldOf(
  column: Column,
  first: boolean,
): (row: { key: Key; values: Record<string, Value | undefined> }) => string {
  if (first) return (row) => copyField(String(row.key));
  const { name, type } = column;
  // As `column.fixed ?? row's value ?? default`: a fixed null gives way to the row's value.
  if (column.fixed !== undefined && column.fixed !== null) {
    const fixed = copyField(asText(column.fixed, type));
    return () => fixed;
  }
  const fallback = column.default ?? null;
  return (row) => copyField(asText(row.values[name] ?? fallback, type));
}

/** Rows in COPY's text format, each line's fields made by one function per column. */
function copyLines(
  columns: Column[],
  rows: { key: Key; values: Record<string, Value | undefined> }[],
  numbered: boolean,
): string {
  const fields = columns.map((column, i) => fieldOf(column, i === 0));
  let text = "";
  for (let n = 0; n < rows.length; n++) {
    const row = rows[n]!;
    let line = numbered ? `${n}\t${fields[0]!(row)}` : fields[0]!(row);
    for (let i = 1; i < fields.length; i++) line += `\t${fields[i]!(row)}`;
    text += `${line}\n`;
  }
  return text;
}

/**
 * Copies `rows` into a staging table of text columns (`n`, the row's place, then the key and the
 * columns not `fixed`), named in the returned SQL: the statements that follow cast them as the
 * table's columns, so one text form serves PGlite and PostgreSQL alike.
 */
async function stage(
  tx: Prisma.TransactionClient,
  spec: TableSpec,
  rows: { key: Key; values: Record<string, Value | undefined> }[],
): Promise<Prisma.Sql> {
  const columns = [spec.key, ...spec.columns.filter((column) => column.fixed === undefined)];
  const signature = `${spec.table}(${columns.map((column) => column.name).join(",")})`;
  let tables = stagingTables.get(tx);
  if (!tables) stagingTables.set(tx, (tables = new Map()));
  let name = tables.get(signature);
  if (name) await tx.$executeRawUnsafe(`TRUNCATE "${name}"`);
  else {
    name = `bulk_${tables.size}_${spec.table}`;
    const defined = columns.map((column) => `${quoted(column.name)} text`).join(", ");
    await tx.$executeRawUnsafe(`CREATE TEMP TABLE "${name}" (n int, ${defined}) ON COMMIT DROP`);
    tables.set(signature, name);
  }
  await copyChannel(tx)(`"${name}"`, copyLines(columns, rows, true));
  return ident(name);
}

/** Inserts new rows, in their order (ids follow it); returns the id of each key (for tables with ids). */
export async function insertRows(
  tx: Prisma.TransactionClient,
  spec: TableSpec,
  rows: { key: Key; values: Record<string, Value | undefined> }[],
): Promise<Map<Key, number>> {
  const ids = new Map<Key, number>();
  if (!rows.length) return ids;
  const columns = [spec.key, ...spec.columns];
  if (!spec.hasId && !spec.touchesUpdatedAt) {
    // No id to hand back and nothing for SQL to compute: COPY straight into the table, in order
    // (serial ids follow it), PostgreSQL parsing each text as its column's type.
    await copyChannel(tx)(
      `${quoted(spec.table)} (${columns.map((column) => quoted(column.name)).join(", ")})`,
      copyLines(columns, rows, false),
    );
    return ids;
  }
  const staged = await stage(tx, spec, rows);
  const names = columns.map((column) => ident(column.name));
  const selected = columns.map((column) =>
    column.fixed === undefined
      ? Prisma.sql`u.${ident(column.name)}${cast(column)}`
      : Prisma.sql`${asText(column.fixed, column.type)}${cast(column)}`,
  );
  if (spec.touchesUpdatedAt) {
    names.push(ident("updatedAt"));
    selected.push(Prisma.sql`now()`);
  }
  const insert = Prisma.sql`INSERT INTO ${ident(spec.table)} (${Prisma.join(names)}) SELECT ${Prisma.join(selected)} FROM ${staged} u ORDER BY u.n`;
  if (!spec.hasId) {
    await tx.$executeRaw(insert);
    return ids;
  }
  const returned = await tx.$queryRaw<
    { id: number; key: string }[]
  >`${insert} RETURNING id, ${ident(spec.key.name)}::text AS key`;
  // RETURNING promises no order: ids are matched back by key.
  for (const row of returned) ids.set(spec.key.type === "int" ? Number(row.key) : row.key, row.id);
  return ids;
}

/**
 * Inserts new rows given in batches, in their order, as one COPY straight into their table (the
 * batches made as the COPY takes them: `rows` may be lazy). For tables with no id to hand back and
 * nothing for SQL to compute; `onBatch` is told of each batch as it goes.
 */
export async function copyRows(
  tx: Prisma.TransactionClient,
  spec: TableSpec,
  batches: Iterable<{ key: Key; values: Record<string, Value | undefined> }[]>,
  onBatch?: (rows: number) => void,
): Promise<void> {
  if (spec.hasId || spec.touchesUpdatedAt) throw new Error(`copyRows: ${spec.table} has ids or computed columns.`);
  const columns = [spec.key, ...spec.columns];
  function* chunks() {
    for (const rows of batches) {
      if (!rows.length) continue;
      yield copyLines(columns, rows, false);
      onBatch?.(rows.length);
    }
  }
  await copyChannel(tx)(`${quoted(spec.table)} (${columns.map((column) => quoted(column.name)).join(", ")})`, chunks());
}

/** Overwrites every column of existing rows, matched by key. */
export async function updateRows(
  tx: Prisma.TransactionClient,
  spec: TableSpec,
  rows: { key: Key; values: Record<string, Value | undefined> }[],
): Promise<void> {
  if (!rows.length) return;
  const staged = await stage(tx, spec, rows);
  const sets = spec.columns.map((column) =>
    column.fixed === undefined
      ? Prisma.sql`${ident(column.name)} = u.${ident(column.name)}${cast(column)}`
      : Prisma.sql`${ident(column.name)} = ${asText(column.fixed, column.type)}${cast(column)}`,
  );
  if (spec.touchesUpdatedAt) sets.push(Prisma.sql`"updatedAt" = now()`);
  await tx.$executeRaw`
    UPDATE ${ident(spec.table)} AS t SET ${Prisma.join(sets)}
    FROM ${staged} u WHERE t.${ident(spec.key.name)} = u.${ident(spec.key.name)}${cast(spec.key)}`;
}

/** Ids of stored rows by key (for references to rows the bundle does not carry). */
export async function idsByKey(
  tx: Prisma.TransactionClient,
  table: string,
  keys: string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += batchSize) {
    const rows = await tx.$queryRaw<{ id: number; key: string }[]>`
      SELECT id, key FROM ${ident(table)} WHERE key = ANY(${unique.slice(i, i + batchSize)}::text[])`;
    for (const row of rows) ids.set(row.key, row.id);
  }
  return ids;
}
