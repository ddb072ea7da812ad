// Subgraphs for exploration: a bounded neighbourhood, one statement per depth level, whatever the
// degree of the hubs it meets. Shortest paths are in src/reads/paths.ts.
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";
import { edgeConditions, type Direction, type EdgeFilter } from "./edges.js";
import { columnPicker, entityPicker, prefixedEntityColumns, relationshipPicker } from "./entity-rows.js";

const pickOther = entityPicker("other.");
const pickOtherId = columnPicker<number>("otherId");

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
