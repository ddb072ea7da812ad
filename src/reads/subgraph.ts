// Subgraphs for exploration: a bounded neighbourhood, one statement per depth level, whatever the
// degree of the hubs it meets. Shortest paths are in src/reads/paths.ts.
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import type { SqlReader } from "../db/sql-reader.js";
import { edgeConditions, type Direction, type EdgeFilter } from "./edges.js";
import { columnPicker, entityPicker, prefixedEntityColumns, relationshipPicker } from "./entity-rows.js";

const pickOther = entityPicker("other.");
const pickOtherId = columnPicker<number>("otherId");
const pickAnchorId = columnPicker<number>("anchorId");
const pickDirection = columnPicker<"OUTGOING" | "INCOMING">("direction");
const pickGroupSize = columnPicker<number>("groupSize");

/** The members of one entity's group (one relation type, one direction) that were counted, not read. */
export interface Fold {
  anchorId: number;
  type: string;
  direction: "OUTGOING" | "INCOMING";
  /** The depth its members would have had. */
  depth: number;
  count: number;
  /** The kinds of its members, most frequent first. */
  kinds: EntityKind[];
}

export interface Neighborhood {
  nodes: { entity: Entity; depth: number }[];
  edges: Relationship[];
  /** Groups larger than `foldAbove`, each standing for its members (none without `foldAbove`). */
  folds: Fold[];
  truncated: boolean;
}

export interface NeighborhoodOptions extends EdgeFilter {
  depth: number;
  direction: Direction;
  /** Edges, a fold counting as one. */
  limit: number;
  /**
   * Fold every group of more than this many edges: its members are neither read nor walked, only
   * counted by kind, so a hub met on the way ("China") costs a count, not its 34 provinces.
   */
  foldAbove?: number | null;
}

interface Level {
  start: Entity;
  options: NeighborhoodOptions;
  nodes: Map<number, { entity: Entity; depth: number }>;
  edges: Map<number, Relationship>;
  folds: Fold[];
}

export async function loadNeighborhood(
  sql: SqlReader,
  start: Entity,
  options: NeighborhoodOptions,
): Promise<Neighborhood> {
  const graph: Level = {
    start,
    options,
    nodes: new Map([[start.id, { entity: start, depth: 0 }]]),
    edges: new Map(),
    folds: [],
  };
  let frontier = [start.id];
  let truncated = false;
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const remaining = options.limit - graph.edges.size - graph.folds.length;
    if (remaining <= 0) {
      truncated = true;
      break;
    }
    const level = options.foldAbove
      ? await readFoldedLevel(sql, graph, frontier, depth, remaining, options.foldAbove)
      : await readLevel(sql, graph, frontier, depth, remaining);
    truncated ||= level.truncated;
    frontier = level.next;
  }
  return { nodes: [...graph.nodes.values()], edges: [...graph.edges.values()], folds: graph.folds, truncated };
}

const directionsOf = (direction: Direction) =>
  (["OUTGOING", "INCOMING"] as const).filter((one) => direction === "BOTH" || direction === one);
const ends = { OUTGOING: ["fromId", "toId"], INCOMING: ["toId", "fromId"] } as const;

async function readLevel(sql: SqlReader, graph: Level, frontier: number[], depth: number, remaining: number) {
  // Each frontier node contributes at most `remaining + 1` edges per direction, read in id order
  // from the (end, id) indexes: the lowest ids overall are among them, and a hub of the frontier
  // costs a page of its edges, not all of them.
  const seen = [...graph.edges.keys()];
  const take = remaining + 1;
  const where = edgeConditions(graph.options);
  const branches = directionsOf(graph.options.direction).map((direction) => {
    const [anchor, other] = ends[direction];
    return Prisma.sql`(SELECT r.*, r.${Prisma.raw(`"${other}"`)} AS "otherId" FROM "Relationship" r
        WHERE r.${Prisma.raw(`"${anchor}"`)} = f.id AND ${where} AND NOT (r.id = ANY(${seen}::int[])) ORDER BY r.id LIMIT ${take})`;
  });
  // Prepared: once PostgreSQL settles on its generic plan it walks the (end, id) indexes per
  // frontier node; planned for each frontier's actual ids, it misjudged hubs (26 edges per node
  // guessed, ~650 real) and chose bitmap scans and sorts, 15 times the CPU (benchmark, depth 2).
  const table = await sql.table(
    Prisma.sql`
      SELECT e.*, ${prefixedEntityColumns("o", "other.")}
      FROM (
        SELECT DISTINCT ON (e.id) e.*
        FROM unnest(${frontier}::int[]) AS f(id) CROSS JOIN LATERAL (${Prisma.join(branches, " UNION ALL ")}) e
        ORDER BY e.id
        LIMIT ${take}
      ) e
      JOIN "Entity" o ON o.id = e."otherId"
      ORDER BY e.id`,
    { prepare: true },
  );
  const rows = table.rows;
  const truncated = rows.length > remaining;
  if (truncated) rows.length = remaining;
  const [relationshipOf, otherIdOf, otherOf] = [relationshipPicker()(table), pickOtherId(table), pickOther(table)];
  const next: number[] = [];
  for (const row of rows) {
    const relationship = relationshipOf(row);
    const otherId = otherIdOf(row);
    graph.edges.set(relationship.id, relationship);
    if (!graph.nodes.has(otherId)) {
      graph.nodes.set(otherId, { entity: otherOf(row), depth });
      next.push(otherId);
    }
  }
  return { next, truncated };
}

