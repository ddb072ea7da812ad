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

/** The tables of root lists whose page can come in the statement of the rows beneath its items. */
export type ParentTable = "Entity" | "Indicator" | "Ranking" | "Source";

/**
 * A page of parents read in the statement of the rows beneath them: its rows are the CTE `parents`,
 * which the child statement reads its parents' ids from (`ARRAY(SELECT id FROM parents)`).
 */
export interface ParentPage {
  table: ParentTable;
  /** The children's column that holds their parent's id. */
  column: string;
  /** A SELECT of whole rows of `table`, each with its place in the page as the int column `ordinal`. */
  sql: Prisma.Sql;
}

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
  const { table, pointed } = await readUnion(sql, null, child, own, joins, options);
  return { table, pointed };
}

/**
 * `readPointing` beneath a page of parents, in one statement: the page (`parents.sql`), the rows
 * `child` selects beneath its rows (it reads their ids from the CTE `parents`) and the rows of each
 * of `joins` those point at. The page's rows come in order of their `ordinal`, each with it.
 */
export async function readPointingBeneath<Parent, Row>(
  sql: SqlReader,
  parents: ParentPage,
  child: Prisma.Sql,
  model: PointingModel,
  joins: readonly PointedJoin[],
  options: QueryOptions & { extra?: readonly string[] } = {},
): Promise<{ parents: { ordinal: number; row: Parent }[]; rows: Row[]; pointed: PointedRows[] }> {
  const own = [...(options.extra ?? []), ...columnsOf[model]];
  const read = await readUnion(sql, parents, child, own, joins, options);
  const pick = picker(read.table, own, "");
  return {
    parents: read.parents as { ordinal: number; row: Parent }[],
    rows: read.table.rows.map(pick) as Row[],
    pointed: read.pointed,
  };
}

async function readUnion(
  sql: SqlReader,
  parents: ParentPage | null,
  child: Prisma.Sql,
  own: readonly string[],
  joins: readonly PointedJoin[],
  options: QueryOptions,
): Promise<{ table: Table; pointed: PointedRows[]; parents: { ordinal: number; row: unknown }[] }> {
  const plan = unionPlan(own, joins, parents);
  const ctes = parents
    ? Prisma.sql`WITH parents AS MATERIALIZED (${parents.sql}), children AS MATERIALIZED (${child})`
    : Prisma.sql`WITH children AS MATERIALIZED (${child})`;
  const table = await sql.table(Prisma.sql`${ctes} ${plan.union}`, options);
  const found: unknown[][][] = plan.parts.map(() => []);
  for (const row of table.rows) found[row[0] as number]!.push(row);
  const partRows = (i: number) => {
    const part = plan.parts[i]!;
    return found[i]!.map(picker(table, part.columns, part.prefix));
  };
  let parentRows: { ordinal: number; row: unknown }[] = [];
  const pointed: PointedRows[] = [];
  plan.parts.forEach((part, i) => {
    if (part.relation === "parents") {
      // The ordinal is the page's, not the row's: the row is left as a page without it reads it.
      parentRows = partRows(i)
        .map(({ ordinal, ...row }) => ({ ordinal: ordinal as number, row }))
        .sort((a, b) => a.ordinal - b.ordinal);
      if (part.table) pointed.push({ table: part.table, rows: parentRows.map(({ row }) => row) });
    } else if (part.table) pointed.push({ table: part.table, rows: partRows(i) });
  });
  return { table: { columns: table.columns, rows: found[0]! }, pointed, parents: parentRows };
}

interface UnionPart {
  alias: string;
  relation: string;
  columns: readonly string[];
  prefix: string;
  /** The pointed table whose rows the part reads, if any. */
  table: PointedTable | null;
  where: string;
}

interface UnionPlan {
  parts: UnionPart[];
  /** The statement after its CTEs: every part's branch, as SQL text without values. */
  union: Prisma.Sql;
}

