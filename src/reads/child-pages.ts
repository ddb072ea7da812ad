// Pages of rows beneath every item of a list, one statement for all the items: an entity's history
// and an indicator's observations. plugin-prisma pages a related list by reading every related row of
// every parent and cutting the pages in memory (20 indicators of 50,000 observations each: 7 s and a
// million rows), or, where the rows are not a relation, with statements per parent (history: four per
// entity). A LATERAL subquery per parent reads each page from its index instead; the unpaged lists
// beneath an entity (observations, ranking entries) are one statement for every entity too.
import { Prisma, type Change, type Observation, type RankingEntry } from "../generated/prisma/client.js";
import { likeLiteral } from "./like.js";
import { periodSql, type PeriodRange } from "./periods.js";
import type { SqlReader } from "../db/sql-reader.js";
import type { PointingModel } from "./pointed-joins.js";

/**
 * The rows beneath each of a set of parents that one statement reads for them all: the same
 * statement whether the parents' ids are given (`parentIds`) or come from a page read in the same
 * statement (src/reads/loaders.ts, `listPageWith`).
 */
export interface ChildList<Row> {
  /** Names the rows: two lists with the same key are the same rows of the same parent. */
  key: string;
  model: PointingModel;
  /** The rows' column that holds their parent's id. */
  parentColumn: string;
  /** The statement, given an `int[]` expression of the parents' ids. */
  sql(parents: Prisma.Sql): Prisma.Sql;
  /** Columns the statement selects before the model's (which parent a row was read for). */
  extra?: readonly string[];
  /** The rows read, grouped by parent in `ids`' order, each group in the list's order. */
  group(ids: readonly number[], rows: Row[]): Row[][];
}

/** The parents' ids given as a parameter. */
export const parentIds = (ids: readonly number[]) => Prisma.sql`${[...ids]}::int[]`;

/** One page beneath each parent: the same for every parent of a list (one loader per page asked). */
export interface ChildPageQuery {
  /** Rows to read, one more than the page holds to tell whether more follow; negative reads backwards. */
  take: number;
  /** The row the page continues from (itself excluded). */
  cursorId?: number;
}

type Anchored<Row> = Row & { anchorId: number };

/** Rows grouped by the parent they were read for, in `ids`' order, each group in list order. */
function byAnchor<Row>(ids: readonly number[], rows: Anchored<Row>[], backward: boolean): Row[][] {
  const groups = groupBy(ids, rows, (row) => row.anchorId);
  return groups.map((group) => {
    const plain = group.map(({ anchorId: _, ...row }) => row as Row);
    return backward ? plain.reverse() : plain;
  });
}

/**
 * Each entity's changes, newest first, those of the entities merged into it included (their keys
 * redirect to it): the history of `Entity.history`.
 */
export async function loadHistoryPages(
  sql: SqlReader,
  entityIds: readonly number[],
  page: ChildPageQuery,
): Promise<Change[][]> {
  const backward = page.take < 0;
  const cursor =
    page.cursorId === undefined
      ? Prisma.empty
      : Prisma.sql`AND c.id ${Prisma.raw(backward ? ">" : "<")} ${page.cursorId}`;
  const rows = await sql.query<Anchored<Change>>(Prisma.sql`
    SELECT e.id AS "anchorId", c.*
    FROM "Entity" e
    CROSS JOIN LATERAL (
      SELECT c.* FROM "Change" c
      WHERE c."entityKeys" && (ARRAY[e.key] || ARRAY(SELECT r.key FROM "EntityRedirect" r WHERE r."targetId" = e.id))
        ${cursor}
      ORDER BY c.id ${Prisma.raw(backward ? "ASC" : "DESC")}
      LIMIT ${Math.abs(page.take)}
    ) c
    WHERE e.id = ANY(${[...entityIds]}::int[])`);
  return byAnchor(entityIds, rows, backward);
}

/** How many changes each entity's history holds. */
export async function countHistories(sql: SqlReader, entityIds: readonly number[]): Promise<number[]> {
  const rows = await sql.query<{ anchorId: number; count: bigint }>(Prisma.sql`
    SELECT e.id AS "anchorId", (
      SELECT count(*) FROM "Change" c
      WHERE c."entityKeys" && (ARRAY[e.key] || ARRAY(SELECT r.key FROM "EntityRedirect" r WHERE r."targetId" = e.id))
    ) AS count
    FROM "Entity" e WHERE e.id = ANY(${[...entityIds]}::int[])`);
  const counts = new Map(rows.map((row) => [row.anchorId, Number(row.count)]));
  return entityIds.map((id) => counts.get(id) ?? 0);
}

