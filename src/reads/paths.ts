// Shortest paths by meeting in the middle. Walking simple paths from one end costs about degree^length
// rows: a 3-hop path on the generated graph enumerated 1.5 million partial paths (3 s). Walking from
// both ends and joining where they meet costs about 2 x degree^(length/2) (a few milliseconds), and
// extending whichever side is cheaper to extend keeps a hub at one end from blowing up the walk.
//
// One statement per round: the first round walks one edge from each end, each later round one edge
// further on one side, until enough paths are found or maxDepth is reached. A round returns every path
// up to its combined depth, so its answer stands on its own, whichever side was extended.
//
// Which side: the one whose frontier has fewer edges to walk, not fewer paths. In a power-law graph a
// frontier of a few paths can end at a hub (150,000 edges at 10M relationships) while the other side's
// hundred paths end at small places; the next round's cost is the sum of the frontier's degrees. A
// round that has not found enough paths counts those edges (index entries only, and only up to a cap),
// the frontier with fewer paths first and the other one no further than the first's count.
// The benchmark's peers run these same statements (bench/peers), so the floor is this algorithm too.
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import { edgeConditions, type EdgeFilter } from "./edges.js";
import { readRows, type SqlReader } from "../db/sql-reader.js";

/** A path as ids: `nodes` has one more entry than `edges`, `edges[i]` joins `nodes[i]` and `nodes[i + 1]`. */
export interface FoundPath {
  nodes: number[];
  edges: number[];
}

/** How far each side walks in a round. */
interface RoundDepths {
  forward: number;
  backward: number;
}

/** The row a round statement returns: the frontiers on every row, the path columns null when none was found. */
export interface RoundRow {
  /** Partial paths that end the walk from `fromId` at its full depth (a further round extends these). */
  forwardFrontier: number;
  backwardFrontier: number;
  /**
   * The edges the next round would walk from each frontier, counted only when one may follow (null
   * otherwise): the frontier with fewer paths up to `EDGE_COUNT_CAP`, the other up to one more than that.
   */
  forwardEdges: number | null;
  backwardEdges: number | null;
  nodes: number[] | null;
  edges: number[] | null;
}

/**
 * How far a round counts the edges of a frontier. Counting reads index entries only, but a hub's are
 * many (155,000 at 10M relationships); past this many edges on both sides, the side with fewer paths
 * is extended, as before edges were counted.
 */
export const EDGE_COUNT_CAP = 20_000;

/**
 * Simple paths (no entity twice, edges walked either way) from `fromId` to `toId` of at most
 * forward + backward edges, fewest edges first, then by their relationship ids, at most `first`.
 * Each path is the join of a partial path from `fromId` and one from `toId` that meet at an entity
 * and share no other: split at min(forward, length) edges from `fromId`, so each path is found once.
 * When `measure` and fewer than `first` paths were found, it also counts the frontiers' edges.
 * Prepare it: its plan does not depend on the values, and only the values change between rounds.
 */
function roundSql(
  fromId: number,
  toId: number,
  depths: RoundDepths,
  first: number,
  measure: boolean,
  filter: EdgeFilter = {},
): Prisma.Sql {
  const where = edgeConditions(filter);
  // Steps from w.node, either way along an edge; walks never pass through the other end.
  const steps = Prisma.sql`CROSS JOIN LATERAL (
        SELECT r.id, r."toId" AS next FROM "Relationship" r WHERE r."fromId" = w.node AND ${where}
        UNION ALL
        SELECT r.id, r."fromId" AS next FROM "Relationship" r WHERE r."toId" = w.node AND ${where}
      ) step`;
  // The same edges, only counted: no heap row is needed for them (index-only scans).
  const degree = Prisma.sql`CROSS JOIN LATERAL (
        SELECT 1 FROM "Relationship" r WHERE r."fromId" = w.node AND ${where}
        UNION ALL
        SELECT 1 FROM "Relationship" r WHERE r."toId" = w.node AND ${where}
      ) step`;
  const forwardEnds = Prisma.sql`cardinality(edges) = ${depths.forward}::int AND node <> ${toId}::int`;
  const backwardEnds = Prisma.sql`cardinality(edges) = ${depths.backward}::int AND node <> ${fromId}::int`;
  return Prisma.sql`
    WITH RECURSIVE forward(node, nodes, edges) AS (
      SELECT ${fromId}::int, ARRAY[${fromId}::int], ARRAY[]::int[]
      UNION ALL
      SELECT step.next, w.nodes || step.next, w.edges || step.id
      FROM forward w ${steps}
      WHERE cardinality(w.edges) < ${depths.forward}::int AND w.node <> ${toId}::int AND NOT step.next = ANY(w.nodes)
    ),
    backward(node, nodes, edges) AS (
      -- Built towards the end it starts from: nodes[1] is where it meets the forward walk.
      SELECT ${toId}::int, ARRAY[${toId}::int], ARRAY[]::int[]
      UNION ALL
      SELECT step.next, step.next || w.nodes, step.id || w.edges
      FROM backward w ${steps}
      WHERE cardinality(w.edges) < ${depths.backward}::int AND w.node <> ${fromId}::int AND NOT step.next = ANY(w.nodes)
    ),
    found AS (
      SELECT f.nodes || b.nodes[2:] AS nodes, f.edges || b.edges AS edges
      FROM forward f JOIN backward b ON b.node = f.node
      WHERE (cardinality(f.edges) = ${depths.forward}::int OR cardinality(b.edges) = 0) AND NOT (f.nodes && b.nodes[2:])
      ORDER BY cardinality(f.edges) + cardinality(b.edges), 2
      LIMIT ${first}::int
    ),
    frontiers AS (
      SELECT
        (SELECT count(*) FROM forward WHERE ${forwardEnds})::int AS "forwardFrontier",
        (SELECT count(*) FROM backward WHERE ${backwardEnds})::int AS "backwardFrontier"
    ),
    -- The frontiers' last entities; the lead is the frontier with fewer paths (forward on a tie).
    ends AS (
      SELECT "forwardFrontier" <= "backwardFrontier" AS lead, node FROM frontiers, forward WHERE ${forwardEnds}
      UNION ALL
      SELECT "forwardFrontier" > "backwardFrontier" AS lead, node FROM frontiers, backward WHERE ${backwardEnds}
    ),
    lead AS (
      SELECT count(*)::int AS edges FROM (SELECT 1 FROM ends w ${degree} WHERE w.lead LIMIT ${EDGE_COUNT_CAP}::int) counted
    ),
    other AS (
      SELECT count(*)::int AS edges
      FROM (SELECT 1 FROM ends w ${degree} WHERE NOT w.lead LIMIT (SELECT edges + 1 FROM lead)) counted
    ),
    -- Evaluated only when a further round may follow (PostgreSQL runs these subqueries on first use).
    measured AS (
      SELECT frontiers.*, ${measure}::boolean AND (SELECT count(*) FROM found) < ${first}::int AS wanted FROM frontiers
    )
    SELECT "forwardFrontier", "backwardFrontier",
      CASE WHEN wanted THEN CASE WHEN "forwardFrontier" <= "backwardFrontier" THEN (SELECT edges FROM lead) ELSE (SELECT edges FROM other) END END AS "forwardEdges",
      CASE WHEN wanted THEN CASE WHEN "forwardFrontier" <= "backwardFrontier" THEN (SELECT edges FROM other) ELSE (SELECT edges FROM lead) END END AS "backwardEdges",
      found.nodes, found.edges
    FROM measured LEFT JOIN found ON true
    ORDER BY cardinality(found.edges), found.edges`;
}

