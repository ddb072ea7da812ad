// Aggregates that ORMs cannot express: counts filtered by relation type, entities ranked by such a
// count, and indicator observations grouped by province or year. Each is one statement.
import { Prisma, type Entity, type PrismaClient } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import type { SqlReader } from "../db/sql-reader.js";
import type { Direction } from "./edges.js";
import { periodSql } from "./periods.js";

type EntityJson = Omit<Entity, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };
const entityFromJson = (json: EntityJson): Entity => ({
  ...json,
  createdAt: new Date(json.createdAt),
  updatedAt: new Date(json.updatedAt),
});

export async function countByKind(prisma: PrismaClient) {
  const rows = await prisma.entity.groupBy({ by: ["kind"], _count: { _all: true }, orderBy: { kind: "asc" } });
  return rows.map((row) => ({ key: row.kind, count: row._count._all }));
}

export async function countByRelationType(prisma: PrismaClient) {
  const rows = await prisma.relationship.groupBy({
    by: ["typeKey"],
    _count: { _all: true },
    orderBy: { typeKey: "asc" },
  });
  return rows.map((row) => ({ key: row.typeKey, count: row._count._all }));
}

export interface DegreeRow {
  entityId: number;
  type: string;
  direction: "OUTGOING" | "INCOMING";
  count: number;
}

/** Edge counts per entity, relation type and direction, for many entities at once. */
export async function loadDegrees(sql: SqlReader, entityIds: readonly number[]): Promise<DegreeRow[][]> {
  const rows = await sql.query<DegreeRow>(Prisma.sql`
    SELECT "fromId" AS "entityId", "typeKey" AS type, 'OUTGOING' AS direction, count(*)::int AS count
    FROM "Relationship" WHERE "fromId" = ANY(${[...entityIds]}::int[]) GROUP BY 1, 2
    UNION ALL
    SELECT "toId", "typeKey", 'INCOMING', count(*)::int
    FROM "Relationship" WHERE "toId" = ANY(${[...entityIds]}::int[]) GROUP BY 1, 2
    ORDER BY 1, 2, 3`);
  return entityIds.map((id) => rows.filter((row) => row.entityId === id));
}

export interface DegreeRankingQuery {
  kinds?: readonly EntityKind[] | null;
  type: string;
  direction: Direction;
  otherKinds?: readonly EntityKind[] | null;
  min?: number | null;
  max?: number | null;
  descending: boolean;
  limit: number;
  offset: number;
}

/** Entities ranked by how many edges of one type they have (zero included), filtered by that count. */
export async function rankByDegree(
  prisma: PrismaClient,
  query: DegreeRankingQuery,
): Promise<{ rows: { entity: Entity; count: number }[]; total: number }> {
  const otherKinds = query.otherKinds?.length
    ? Prisma.sql`AND o.kind::text = ANY(${[...query.otherKinds]}::text[])`
    : Prisma.empty;
  const branches: Prisma.Sql[] = [];
  if (query.direction !== "INCOMING") {
    branches.push(
      Prisma.sql`SELECT r."fromId" AS id FROM "Relationship" r JOIN "Entity" o ON o.id = r."toId" WHERE r."typeKey" = ${query.type} ${otherKinds}`,
    );
  }
  if (query.direction !== "OUTGOING") {
    branches.push(
      Prisma.sql`SELECT r."toId" AS id FROM "Relationship" r JOIN "Entity" o ON o.id = r."fromId" WHERE r."typeKey" = ${query.type} ${otherKinds}`,
    );
  }
  const kinds = query.kinds?.length ? Prisma.sql`AND e.kind::text = ANY(${[...query.kinds]}::text[])` : Prisma.empty;
  const min = query.min != null ? Prisma.sql`AND coalesce(c.count, 0) >= ${query.min}` : Prisma.empty;
  const max = query.max != null ? Prisma.sql`AND coalesce(c.count, 0) <= ${query.max}` : Prisma.empty;
  const order = query.descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await prisma.$queryRaw<{ count: number; total: number; entity: EntityJson }[]>`
    WITH counts AS (SELECT id, count(*)::int AS count FROM (${Prisma.join(branches, " UNION ALL ")}) ends GROUP BY id)
    SELECT coalesce(c.count, 0) AS count, count(*) OVER ()::int AS total, to_jsonb(e) AS entity
    FROM "Entity" e LEFT JOIN counts c ON c.id = e.id
    WHERE true ${kinds} ${min} ${max}
    ORDER BY coalesce(c.count, 0) ${order}, e.name, e.id
    LIMIT ${query.limit} OFFSET ${query.offset}`;
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((row) => ({ count: row.count, entity: entityFromJson(row.entity) })),
  };
}

export type ObservationGrouping = "PROVINCE" | "YEAR" | "ENTITY";

export interface ObservationGroup {
  key: string;
  label: string;
  count: number;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
}

/**
 * Observations of one indicator grouped by province (an entity's own provincial-level unit, or the
 * province it lies in), by year of the period's start, or by entity. Null values are counted, not summed;
 * `from` and `to` take what certainly lies between them (periods.ts).
 */
export async function groupObservations(
  prisma: PrismaClient,
  indicatorId: number,
  groupBy: ObservationGrouping,
  range: { from?: Date | null; to?: Date | null },
): Promise<ObservationGroup[]> {
  const key =
    groupBy === "YEAR"
      ? Prisma.sql`extract(year FROM o."periodStart")::int::text`
      : groupBy === "ENTITY"
        ? Prisma.sql`e.key`
        : Prisma.sql`coalesce(p.key, e.key)`;
  const label =
    groupBy === "YEAR" ? key : groupBy === "ENTITY" ? Prisma.sql`e.name` : Prisma.sql`coalesce(p.name, e.name)`;
  // A bounded period has no known year: by year, only EXACT periods are counted.
  const exactYear = groupBy === "YEAR" ? Prisma.sql`AND o."periodBound" = 'EXACT'` : Prisma.empty;
  return prisma.$queryRaw<ObservationGroup[]>`
    SELECT ${key} AS key, min(${label}) AS label, count(*)::int AS count,
      sum(o.value) AS sum, avg(o.value) AS avg, min(o.value) AS min, max(o.value) AS max
    FROM "Observation" o
    JOIN "Entity" e ON e.id = o."entityId"
    LEFT JOIN LATERAL (
      SELECT pe.key, pe.name FROM "Relationship" r JOIN "Entity" pe ON pe.id = r."toId"
      WHERE r."fromId" = e.id AND r."typeKey" = 'LOCATED_IN' AND pe."adminLevel" = 'PROVINCIAL'
        AND e."adminLevel" IS DISTINCT FROM 'PROVINCIAL'
      ORDER BY r.id LIMIT 1
    ) p ON ${groupBy === "PROVINCE" ? Prisma.sql`true` : Prisma.sql`false`}
    WHERE o."indicatorId" = ${indicatorId} ${periodSql(range)} ${exactYear}
    GROUP BY 1
    ORDER BY 1`;
}
