// Subgraphs for exploration: a bounded neighbourhood (one statement per depth level, whatever the
// degree of the hubs it meets) and shortest paths (one recursive statement with cycle protection).
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import { readRows, type SqlReader } from "./sql-reader.js";
import { typeCondition, type Direction } from "./edges.js";
import { columnPicker, entityPicker, prefixedEntityColumns, relationshipPicker } from "./entity-rows.js";

const pickOther = entityPicker("other.");
const pickOtherId = columnPicker<number>("otherId");

export interface EdgeFilter {
  types?: readonly string[] | null;
  asOf?: Date | null;
}

function edgeConditions(filter: EdgeFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (filter.types?.length) parts.push(typeCondition(filter.types));
  if (filter.asOf) {
    parts.push(Prisma.sql`(r."validFrom" IS NULL OR r."validFrom" <= ${filter.asOf}::date)`);
    parts.push(Prisma.sql`(r."validTo" IS NULL OR r."validTo" >= ${filter.asOf}::date)`);
  }
  return Prisma.join(parts, " AND ");
}

export interface Neighborhood {
  nodes: { entity: Entity; depth: number }[];
  edges: Relationship[];
  truncated: boolean;
}

export async function loadNeighborhood(
  sql: SqlReader,
  start: Entity,
  options: EdgeFilter & { depth: number; direction: Direction; limit: number },
): Promise<Neighborhood> {
  const nodes = new Map<number, { entity: Entity; depth: number }>([[start.id, { entity: start, depth: 0 }]]);
  const edges = new Map<number, Relationship>();
  let frontier = [start.id];
  let truncated = false;
  const where = edgeConditions(options);
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const remaining = options.limit - edges.size;
    if (remaining <= 0) {
      truncated = true;
      break;
    }
    // Each frontier node contributes at most `remaining + 1` edges per direction, read in id order
    // from the (end, id) indexes: the lowest ids overall are among them, and a hub of the frontier
    // costs a page of its edges, not all of them.
    const seen = [...edges.keys()];
    const take = remaining + 1;
    const branch = (anchor: "fromId" | "toId", other: "fromId" | "toId") =>
      Prisma.sql`(SELECT r.*, r.${Prisma.raw(`"${other}"`)} AS "otherId" FROM "Relationship" r
        WHERE r.${Prisma.raw(`"${anchor}"`)} = f.id AND ${where} AND NOT (r.id = ANY(${seen}::int[])) ORDER BY r.id LIMIT ${take})`;
    const branches: Prisma.Sql[] = [];
    if (options.direction !== "INCOMING") branches.push(branch("fromId", "toId"));
    if (options.direction !== "OUTGOING") branches.push(branch("toId", "fromId"));
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
    if (rows.length > remaining) {
      truncated = true;
      rows.length = remaining;
    }
    const [relationshipOf, otherIdOf, otherOf] = [relationshipPicker()(table), pickOtherId(table), pickOther(table)];
    const next: number[] = [];
    for (const row of rows) {
      const relationship = relationshipOf(row);
      const otherId = otherIdOf(row);
      edges.set(relationship.id, relationship);
      if (!nodes.has(otherId)) {
        nodes.set(otherId, { entity: otherOf(row), depth });
        next.push(otherId);
      }
    }
    frontier = next;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}

export interface PathStep {
  relationship: Relationship;
  from: Entity;
  to: Entity;
  /** OUTGOING when the step follows the relationship's own direction. */
  direction: "OUTGOING" | "INCOMING";
}

/**
 * Shortest paths between two entities, edges walked either way. The recursive query grows level by
 * level and the outer LIMIT stops it at the first level that reaches the target; a node is never
 * visited twice on one path.
 */
export async function loadShortestPaths(
  sql: SqlReader,
  fromId: number,
  toId: number,
  options: EdgeFilter & { maxDepth: number; first: number },
): Promise<PathStep[][]> {
  const where = edgeConditions(options);
  const rows = await sql.query<{ nodes: number[]; edges: number[] }>(
    Prisma.sql`
    WITH RECURSIVE walk(node, nodes, edges) AS (
      SELECT ${fromId}::int, ARRAY[${fromId}::int], ARRAY[]::int[]
      UNION ALL
      SELECT step.next, w.nodes || step.next, w.edges || step.id
      FROM walk w
      CROSS JOIN LATERAL (
        SELECT r.id, r."toId" AS next FROM "Relationship" r WHERE r."fromId" = w.node AND ${where}
        UNION ALL
        SELECT r.id, r."fromId" AS next FROM "Relationship" r WHERE r."toId" = w.node AND ${where}
      ) step
      WHERE cardinality(w.edges) < ${options.maxDepth} AND w.node <> ${toId}::int AND NOT step.next = ANY(w.nodes)
    )
    SELECT nodes, edges FROM walk WHERE node = ${toId}::int LIMIT ${options.first}`,
    { prepare: true },
  );
  if (!rows.length) return [];
  const relationshipIds = [...new Set(rows.flatMap((row) => row.edges))];
  const entityIds = [...new Set(rows.flatMap((row) => row.nodes))];
  const [relationships, entities] = await Promise.all([
    readRows<Relationship>(sql, "Relationship", "id", relationshipIds, "int"),
    readRows<Entity>(sql, "Entity", "id", entityIds, "int"),
  ]);
  const relationshipById = new Map(relationships.map((r) => [r.id, r]));
  const entityById = new Map(entities.map((e) => [e.id, e]));
  return rows.map((row) =>
    row.edges.map((edgeId, index) => {
      const relationship = relationshipById.get(edgeId)!;
      const from = entityById.get(row.nodes[index]!)!;
      return {
        relationship,
        from,
        to: entityById.get(row.nodes[index + 1]!)!,
        direction: relationship.fromId === from.id ? ("OUTGOING" as const) : ("INCOMING" as const),
      };
    }),
  );
}