/**
 * A level whose groups of more than `foldAbove` edges are folded: per frontier node, relation type
 * and direction, at most `foldAbove + 1` edges are read (the (end, type, id) indexes), which says
 * whether the group folds; a fold takes one place of the limit, then one more statement counts the
 * members of the folded groups by kind.
 */
async function readFoldedLevel(
  sql: SqlReader,
  graph: Level,
  frontier: number[],
  depth: number,
  remaining: number,
  foldAbove: number,
) {
  const { options } = graph;
  const seen = [...graph.edges.keys()];
  const where = edgeConditions(options);
  const types = options.types?.length ? Prisma.sql`WHERE t.key = ANY(${[...options.types]}::text[])` : Prisma.empty;
  const branches = directionsOf(options.direction).map((direction) => {
    const [anchor, other] = ends[direction];
    return Prisma.sql`(SELECT r.*, r.${Prisma.raw(`"${other}"`)} AS "otherId", ${direction}::text AS direction
        FROM "Relationship" r
        WHERE r.${Prisma.raw(`"${anchor}"`)} = f.id AND r."typeKey" = t.key AND ${where} AND NOT (r.id = ANY(${seen}::int[]))
        ORDER BY r.id LIMIT ${foldAbove + 1})`;
  });
  const table = await sql.table(
    Prisma.sql`
      SELECT e.*, f.id AS "anchorId", count(*) OVER (PARTITION BY f.id, t.key, e.direction)::int AS "groupSize",
        ${prefixedEntityColumns("o", "other.")}
      FROM unnest(${frontier}::int[]) AS f(id)
      CROSS JOIN (SELECT key FROM "RelationType" t ${types}) t
      CROSS JOIN LATERAL (${Prisma.join(branches, " UNION ALL ")}) e
      JOIN "Entity" o ON o.id = e."otherId"
      ORDER BY e.id, f.id`,
    { prepare: true },
  );
  const [relationshipOf, otherIdOf, otherOf] = [relationshipPicker()(table), pickOtherId(table), pickOther(table)];
  const [anchorOf, directionOf, groupSizeOf] = [pickAnchorId(table), pickDirection(table), pickGroupSize(table)];
  // Places in the limit, in the order of their lowest relationship id: an edge, or a whole folded group.
  const folded = new Map<string, Fold>();
  const places: ({ fold: Fold } | { row: unknown[] })[] = [];
  const placed = new Set<number>();
  for (const row of table.rows) {
    const relationship = relationshipOf(row);
    if (groupSizeOf(row) > foldAbove) {
      const fold: Fold = {
        anchorId: anchorOf(row),
        type: relationship.typeKey,
        direction: directionOf(row),
        depth,
        count: 0,
        kinds: [],
      };
      const key = `${fold.anchorId}|${fold.type}|${fold.direction}`;
      if (!folded.has(key)) {
        folded.set(key, fold);
        places.push({ fold });
      }
    } else if (!placed.has(relationship.id)) {
      placed.add(relationship.id);
      places.push({ row });
    }
  }
  const truncated = places.length > remaining;
  if (truncated) places.length = remaining;
  const next: number[] = [];
  const folds: Fold[] = [];
  for (const place of places) {
    if ("fold" in place) {
      folds.push(place.fold);
      continue;
    }
    const relationship = relationshipOf(place.row);
    const otherId = otherIdOf(place.row);
    graph.edges.set(relationship.id, relationship);
    if (!graph.nodes.has(otherId)) {
      graph.nodes.set(otherId, { entity: otherOf(place.row), depth });
      next.push(otherId);
    }
  }
  if (folds.length) await countFolds(sql, graph, folds);
  graph.folds.push(...folds.filter((fold) => fold.count > 0));
  return { next, truncated };
}

/** Each fold's members by kind: those not reached by an edge already drawn. */
async function countFolds(sql: SqlReader, graph: Level, folds: Fold[]): Promise<void> {
  const drawn = [...graph.edges.keys()];
  const where = edgeConditions(graph.options);
  const branches = (["OUTGOING", "INCOMING"] as const).map((direction) => {
    const [anchor, other] = ends[direction];
    return Prisma.sql`(SELECT r.${Prisma.raw(`"${other}"`)} AS other FROM "Relationship" r
        WHERE g.direction = ${direction} AND r.${Prisma.raw(`"${anchor}"`)} = g.anchor AND r."typeKey" = g.type
          AND ${where} AND NOT (r.id = ANY(${drawn}::int[])))`;
  });
  const rows = await sql.query<{ anchorId: number; type: string; direction: string; kind: EntityKind; count: number }>(
    Prisma.sql`
      SELECT g.anchor AS "anchorId", g.type, g.direction, o.kind::text AS kind, count(DISTINCT o.id)::int AS count
      FROM unnest(${folds.map((fold) => fold.anchorId)}::int[], ${folds.map((fold) => fold.type)}::text[],
        ${folds.map((fold) => fold.direction)}::text[]) AS g(anchor, type, direction)
      CROSS JOIN LATERAL (${Prisma.join(branches, " UNION ALL ")}) e
      JOIN "Entity" o ON o.id = e.other
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 2, 3, 5 DESC, 4`,
  );
  for (const fold of folds) {
    const mine = rows.filter(
      (row) => row.anchorId === fold.anchorId && row.type === fold.type && row.direction === fold.direction,
    );
    fold.count = mine.reduce((sum, row) => sum + row.count, 0);
    fold.kinds = mine.map((row) => row.kind);
  }
}
