// Hand-written read SQL (edge pages, neighbourhoods, paths, search, name lookups) sent straight to the
// driver. Prisma's `$queryRaw` runs each statement through its query compiler and re-types every
// value of every row; on the benchmark's traversal that was about 2 ms of server CPU per hundred
// rows, more than the statement itself took in PostgreSQL. Writes stay on Prisma, in its transactions.
import type pg from "pg";
import type { PGlite } from "@electric-sql/pglite";
import { Prisma } from "../generated/prisma/client.js";
import { deadlineError } from "../errors.js";

export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection (PostgreSQL server only), so that repeats skip
   * parsing and, once PostgreSQL settles on a generic plan, planning. For the hot fixed-shape
   * statements whose best plan does not depend on the values (index walks from given ids); not for
   * those whose plan should (search terms, thresholds).
   */
  prepare?: boolean;
}

/** Rows as arrays of values, in the order of `columns`: for wide rows that are split into objects. */
export interface Table {
  columns: string[];
  rows: unknown[][];
}

export interface SqlReader {
  /** Runs one read statement outside any transaction; rows typed as `$queryRaw` would type them. */
  query<Row>(sql: Prisma.Sql, options?: QueryOptions): Promise<Row[]>;
  /** The same, rows as arrays: the driver builds no object per row. */
  table(sql: Prisma.Sql, options?: QueryOptions): Promise<Table>;
}

// Values come back as Prisma's `$queryRaw` returns them, whatever the driver: `date` and `timestamp`
// columns (stored as UTC by Prisma) as Dates at UTC, `bigint` as BigInt. JSON is parsed by both drivers.
export const readerParsers: Record<number, (text: string) => unknown> = {
  20: (text) => BigInt(text),
  1082: utcDate,
  1114: utcTimestamp,
  1184: (text) => new Date(text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")),
};

const digits = (text: string, from: number, to: number) => {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
};

/**
 * `2026-11-23` (a date, as PostgreSQL prints it) as midnight UTC, from its digits: three times as
 * fast as parsing the text, and a list of observations carries two a row. Anything unusual (years
 * before 100, BC, infinity) goes to Date's parser.
 */
function utcDate(text: string): Date {
  const year = digits(text, 0, 4);
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || year < 100)
    return new Date(`${text}T00:00:00Z`);
  return new Date(Date.UTC(year, digits(text, 5, 7) - 1, digits(text, 8, 10)));
}

/**
 * `2026-11-23 11:35:49.123456` (a timestamp without time zone, as PostgreSQL prints it) as that
 * instant at UTC, to the millisecond as Date parsing gives it, at twice its speed: every entity row
 * carries two. Anything unusual (years before 100, BC, infinity) goes to Date's parser.
 */
function utcTimestamp(text: string): Date {
  const year = digits(text, 0, 4);
  if (text.length < 19 || text.length > 26 || text.charCodeAt(10) !== 32 || year < 100)
    return new Date(`${text.replace(" ", "T")}Z`);
  const fraction = text.slice(20, 23);
  const milliseconds = fraction ? digits(fraction, 0, fraction.length) * 10 ** (3 - fraction.length) : 0;
  return new Date(
    Date.UTC(
      year,
      digits(text, 5, 7) - 1,
      digits(text, 8, 10),
      digits(text, 11, 13),
      digits(text, 14, 16),
      digits(text, 17, 19),
      milliseconds,
    ),
  );
}

// A Date parameter is sent as its UTC instant, as Prisma sends it; pg would send local time.
export const driverParameters = (values: unknown[]) =>
  values.map((value) => (value instanceof Date ? value.toISOString() : value));

/** The connections a reader sends its statements on: prepared ones on `prepared` (see `preparedPoolOptions`). */
export interface ReaderPools {
  pool: pg.Pool;
  prepared: pg.Pool;
}

/**
 * Connections for prepared statements: PostgreSQL re-plans a prepared statement on every execution
 * while it estimates a plan for the given values cheaper than its generic one, and a page around one
 * anchor always looks cheaper (it knows the array holds one id). Planning cost more than executing
 * on the benchmark's traversal (0.6 ms of 1.5 for its two-level statement). A statement is prepared
 * only when its best plan does not depend on the values, so one generic plan per statement is right;
 * Prisma's and the reader's other statements, whose plans should follow the values, keep their
 * connections, where this setting would reach them too.
 *
 * JIT compilation is off on these connections: a generic plan is costed for any values, and on a large
 * graph that estimate passes jit_above_cost although the statement walks a few index entries. At 10M
 * relationships a shortest-path round then spent 35 ms compiling 60 functions to run for 0.5 ms, on
 * every execution (docs/performance.md, "Ten times the graph"). These statements are all bounded by
 * index walks; none runs long enough for compiled expressions to pay back their compilation.
 */