/**
 * The union for a child's columns and joins (and page of parents), built once per combination: the
 * same few come on every request, and building its text (hundreds of quoted columns) was a percent of
 * a small answer's CPU. The text depends only on names from the code, never a request's values; a
 * page of edges reads the columns its selection asks for, so the combinations are bounded by the
 * selections seen, and the map is emptied past `MAX_UNION_PLANS`.
 */
const unionPlans = new Map<string, UnionPlan>();
const MAX_UNION_PLANS = 500;

function unionPlan(
  own: readonly string[],
  joins: readonly PointedJoin[],
  parents: Pick<ParentPage, "table" | "column"> | null,
): UnionPlan {
  const key = `${own.join(",")}|${joins.map((join) => `${join.table}.${join.column}`).join(",")}|${parents ? `${parents.table}.${parents.column}` : ""}`;
  let plan = unionPlans.get(key);
  if (!plan) {
    if (unionPlans.size >= MAX_UNION_PLANS) unionPlans.clear();
    unionPlans.set(key, (plan = buildUnionPlan(own, joins, parents)));
  }
  return plan;
}

function buildUnionPlan(
  own: readonly string[],
  joins: readonly PointedJoin[],
  parents: Pick<ParentPage, "table" | "column"> | null,
): UnionPlan {
  // One row shape for every part: the child's columns, then each pointed table's, prefixed by its
  // place. Each part's branch reads its own relation and joins the others' `ON false`, so a row
  // leaves the other parts' columns null, typed as theirs. Every part widens every row, and
  // PostgreSQL's work per statement grows with parts times columns.
  // A table pointed at by several columns (a relationship's `from` and `to`) is one part, each of
  // its rows once. A page of parents read in the same statement is the last part; where the children
  // point at their parents only through the column that holds the parent's id (an observation's
  // entity beneath a list of entities), the parents are the rows pointed at, and no part of its own
  // reads them again.
  const tables = [...new Set(joins.map((join) => join.table))];
  const byParents = (table: PointedTable) =>
    parents !== null &&
    table === parents.table &&
    joins.every((join) => join.table !== table || join.column === parents.column);
  const parts: UnionPart[] = [{ alias: "c", relation: "children", columns: own, prefix: "", table: null, where: "" }];
  tables.forEach((table, i) => {
    if (byParents(table)) return;
    const alias = `p${i}`;
    const keys = joins
      .filter((join) => join.table === table)
      .map(({ column }) => `SELECT ${quoted(column)} FROM children`)
      .join(" UNION ALL ");
    parts.push({
      alias,
      relation: quoted(table),
      columns: columnsOf[table],
      prefix: `${alias}.`,
      table,
      where: `WHERE ${alias}.${keyColumn(table)} IN (${keys})`,
    });
  });
  if (parents)
    parts.push({
      alias: "q",
      relation: "parents",
      columns: [...columnsOf[parents.table], "ordinal"],
      prefix: "q.",
      table: byParents(parents.table) ? parents.table : null,
      where: "",
    });
  // The first branch reads no row (`WHERE false`, which the planner drops): it names and types every
  // column, each from its relation joined `ON false`. Every other branch reads its own relation alone
  // and leaves the others' columns as plain NULLs, which the union types as the first branch's; joined
  // `ON false` in every branch, they made PostgreSQL project every row through one join per part.
  const typed = parts
    .flatMap(({ alias, columns, prefix }) =>
      columns.map((column) => `${alias}.${quoted(column)} AS ${quoted(prefix + column)}`),
    )
    .join(", ");
  const head = `SELECT 0 AS part, ${typed} FROM children c ${parts
    .slice(1)
    .map((part) => `LEFT JOIN ${part.relation} ${part.alias} ON false`)
    .join(" ")} WHERE false`;
  const branches = parts.map(
    (read, index) =>
      `SELECT ${index} AS part, ${parts
        .flatMap((part) =>
          part === read
            ? part.columns.map((column) => `${part.alias}.${quoted(column)}`)
            : part.columns.map(() => "NULL"),
        )
        .join(", ")} FROM ${read.relation} ${read.alias} ${read.where}`,
  );
  branches.unshift(head);
  return { parts, union: Prisma.raw(branches.join(" UNION ALL ")) };
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
