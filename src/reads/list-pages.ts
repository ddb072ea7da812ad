// The root lists (entities, cities, provinces, companies, policies; rankings, indicators, sources,
// changes): their filters as SQL, a page of one by hand-written SQL, and how many rows a filter
// keeps. Every list is read this way, whatever its filter or selection: Prisma's compilation of the
// page query was half the server's CPU on the benchmark's deep page. A page answers as Prisma
// answers plugin-prisma's cursor query ({ cursor, take, skip }), ties broken by id:
// tests/reads/list-pages.test.ts holds each filter to Prisma's and pages through the lists both ways.
import { Prisma } from "../generated/prisma/client.js";
import type { EntityKind, PolicyType } from "../generated/prisma/enums.js";
import type { SqlReader } from "../db/sql-reader.js";
import { normalizeName } from "../names.js";
import type { EntityVariant } from "./entity-variants.js";
import { likeLiteral } from "./like.js";

/** What a list keeps: the entities of a type, narrowed by any of the list's arguments. */
export interface EntityListFilter {
  variant: EntityVariant;
  kinds?: readonly EntityKind[] | null;
  /** Part of the name, the Chinese name or an alias, any case. */
  nameContains?: string | null;
  /** Name or alias of the province the entities are LOCATED_IN. */
  province?: string | null;
  policyType?: PolicyType | null;
}

/** The filter as a condition on a row of "Entity" (unaliased). */
export function entityListWhere({ variant, kinds, nameContains, province, policyType }: EntityListFilter): Prisma.Sql {
  const conditions = [variant.sql];
  if (kinds?.length) conditions.push(Prisma.sql`kind::text = ANY(${[...kinds]}::text[])`);
  if (nameContains) {
    const text = likeLiteral(nameContains);
    const alias = likeLiteral(normalizeName(nameContains));
    conditions.push(Prisma.sql`(name ILIKE '%' || ${text} || '%' OR "nameZh" LIKE '%' || ${text} || '%'
      OR EXISTS (SELECT 1 FROM "Alias" a WHERE a."entityId" = "Entity".id AND a.normalized LIKE '%' || ${alias} || '%'))`);
  }
  if (province) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Relationship" r JOIN "Alias" a ON a."entityId" = r."toId"
      WHERE r."fromId" = "Entity".id AND r."typeKey" = 'LOCATED_IN' AND a.normalized = ${normalizeName(province)})`);
  }
  if (policyType) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "PolicyDetail" p
      WHERE p."entityId" = "Entity".id AND p."policyType"::text = ${policyType})`);
  }
  return Prisma.join(conditions, " AND ");
}

/** A root list: the rows of `table` its filter keeps, in its order. */
export interface ListQuery {
  table: "Entity" | "Ranking" | "Indicator" | "Change" | "Source";
  /** The list's filter, as SQL over the unaliased table. */
  where: Prisma.Sql;
  /** Sort column; the list is ordered by it (`descending` or not), then by id ascending. */
  column: keyof typeof sortValues;
  descending: boolean;
}

/**
 * What each sort column sorts by: never null, so that the seek past a cursor needs no case of its
 * own. An undated source sorts as the earliest, so last of a newest-first list (Prisma's `nulls: "last"`).
 */
const sortValues = {
  name: `"name"`,
  key: `"key"`,
  id: `"id"`,
  publishedOn: `COALESCE("publishedOn", '-infinity'::date)`,
};

/** Where a page starts and how many rows it reads. */
export interface ListPageQuery {
  /** The id of the row after (take > 0) or before (take < 0) which the page starts, itself excluded. */
  cursorId?: number;
  take: number;
}

/** Rankings, of one topic when given, in id order (`rankings`). */
export function rankingList(topic: string | null | undefined): ListQuery {
  return {
    table: "Ranking",
    where: topic ? Prisma.sql`topic = ${topic}` : Prisma.sql`true`,
    column: "id",
    descending: false,
  };
}

/** Indicators by name, those whose English or Chinese name or key contains `text` when given (`indicators`). */
export function indicatorList(text: string | null | undefined): ListQuery {
  const where = text
    ? Prisma.sql`(name ILIKE '%' || ${likeLiteral(text)} || '%' OR key LIKE '%' || ${likeLiteral(text.toLowerCase())} || '%')`
    : Prisma.sql`true`;
  return { table: "Indicator", where, column: "name", descending: false };
}

/** Sources newest first, the undated last (`sources`). */
export function sourceList(): ListQuery {
  return { table: "Source", where: Prisma.sql`true`, column: "publishedOn", descending: true };
}

/** Changes in the order they were made, those made at or after `since` when given (`changes`). */
export function changeList(since: Date | null | undefined): ListQuery {
  return {
    table: "Change",
    where: since ? Prisma.sql`at >= ${since}` : Prisma.sql`true`,
    column: "id",
    descending: false,
  };
}

/** How many rows the list holds. */
export async function countList(sql: SqlReader, { table, where }: ListQuery): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    Prisma.sql`SELECT count(*)::int AS n FROM ${Prisma.raw(`"${table}"`)} WHERE ${where}`,
    { prepare: true },
  );
  return row?.n ?? 0;
}

/** A page of the list, whole rows in list order. */
export async function loadListPage<Row>(sql: SqlReader, list: ListQuery, page: ListPageQuery): Promise<Row[]> {
  const rows = await sql.query<Row>(listPageSql(list, page, false), { prepare: true });
  return page.take < 0 ? rows.reverse() : rows;
}

/**
 * The statement of a page: whole rows, read in the page's direction (backwards from a cursor, the
 * reverse of list order). With `ordinal`, each row also carries its place in list order as the int
 * column `ordinal`, for a statement that reads the page as a CTE (src/reads/pointed-joins.ts,
 * `ParentPage`), where the rows' order is not kept.
 */
export function listPageSql(
  { table, where, column, descending }: ListQuery,
  { cursorId, take }: ListPageQuery,
  ordinal: boolean,
): Prisma.Sql {
  const from = Prisma.raw(`"${table}"`);
  const backwards = take < 0;
  const sortColumn = Prisma.raw(sortValues[column]);
  // Walking backwards reads the list in reverse from the cursor, then turns the page round.
  const columnOrder = Prisma.raw(descending === backwards ? "ASC" : "DESC");
  const idOrder = Prisma.raw(backwards ? "DESC" : "ASC");
  let seek = Prisma.sql`true`;
  if (cursorId !== undefined) {
    const past = Prisma.raw(descending === backwards ? ">" : "<");
    const pastId = Prisma.raw(backwards ? "<" : ">");
    // The cursor row's sort value comes from a scalar subquery, evaluated once, in the same statement.
    // The plain range on the sort column lets the index scan start at the cursor; the rest breaks
    // ties. A cursor row that no longer exists gives NULL, so no rows: Prisma's answer too.
    const at = Prisma.sql`(SELECT ${sortColumn} FROM ${from} WHERE id = ${cursorId})`;
    seek = Prisma.sql`${sortColumn} ${past}= ${at} AND (${sortColumn} ${past} ${at} OR id ${pastId} ${cursorId})`;
  }
  const order = Prisma.sql`ORDER BY ${sortColumn} ${columnOrder}, id ${idOrder}`;
  // Counted in the direction read, the place is the list order's backwards: it is negated there.
  const place = ordinal
    ? Prisma.sql`, ${Prisma.raw(backwards ? "-" : "")}(row_number() OVER (${order}))::int AS ordinal`
    : Prisma.empty;
  return Prisma.sql`SELECT *${place} FROM ${from} WHERE (${where}) AND ${seek} ${order} LIMIT ${Math.abs(take)}`;
}
