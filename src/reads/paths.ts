// Shortest paths by meeting in the middle. Walking simple paths from one end costs about degree^length
// rows: a 3-hop path on the generated graph enumerated 1.5 million partial paths (3 s). Walking from
// both ends and joining where they meet costs about 2 x degree^(length/2) (a few milliseconds), and
// extending whichever side has the smaller frontier keeps a hub at one end from blowing up the walk.
//
// One statement per round: the first round walks one edge from each end, each later round one edge
// further on the side with fewer paths in its frontier, until enough paths are found or maxDepth is
// reached. A round returns every path up to its combined depth, so its answer stands on its own.
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
  forwardFrontier: number;
  backwardFrontier: number;
  nodes: number[] | null;
  edges: number[] | null;
}

/**
 * Simple paths (no entity twice, edges walked either way) from `fromId` to `toId` of at most
 * forward + backward edges, fewest edges first, then by their relationship ids, at most `first`.
 * Each path is the join of a partial path from `fromId` and one from `toId` that meet at an entity
 * and share no other: split at min(forward, length) edges from `fromId`, so each path is found once.
 * Prepare it: its plan does not depend on the values, and only the values change between rounds.
 */
function roundSql(
  fromId: number,
  toId: number,
  depths: RoundDepths,
  first: number,
  filter: EdgeFilter = {},
): Prisma.Sql {
  const where = edgeConditions(filter);
  // Steps from w.node, either way along an edge; walks never pass through the other end.
  const steps = Prisma.sql`CROSS JOIN LATERAL (
        SELECT r.id, r."toId" AS next FROM "Relationship" r WHERE r."fromId" = w.node AND ${where}
        UNION ALL
        SELECT r.id, r."fromId" AS next FROM "Relationship" r WHERE r."toId" = w.node AND ${where}
      ) step`;
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
    frontiers AS (
      SELECT
        (SELECT count(*) FROM forward WHERE cardinality(edges) = ${depths.forward}::int AND node <> ${toId}::int)::int AS "forwardFrontier",
        (SELECT count(*) FROM backward WHERE cardinality(edges) = ${depths.backward}::int AND node <> ${fromId}::int)::int AS "backwardFrontier"
    )
    SELECT frontiers.*, found.nodes, found.edges
    FROM frontiers LEFT JOIN LATERAL (
      SELECT f.nodes || b.nodes[2:] AS nodes, f.edges || b.edges AS edges
      FROM forward f JOIN backward b ON b.node = f.node
      WHERE (cardinality(f.edges) = ${depths.forward}::int OR cardinality(b.edges) = 0) AND NOT (f.nodes && b.nodes[2:])
      ORDER BY cardinality(f.edges) + cardinality(b.edges), 2
      LIMIT ${first}::int
    ) found ON true`;
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
    const rows = await run(roundSql(fromId, toId, depths, first, options));
    const { forwardFrontier = 0, backwardFrontier = 0 } = rows[0] ?? {};
    const paths = rows.flatMap(({ nodes, edges }) => (nodes && edges ? [{ nodes, edges }] : []));
    const done = paths.length >= first || depths.forward + depths.backward >= maxDepth;
    if (done || forwardFrontier === 0 || backwardFrontier === 0) return paths;
    if (forwardFrontier <= backwardFrontier) depths.forward += 1;
    else depths.backward += 1;
  }
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