export function preparedPoolOptions(connectionString: string): pg.PoolConfig {
  const given = new URL(connectionString).searchParams.get("options");
  const settings = "-c plan_cache_mode=force_generic_plan -c jit=off";
  return { connectionString, options: [given, settings].filter(Boolean).join(" ") };
}

/** node-postgres's parsers for rows typed as `$queryRaw` types them: `readerParsers`, else `driverTypes` (pg.types). */
export function readerTypes(driverTypes: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      readerParsers[oid] ?? driverTypes.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
}

/** The reader on node-postgres. */
export function pgReader(
  { pool, prepared }: ReaderPools,
  driverTypes: typeof pg.types,
  onQuery?: (sql: string) => void,
): SqlReader {
  const types = readerTypes(driverTypes);
  // node-postgres prepares a named statement once per connection; the name stands for the text.
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `reader_${names.size + 1}`));
    return name;
  };
  const config = (sql: Prisma.Sql, options: QueryOptions | undefined) => {
    // `text` joins the statement's parts anew at every read: a union of pointed rows is kilobytes.
    const text = sql.text;
    onQuery?.(text);
    return {
      name: options?.prepare ? nameOf(text) : undefined,
      text,
      values: driverParameters(sql.values),
      types,
    };
  };
  const poolFor = (options: QueryOptions | undefined) => (options?.prepare ? prepared : pool);
  return {
    async query<Row>(sql: Prisma.Sql, options?: QueryOptions) {
      return (await poolFor(options).query(config(sql, options))).rows as Row[];
    },
    async table(sql: Prisma.Sql, options?: QueryOptions) {
      const result = await poolFor(options).query({ ...config(sql, options), rowMode: "array" });
      return { columns: result.fields.map((field) => field.name), rows: result.rows };
    },
  };
}

export function pgliteReader(pglite: PGlite, onQuery?: (sql: string) => void): SqlReader {
  return {
    async query<Row>(sql: Prisma.Sql) {
      onQuery?.(sql.text);
      const result = await pglite.query<Row>(sql.text, driverParameters(sql.values), { parsers: readerParsers });
      return result.rows;
    },
    async table(sql: Prisma.Sql) {
      onQuery?.(sql.text);
      const result = await pglite.query<unknown[]>(sql.text, driverParameters(sql.values), {
        parsers: readerParsers,
        rowMode: "array",
      });
      return { columns: result.fields.map((field) => field.name), rows: result.rows };
    },
  };
}

/**
 * Rows of `table` whose `column` is one of `values`, in one prepared statement: the hottest reads of
 * all (entities, sources and relation types by id or key), where Prisma's compilation of each query
 * cost more than PostgreSQL's answer. Whole rows, or only `columns`.
 */
export function readRows<Row>(
  sql: SqlReader,
  table: Prisma.ModelName,
  column: string,
  values: readonly (number | string)[],
  type: "int" | "text",
  columns?: readonly string[],
): Promise<Row[]> {
  return sql.query<Row>(rowsWhereSql(table, column, values, type, columns), { prepare: true });
}

/** The statement `readRows` sends: the rows of `table` whose `column` is one of `values`. */
export function rowsWhereSql(
  table: Prisma.ModelName,
  column: string,
  values: readonly (number | string)[],
  type: "int" | "text",
  columns?: readonly string[],
): Prisma.Sql {
  const listed = Prisma.raw(columns ? columns.map((name) => `"${name}"`).join(", ") : "*");
  return Prisma.sql`SELECT ${listed} FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${column}"`)} = ANY(${[...values]}::${Prisma.raw(type)}[])`;
}

/** When a request must be done by (epoch ms), and the limit that set it; `at` null: no deadline. */
export interface Deadline {
  at: number | null;
  timeoutMs: number;
}

/**
 * The reader for one request: past its deadline, no further statement is sent. The clock is read
 * before each statement rather than a timer armed: PGlite answers a statement without yielding to
 * timers, and an AbortSignal through the executor cost a quarter of a small request's CPU. Statements
 * sent through Prisma are not checked; each of them is bounded by `statement_timeout`.
 */
const origin = Symbol("origin");

/** The database's own reader behind a request's (per-process state such as the search index keys on it). */
export function originOf(reader: SqlReader): SqlReader {
  return (reader as { [origin]?: SqlReader })[origin] ?? reader;
}

export function readerWithDeadline(reader: SqlReader, deadline: Deadline): SqlReader {
  const check = () => {
    if (deadline.at !== null && Date.now() > deadline.at) throw deadlineError(deadline.timeoutMs);
  };
  const wrapped: SqlReader & { [origin]: SqlReader } = {
    [origin]: originOf(reader),
    query(sql, options) {
      check();
      return reader.query(sql, options);
    },
    table(sql, options) {
      check();
      return reader.table(sql, options);
    },
  };
  return wrapped;
}
