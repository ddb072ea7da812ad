// Pages of edges around many entities in one statement: a LATERAL page per anchor entity, the
// entity at the far end returned in the same row. Hot and fixed-shape, so written as SQL: one
// statement per traversal level, whatever the number of anchors or the degree of a hub.
import { Prisma } from "../generated/prisma/client.js";
import type { SqlReader } from "./sql-reader.js";
import type { Entity, Relationship } from "../generated/prisma/client.js";
import { columnPicker, entityPicker, prefixedEntityColumns, relationshipColumns, relationshipPicker, type RowShape } from "./entity-rows.js";
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
  /** Lean rows (src/db/entity-rows.ts) where the selection reads nothing else; whole by default. */
  shapes?: EdgeShapes;
}

/** The shape of each row an edge holds: its relationship's and its far end's. */
export interface EdgeShapes {
  relationship: RowShape;
  other: RowShape;
}

const wholeShapes: EdgeShapes = { relationship: "whole", other: "whole" };

export interface Edge {
  relationship: Relationship;
  /** OUTGOING when the anchor is the relationship's `from`. */
  direction: "OUTGOING" | "INCOMING";
  other: Entity;
}

export interface EdgePage {
  edges: Edge[];
  hasNextPage: boolean;
  /** The shapes its rows were read in: only whole far ends may stand in for the entity loader's rows. */
  shapes: EdgeShapes;
}

/** What a count depends on: not the page's size or start. */
export type EdgeCountQuery = Omit<EdgeQuery, "limit" | "afterId" | "shapes">;

const otherPrefix = "other.";
const pickOther = { whole: entityPicker(otherPrefix), lean: entityPicker(otherPrefix, "lean") };
const pickRelationship = { whole: relationshipPicker(), lean: relationshipPicker("lean") };
const pickAnchor = columnPicker<number>("anchorId");
const pickDirection = columnPicker<Edge["direction"]>("edgeDirection");

/**
 * Relationships of these types. One type is compared with `=`, so that the (end, type, id) index
 * yields edges in id order and a page stops early; `= ANY` reads every edge of the type and sorts.
 */
export function typeCondition(types: readonly string[]): Prisma.Sql {
  return types.length === 1 ? Prisma.sql`r."typeKey" = ${types[0]}` : Prisma.sql`r."typeKey" = ANY(${[...types]}::text[])`;
}

/**
 * One direction of the edges around `p.anchor`, far end joined. Each direction is its own branch so
 * that PostgreSQL walks an index in id order and stops at the page size, even around a hub.
 */
function branch(direction: "OUTGOING" | "INCOMING", query: EdgeCountQuery, columns: Prisma.Sql, tail: Prisma.Sql): Prisma.Sql {
  const [anchorColumn, otherColumn] = direction === "OUTGOING" ? ["fromId", "toId"] : ["toId", "fromId"];
  const parts = [Prisma.sql`r.${Prisma.raw(`"${anchorColumn}"`)} = p.anchor`];
  // A self-loop is reported once, as outgoing.
  if (direction === "INCOMING" && query.direction === "BOTH") parts.push(Prisma.sql`r."fromId" <> p.anchor`);
  if (query.types?.length) parts.push(typeCondition(query.types));
  if (query.otherKinds?.length) parts.push(Prisma.sql`o.kind::text = ANY(${[...query.otherKinds]}::text[])`);
  if (query.asOf) {
    parts.push(Prisma.sql`(r."validFrom" IS NULL OR r."validFrom" <= ${query.asOf}::date)`);
    parts.push(Prisma.sql`(r."validTo" IS NULL OR r."validTo" >= ${query.asOf}::date)`);
  }
  return Prisma.sql`SELECT ${columns} FROM "Relationship" r JOIN "Entity" o ON o.id = r.${Prisma.raw(`"${otherColumn}"`)}
    WHERE ${Prisma.join(parts, " AND ")} ${tail}`;
}

function directions(query: EdgeCountQuery): ("OUTGOING" | "INCOMING")[] {
  return query.direction === "BOTH" ? ["OUTGOING", "INCOMING"] : [query.direction];
}

export async function loadEdgePages(sql: SqlReader, anchorIds: readonly number[], query: EdgeQuery): Promise<EdgePage[]> {
  const after = query.afterId ?? 0;
  const shapes = query.shapes ?? wholeShapes;
  const limit = query.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${query.limit + 1}`;
  const branches = directions(query).map((direction) =>
    branch(
      direction,
      query,
      Prisma.sql`${relationshipColumns("r", shapes.relationship)}, ${direction}::text AS "edgeDirection", ${prefixedEntityColumns("o", otherPrefix, shapes.other)}`,
      Prisma.sql`AND r.id > ${after} ORDER BY r.id ${limit}`,
    ),
  );
  // Both directions are merged into one page; a single direction is the page already.
  const page =
    branches.length === 1 ? branches[0]! : Prisma.sql`SELECT * FROM (${Prisma.join(branches.map((b) => Prisma.sql`(${b})`), " UNION ALL ")}) edges ORDER BY id ${limit}`;
  const table = await sql.table(
    Prisma.sql`
    SELECT p.anchor AS "anchorId", e.*
    FROM unnest(${[...anchorIds]}::int[]) AS p(anchor)
    CROSS JOIN LATERAL (${page}) e
    ORDER BY p.anchor, e.id`,
    { prepare: true },
  );

  const pages = new Map<number, EdgePage>(anchorIds.map((id) => [id, { edges: [], hasNextPage: false, shapes }]));
  const [anchorOf, directionOf, relationshipOf, otherOf] = [
    pickAnchor(table),
    pickDirection(table),
    pickRelationship[shapes.relationship](table),
    pickOther[shapes.other](table),
  ];
  for (const row of table.rows) {
    pages.get(anchorOf(row))!.edges.push({ relationship: relationshipOf(row), direction: directionOf(row), other: otherOf(row) });
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

/**
 * How many edges match around each anchor. Asked only when a client selects `totalCount`: around a
 * hub it reads every matching edge, which a page never does.
 */
export async function countEdges(sql: SqlReader, anchorIds: readonly number[], query: EdgeCountQuery): Promise<number[]> {
  const counts = directions(query).map((direction) => Prisma.sql`(${branch(direction, query, Prisma.sql`count(*)::int`, Prisma.empty)})`);
  const rows = await sql.query<{ anchorId: number; total: number }>(
    Prisma.sql`
    SELECT p.anchor AS "anchorId", ${Prisma.join(counts, " + ")} AS total FROM unnest(${[...anchorIds]}::int[]) AS p(anchor)`,
    { prepare: true },
  );
  const totals = new Map(rows.map((row) => [row.anchorId, row.total]));
  return anchorIds.map((id) => totals.get(id) ?? 0);
}