/** Each indicator's observations, oldest period first (then by id): `Indicator.observations`. */
export function indicatorObservationPages(page: ChildPageQuery): ChildList<Observation> {
  const backward = page.take < 0;
  const direction = Prisma.raw(backward ? "DESC" : "ASC");
  const cursor =
    page.cursorId === undefined
      ? Prisma.empty
      : Prisma.sql`AND (o."periodStart", o.id) ${Prisma.raw(backward ? "<" : ">")}
          (SELECT "periodStart", id FROM "Observation" WHERE id = ${page.cursorId})`;
  return {
    key: `indicatorObservationPage:${JSON.stringify(page)}`,
    model: "Observation",
    parentColumn: "indicatorId",
    extra: ["anchorId"],
    sql: (parents) => Prisma.sql`
    SELECT i.id AS "anchorId", o.*
    FROM unnest(${parents}) AS i(id)
    CROSS JOIN LATERAL (
      SELECT o.* FROM "Observation" o
      WHERE o."indicatorId" = i.id ${cursor}
      ORDER BY o."periodStart" ${direction}, o.id ${direction}
      LIMIT ${Math.abs(page.take)}
    ) o`,
    group: (ids, rows) => {
      const anchored = rows as Anchored<Observation>[];
      // Read with the rows they point at, the rows come in no promised order: each page in its own.
      anchored.sort(backward ? (a, b) => byPeriod(b, a) : byPeriod);
      return byAnchor(ids, anchored, backward);
    },
  };
}

/** How many observations each indicator has. */
export async function countIndicatorObservations(sql: SqlReader, indicatorIds: readonly number[]): Promise<number[]> {
  const rows = await sql.query<{ indicatorId: number; count: bigint }>(Prisma.sql`
    SELECT "indicatorId", count(*) AS count FROM "Observation"
    WHERE "indicatorId" = ANY(${[...indicatorIds]}::int[]) GROUP BY "indicatorId"`);
  const counts = new Map(rows.map((row) => [row.indicatorId, Number(row.count)]));
  return indicatorIds.map((id) => counts.get(id) ?? 0);
}

/** What `Entity.observations` filters by: an indicator (key or name, as `indicatorNamed`) and a period range. */
export interface ObservationFilter extends PeriodRange {
  indicator?: string | null;
}

/** Each entity's observations, oldest period first (then by id), filtered: `Entity.observations`. */
export function entityObservations(filter: ObservationFilter): ChildList<Observation> {
  const text = filter.indicator?.trim();
  const conditions = [
    text == null
      ? Prisma.empty
      : Prisma.sql`AND o."indicatorId" IN (SELECT id FROM "Indicator" WHERE key = ${text} OR name ILIKE ${likeLiteral(text)} OR "nameZh" = ${text})`,
    periodSql(filter),
  ];
  return {
    key: `entityObservations:${JSON.stringify(filter)}`,
    model: "Observation",
    parentColumn: "entityId",
    sql: (parents) => Prisma.sql`
    SELECT o.* FROM "Observation" o
    WHERE o."entityId" = ANY(${parents}) ${Prisma.join(conditions, " ")}`,
    group: (ids, rows) => groupBy(ids, rows.sort(byPeriod), (row) => row.entityId),
  };
}

/** Each entity's ranking entries in id order, of rankings of one topic when given: `Entity.rankings`. */
export function entityRankingEntries(topic: string | null): ChildList<RankingEntry> {
  const ofTopic =
    topic == null ? Prisma.empty : Prisma.sql`AND e."rankingId" IN (SELECT id FROM "Ranking" WHERE topic = ${topic})`;
  return {
    key: `entityRankingEntries:${JSON.stringify(topic)}`,
    model: "RankingEntry",
    parentColumn: "entityId",
    sql: (parents) => Prisma.sql`
    SELECT e.* FROM "RankingEntry" e
    WHERE e."entityId" = ANY(${parents}) ${ofTopic}`,
    group: (ids, rows) =>
      groupBy(
        ids,
        rows.sort((a, b) => a.id - b.id),
        (row) => row.entityId,
      ),
  };
}

/** Oldest period first, then by id: the order of every list of observations. */
function byPeriod(a: Observation, b: Observation): number {
  return a.periodStart.getTime() - b.periodStart.getTime() || a.id - b.id;
}

/** Rows grouped under the key each belongs to, in `keys`' order, each group in the rows' order. */
export function groupBy<Row>(keys: readonly number[], rows: Row[], keyOf: (row: Row) => number): Row[][] {
  const groups = new Map<number, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}
