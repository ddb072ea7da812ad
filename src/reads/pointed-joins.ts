// Rows beneath a list read together with the rows they point at (an observation's entity and source),
// in one statement. Read apart, each pointed table was a statement of its own after the list's: on a
// page of rankings with their entries, four statements against PostGraphile's one, and a third of the
// server's CPU (docs/performance.md, "Every shape, third pass"). Each pointed row comes once, however
// many rows point at it: joined beside every row, a source's article text would come once per row.
import { Prisma } from "../generated/prisma/client.js";
import type { QueryOptions, SqlReader, Table } from "../db/sql-reader.js";

/**
 * Tables whose rows the items of a list point at (an observation's entity, indicator and source, an
 * entry's ranking, a relationship's type), with the type of the key they are pointed at by.
 */
export interface PointedKeys {
  Entity: number;
  Indicator: number;
  Source: number;
  Ranking: number;
  RelationType: string;
}
export type PointedTable = keyof PointedKeys;

/** A pointer of the rows read: the column of theirs that holds the pointed row's key. */
export interface PointedJoin {
  table: PointedTable;
  column: string;
}

/** The rows of one pointed table that a statement read. */
export interface PointedRows {
  table: PointedTable;
  rows: unknown[];
}

/** Reads the rows of a child statement of `model` (`readPointing` with the joins a list asked for). */
export type ChildReader = <Row>(
  child: Prisma.Sql,
  model: PointingModel,
  options?: QueryOptions & { extra?: readonly string[] },
) => Promise<Row[]>;

/** Every column of each model read this way, in the order of its Prisma type. */
const columnsOf = {
  Entity: Object.values(Prisma.EntityScalarFieldEnum),
  Indicator: Object.values(Prisma.IndicatorScalarFieldEnum),
  Source: Object.values(Prisma.SourceScalarFieldEnum),
  Ranking: Object.values(Prisma.RankingScalarFieldEnum),
  RelationType: Object.values(Prisma.RelationTypeScalarFieldEnum),
  Observation: Object.values(Prisma.ObservationScalarFieldEnum),
  RankingEntry: Object.values(Prisma.RankingEntryScalarFieldEnum),
  Mention: Object.values(Prisma.MentionScalarFieldEnum),
} satisfies Partial<Record<Prisma.ModelName, readonly string[]>>;

/** The models whose rows can point (the lists beneath lists). */
export type PointingModel = "Observation" | "RankingEntry" | "Mention";

/** The column a pointed row is pointed at by. */
export const keyColumn = (table: PointedTable) => (table === "RelationType" ? "key" : "id");
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The rows `child` selects (every column of `model`, and `extra` columns before them), with the rows
 * of each of `joins` they point at, each once. `child` is a whole SELECT; its order is not kept (the
 * caller orders the rows it groups). Without joins it is `child` itself. Its callers prepare it:
 * planning the UNION of wide rows took PostgreSQL 6 to 7 ms, more than running it (a page of
 * cities with their observations: 0.3 to 1 ms), and a generic plan walks the same indexes.
 */
export async function readPointing<Row>(
  sql: SqlReader,
  child: Prisma.Sql,
  model: PointingModel,
  joins: readonly PointedJoin[],
  options: QueryOptions & { extra?: readonly string[] } = {},
): Promise<{ rows: Row[]; pointed: PointedRows[] }> {
  if (!joins.length) return { rows: await sql.query<Row>(child, options), pointed: [] };
  const own = [...(options.extra ?? []), ...columnsOf[model]];
  const { table, pointed } = await readPointingTable(sql, child, own, joins, options);
  const pick = picker(table, own, "");
  return { rows: table.rows.map(pick) as Row[], pointed };
}

/**
 * `readPointing` for a child whose columns are `own` (a page of edges, whose rows carry their far
 * end's columns too): the child's rows as the table's rows, arrays read by the table's column names.
 */
