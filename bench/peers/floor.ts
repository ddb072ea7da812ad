// The floor: the query mix answered by hand-written SQL through `pg`, behind a minimal HTTP endpoint
// with no GraphQL layer (no parsing, validation, resolvers or ORM). POST /<query> with the variables
// as a JSON body; the answer is JSON. Statements are prepared once per connection (named).
//
//   DATABASE_URL=postgresql://... PORT=0 node --import tsx bench/peers/floor.ts
import { createServer, type IncomingMessage, type Server } from "node:http";
import pg from "pg";
import { servePeerWhenMain } from "./serve.js";
import { normalizeName } from "../../src/names.js";
import { findPaths, type RoundRow } from "../../src/reads/paths.js";
import {
  citiesAfterSql,
  entityByKeySql,
  entityByNameSql,
  neighborhoodLevelSql,
  pathStepsSql,
  runSearch,
  traversalSql,
} from "./sql.js";

type Vars = Record<string, any>;
type Handler = (pool: pg.Pool, vars: Vars) => Promise<unknown>;

const q = (pool: pg.Pool, name: string, text: string, values: unknown[]) => pool.query({ name, text, values });

const handlers: Record<string, Handler> = {
  async lookup_id(pool, { key }) {
    const { rows } = await q(pool, "entity_by_key", entityByKeySql, [key]);
    const e = rows[0];
    return e ? { key: e.key, name: e.name, nameZh: e.nameZh, kind: e.kind } : null;
  },

  async lookup_name(pool, { name }) {
    const { rows } = await q(pool, "entity_by_name", entityByNameSql, [normalizeName(name), String(name).trim()]);
    return rows[0] ?? null;
  },

  async traversal(pool, { key, cities = 20, relationships = 10 }) {
    const { rows } = await q(pool, "traversal", traversalSql, [key, cities, relationships]);
    if (!rows.length) return null;
    const out: { name: string; cities: { name: string; relationships: { type: string; target: string }[] }[] } = {
      name: rows[0].province,
      cities: [],
    };
    let last: number | null = null;
    for (const row of rows) {
      if (row.rid == null) continue;
      if (row.rid !== last) {
        out.cities.push({ name: row.city, relationships: [] });
        last = row.rid;
      }
      if (row.type != null) out.cities.at(-1)!.relationships.push({ type: row.type, target: row.target });
    }
    return out;
  },

  async connection_deep(pool, { after, first = 20 }) {
    const { rows } = await q(pool, "cities_after", citiesAfterSql, [after, first + 1]);
    return { hasNextPage: rows.length > first, nodes: rows.slice(0, first) };
  },

  async neighborhood(pool, { key, depth = 2, limit = 100 }) {
    const start = (await q(pool, "entity_by_key", entityByKeySql, [key])).rows[0];
    if (!start) return null;
    const nodes = new Map<number, { key: string; kind: string; label: string; depth: number }>([
      [start.id, { key: start.key, kind: start.kind, label: start.name, depth: 0 }],
    ]);
    const edges = new Map<number, { key: string; fromId: number; toId: number; type: string; label: string }>();
    let frontier: number[] = [start.id];
    let truncated = false;
    for (let level = 1; level <= depth && frontier.length; level++) {
      const remaining = limit - edges.size;
      if (remaining <= 0) {
        truncated = true;
        break;
      }
      const { rows } = await q(pool, "neighborhood_level", neighborhoodLevelSql, [
        frontier,
        [...edges.keys()],
        remaining + 1,
      ]);
      if (rows.length > remaining) {
        truncated = true;
        rows.length = remaining;
      }
      const next: number[] = [];
      for (const row of rows) {
        edges.set(row.id, { key: row.key, fromId: row.fromId, toId: row.toId, type: row.typeKey, label: row.label });
        if (!nodes.has(row.otherId)) {
          nodes.set(row.otherId, { key: row.otherKey, kind: row.otherKind, label: row.otherName, depth: level });
          next.push(row.otherId);
        }
      }
      frontier = next;
    }
    return {
      truncated,
      nodes: [...nodes.values()],
      edges: [...edges.values()].map((e) => ({
        key: e.key,
        source: nodes.get(e.fromId)!.key,
        target: nodes.get(e.toId)!.key,
        type: e.type,
        label: e.label,
      })),
    };
  },

  async paths(pool, { from, to, maxDepth = 4, first = 3 }) {
    const ends = (
      await q(pool, "entities_by_keys", `SELECT id, key FROM "Entity" WHERE key = ANY($1::text[])`, [[from, to]])
    ).rows;
    const fromId = ends.find((e) => e.key === from)?.id;
    const toId = ends.find((e) => e.key === to)?.id;
    if (fromId == null || toId == null) return null;
    const found = await findPaths(
      fromId,
      toId,
      { maxDepth, first },
      async (round) => (await q(pool, "path_round", round.text, round.values)).rows as RoundRow[],
    );
    if (!found.length) return [];
    const steps = (await q(pool, "path_steps", pathStepsSql, [[...new Set(found.flatMap((p) => p.edges))]])).rows;
    const byId = new Map(steps.map((s) => [s.id, s]));
    return found.map((path) => ({
      length: path.edges.length,
      steps: path.edges.map((edgeId, i) => {
        const s = byId.get(edgeId)!;
        const forward = s.fromId === path.nodes[i];
        return {
          label: forward ? s.label : s.inverseLabel,
          from: forward ? { key: s.fromKey, name: s.fromName } : { key: s.toKey, name: s.toName },
          to: forward ? { key: s.toKey, name: s.toName } : { key: s.fromKey, name: s.fromName },
          relationship: { key: s.key },
        };
      }),
    }));
  },

  async search(pool, { query, first = 10 }) {
    const rows = await runSearch(query, first, async (statement) => (await pool.query(statement)).rows);
    return {
      totalCount: rows[0]?.total ?? 0,
      totalCountExact: rows[0]?.exact ?? true,
      hits: rows.map((r) => ({
        score: r.score,
        matchedField: r.matchedField,
        entity: { key: r.entity.key, name: r.entity.name, kind: r.entity.kind },
      })),
    };
  },
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function createFloorServer(databaseUrl: string, poolSize = 10): { server: Server; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const server = createServer(async (request, response) => {
    const handler = handlers[(request.url ?? "/").slice(1)];
    if (request.method !== "POST" || !handler) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "POST /<query>", queries: Object.keys(handlers) }));
      return;
    }
    try {
      const result = await handler(pool, JSON.parse((await readBody(request)) || "{}"));
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: result }));
    } catch (error) {
      response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  });
  return { server, pool };
}

servePeerWhenMain(import.meta.url, (databaseUrl, poolSize) => {
  const { server, pool } = createFloorServer(databaseUrl, poolSize);
  return { server, path: "", close: () => pool.end() };
});