/**
 * Up to `first` paths of at most `maxDepth` edges from `fromId` to `toId`, fewest edges first, each
 * round's statement sent by `run` (our reader, or a peer's driver in the benchmark). It stops when a
 * round finds `first` paths, reaches `maxDepth`, or a side has nothing left to extend (then no
 * longer path exists).
 */
export async function findPaths(
  fromId: number,
  toId: number,
  options: EdgeFilter & { maxDepth: number; first: number },
  run: (statement: Prisma.Sql) => Promise<readonly RoundRow[]>,
): Promise<FoundPath[]> {
  const { maxDepth, first } = options;
  const depths: RoundDepths = { forward: 1, backward: maxDepth > 1 ? 1 : 0 };
  for (;;) {
    const measure = depths.forward + depths.backward < maxDepth;
    const rows = await run(roundSql(fromId, toId, depths, first, measure, options));
    const { forwardFrontier = 0, backwardFrontier = 0, forwardEdges = null, backwardEdges = null } = rows[0] ?? {};
    const paths = rows.flatMap(({ nodes, edges }) => (nodes && edges ? [{ nodes, edges }] : []));
    if (paths.length >= first || !measure || forwardFrontier === 0 || backwardFrontier === 0) return paths;
    depths[nextSide({ forwardFrontier, backwardFrontier, forwardEdges, backwardEdges })] += 1;
  }
}

/**
 * The side whose frontier has fewer edges to walk; the lead (fewer paths) when the counts cannot tell,
 * that is on a tie, or when the lead reached the cap and the other side went past it.
 */
function nextSide(round: Pick<RoundRow, "forwardFrontier" | "backwardFrontier" | "forwardEdges" | "backwardEdges">) {
  const forwardLeads = round.forwardFrontier <= round.backwardFrontier;
  const lead = forwardLeads ? round.forwardEdges : round.backwardEdges;
  const other = forwardLeads ? round.backwardEdges : round.forwardEdges;
  const otherIsCheaper = lead !== null && other !== null && other < lead;
  return forwardLeads !== otherIsCheaper ? "forward" : "backward";
}

export interface PathStep {
  relationship: Relationship;
  from: Entity;
  to: Entity;
  /** OUTGOING when the step follows the relationship's own direction. */
  direction: "OUTGOING" | "INCOMING";
}

/** The shortest paths between two entities as steps with their relationships and entities. */
export async function loadShortestPaths(
  sql: SqlReader,
  fromId: number,
  toId: number,
  options: EdgeFilter & { maxDepth: number; first: number },
): Promise<PathStep[][]> {
  const found = await findPaths(fromId, toId, options, (statement) =>
    sql.query<RoundRow>(statement, { prepare: true }),
  );
  if (!found.length) return [];
  const [relationships, entities] = await Promise.all([
    readRows<Relationship>(sql, "Relationship", "id", [...new Set(found.flatMap((path) => path.edges))], "int"),
    readRows<Entity>(sql, "Entity", "id", [...new Set(found.flatMap((path) => path.nodes))], "int"),
  ]);
  const relationshipById = new Map(relationships.map((r) => [r.id, r]));
  const entityById = new Map(entities.map((e) => [e.id, e]));
  return found.map((path) =>
    path.edges.map((edgeId, index) => {
      const relationship = relationshipById.get(edgeId)!;
      const from = entityById.get(path.nodes[index]!)!;
      return {
        relationship,
        from,
        to: entityById.get(path.nodes[index + 1]!)!,
        direction: relationship.fromId === from.id ? ("OUTGOING" as const) : ("INCOMING" as const),
      };
    }),
  );
}
