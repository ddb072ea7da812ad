// Pages of edges around many entities in one statement: a LATERAL page per anchor entity, the
// entity at the far end returned in the same row. Hot and fixed-shape, so written as SQL: one
// statement per traversal level, whatever the number of anchors or the degree of a hub.
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Entity, Relationship } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";

export type Direction = "OUTGOING" | "INCOMING" | "BOTH";

export interface EdgeQuery {
  types?: readonly string[] | null;
  direction: Direction;
  /** Only edges whose far end is of one of these kinds. */
  otherKinds?: readonly EntityKind[] | null;
  /** Only edges valid on this day (validFrom <= asOf <= validTo, open ends allowed). */
  asOf?: Date | null;
  /** Page size; null loads every matching edge (bounded typed traversals). */
  limit: number | null;
  /** Relationship id after which the page starts. */
  afterId?: number | null;
}

export interface Edge {
  relationship: Relationship;
  /** OUTGOING when the anchor is the relationship's `from`. */
  direction: "OUTGOING" | "INCOMING";
  other: Entity;
}

export interface EdgePage {
  edges: Edge[];
  hasNextPage: boolean;
  totalCount: number;
}

interface EdgeRow extends Relationship {
  anchorId: number;
  total: number;
  edgeDirection: "OUTGOING" | "INCOMING" | null;
  other: (Omit<Entity, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string }) | null;
}

/**
 * One direction of the edges around `p.anchor`, far end joined. Each direction is its own branch so
 * that PostgreSQL walks an index in id order and stops at the page size, even around a hub.
 */
function branch(direction: "OUTGOING" | "INCOMING", query: EdgeQuery, columns: Prisma.Sql, tail: Prisma.Sql): Prisma.Sql {
  const [anchorColumn, otherColumn] = direction === "OUTGOING" ? ["fromId", "toId"] : ["toId", "fromId"];
  const parts = [Prisma.sql`r.${Prisma.raw(`"${anchorColumn}"`)} = p.anchor`];
  // A self-loop is reported once, as outgoing.
  if (direction === "INCOMING" && query.direction === "BOTH") parts.push(Prisma.sql`r."fromId" <> p.anchor`);
  if (query.types?.length) parts.push(Prisma.sql`r."typeKey" = ANY(${[...query.types]}::text[])`);
  if (query.otherKinds?.length) parts.push(Prisma.sql`o.kind::text = ANY(${[...query.otherKinds]}::text[])`);
  if (query.asOf) {
    parts.push(Prisma.sql`(r."validFrom" IS NULL OR r."validFrom" <= ${query.asOf}::date)`);
    parts.push(Prisma.sql`(r."validTo" IS NULL OR r."validTo" >= ${query.asOf}::date)`);
  }
  return Prisma.sql`SELECT ${columns} FROM "Relationship" r JOIN "Entity" o ON o.id = r.${Prisma.raw(`"${otherColumn}"`)}
    WHERE ${Prisma.join(parts, " AND ")} ${tail}`;
}

function directions(query: EdgeQuery): ("OUTGOING" | "INCOMING")[] {
  return query.direction === "BOTH" ? ["OUTGOING", "INCOMING"] : [query.direction];
}

export async function loadEdgePages(prisma: PrismaClient, anchorIds: readonly number[], query: EdgeQuery): Promise<EdgePage[]> {
  const after = query.afterId ?? 0;
  const limit = query.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${query.limit + 1}`;
  const counts = directions(query).map((direction) => Prisma.sql`(${branch(direction, query, Prisma.sql`count(*)::int`, Prisma.empty)})`);
  const branches = directions(query).map(
    (direction) =>
      Prisma.sql`(${branch(
        direction,
        query,
        Prisma.sql`r.*, ${direction}::text AS "edgeDirection", to_jsonb(o) AS other`,
        Prisma.sql`AND r.id > ${after} ORDER BY r.id ${limit}`,
      )})`,
  );
  // The count sits in its own LATERAL so that it runs once per anchor; in the select list PostgreSQL
  // would run it again for every edge row of the page (OFFSET 0 keeps it from being pulled up there).
  const rows = await prisma.$queryRaw<EdgeRow[]>`
    SELECT p.anchor AS "anchorId", c.total, e.*
    FROM unnest(${[...anchorIds]}::int[]) AS p(anchor)
    CROSS JOIN LATERAL (SELECT ${Prisma.join(counts, " + ")} AS total OFFSET 0) c
    LEFT JOIN LATERAL (
      SELECT * FROM (${Prisma.join(branches, " UNION ALL ")}) edges ORDER BY id ${limit}
    ) e ON true
    ORDER BY p.anchor, e.id`;

  const pages = new Map<number, EdgePage>(anchorIds.map((id) => [id, { edges: [], hasNextPage: false, totalCount: 0 }]));
  for (const row of rows) {
    const page = pages.get(row.anchorId)!;
    page.totalCount = row.total;
    if (!row.other || !row.edgeDirection) continue;
    const { anchorId: _anchor, total: _total, edgeDirection, other, ...relationship } = row;
    page.edges.push({
      relationship,
      direction: edgeDirection,
      other: { ...other, createdAt: new Date(other.createdAt), updatedAt: new Date(other.updatedAt) },
    });
  }
  if (query.limit !== null) {
    for (const page of pages.values()) {
      if (page.edges.length > query.limit) {
        page.edges.length = query.limit;
        page.hasNextPage = true;
      }
    }
  }
  return anchorIds.map((id) => pages.get(id)!);
}