export async function readPointingTable(
  sql: SqlReader,
  child: Prisma.Sql,
  own: readonly string[],
  joins: readonly PointedJoin[],
  options: QueryOptions = {},
): Promise<{ table: Table; pointed: PointedRows[] }> {
  const plan = unionPlan(own, joins);
  const table = await sql.table(Prisma.sql`WITH children AS MATERIALIZED (${child}) ${plan.union}`, options);
  const found: unknown[][][] = plan.parts.map(() => []);
  for (const row of table.rows) found[row[0] as number]!.push(row);
  return {
    table: { columns: table.columns, rows: found[0]! },
    pointed: plan.tables.map((pointedTable, i) => {
      const pick = picker(table, plan.parts[i + 1]!.columns, plan.parts[i + 1]!.prefix);
      return { table: pointedTable, rows: found[i + 1]!.map(pick) };
    }),
  };
}

interface UnionPlan {
  tables: PointedTable[];
  parts: { alias: string; relation: string; columns: readonly string[]; prefix: string }[];
  /** The statement after its `children` CTE: every part's branch, as SQL text without values. */
  union: Prisma.Sql;
}

/**
 * The union for a child's columns and joins, built once per pair: the same few pairs come on every
 * request, and building its text (hundreds of quoted columns) was a percent of a small answer's CPU.
 * The text depends only on the columns' and joins' names, which come from the code, never a request's
 * values; a page of edges reads the columns its selection asks for, so the pairs are bounded by the
 * selections seen, and the map is emptied past `MAX_UNION_PLANS`.
 */
const unionPlans = new Map<string, UnionPlan>();
const MAX_UNION_PLANS = 500;

function unionPlan(own: readonly string[], joins: readonly PointedJoin[]): UnionPlan {
  const key = `${own.join(",")}|${joins.map((join) => `${join.table}.${join.column}`).join(",")}`;
  let plan = unionPlans.get(key);
  if (!plan) {
    if (unionPlans.size >= MAX_UNION_PLANS) unionPlans.clear();
    unionPlans.set(key, (plan = buildUnionPlan(own, joins)));
  }
  return plan;
}

function buildUnionPlan(own: readonly string[], joins: readonly PointedJoin[]): UnionPlan {
  // One row shape for every part: the child's columns, then each pointed table's, prefixed by its
  // place. Each part's branch reads its own relation and joins the others' `ON false`, so a row
  // leaves the other parts' columns null, typed as theirs.
  // A table pointed at by several columns (a relationship's `from` and `to`) is one part, each of
  // its rows once.
  const tables = [...new Set(joins.map((join) => join.table))];
  const parts = [
    { alias: "c", relation: "children", columns: own, prefix: "" },
    ...tables.map((table, i) => ({
      alias: `p${i}`,
      relation: quoted(table),
      columns: columnsOf[table] as readonly string[],
      prefix: `p${i}.`,
    })),
  ];
  const listed = parts
    .flatMap(({ alias, columns, prefix }) =>
      columns.map((column) => `${alias}.${quoted(column)} AS ${quoted(prefix + column)}`),
    )
    .join(", ");
  const branch = (read: (typeof parts)[number], index: number, where = "") =>
    `SELECT ${index} AS part, ${listed} FROM ${read.relation} ${read.alias} ${parts
      .filter((part) => part !== read)
      .map((part) => `LEFT JOIN ${part.relation} ${part.alias} ON false`)
      .join(" ")} ${where}`;
  const branches = parts.map((part, index) => {
    if (index === 0) return branch(part, 0);
    const table = tables[index - 1]!;
    const keys = joins
      .filter((join) => join.table === table)
      .map(({ column }) => `SELECT ${quoted(column)} FROM children`)
      .join(" UNION ALL ");
    return branch(part, index, `WHERE ${part.alias}.${keyColumn(table)} IN (${keys})`);
  });
  return { tables, parts, union: Prisma.raw(branches.join(" UNION ALL ")) };
}

/** Each row of `table` as an object of `columns`, read from the columns named `prefix` + column. */
function picker(table: Table, columns: readonly string[], prefix: string): (row: unknown[]) => Record<string, unknown> {
  const positions = columns.map((column) => table.columns.indexOf(prefix + column));
  return (row) => {
    const picked: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) picked[columns[i]!] = row[positions[i]!];
    return picked;
  };
}
