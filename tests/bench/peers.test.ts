// The benchmark's peers answer the query mix exactly as our service does, on a scratch PostgreSQL
// database holding the seed graph: the textbook Pothos + plugin-prisma server, the naive Yoga + Prisma
// server, the floor (hand-written SQL) and PostGraphile (its closest equivalents, assembled as the
// benchmark does). No timing is asserted; statement counts are.
// PostgreSQL is required (PostGraphile and the floor speak to a server); without one the file is
// skipped with a message.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, seedDatabase } from "../../bench/database.js";
import { selectFixtures, type Fixtures } from "../../bench/fixtures.js";
import { startCountingProxy, viaProxy } from "../../bench/pg-proxy.js";
import { createFloorServer } from "../../bench/peers/floor.js";
import { createNaiveServer } from "../../bench/peers/naive.js";
import { createPothosTextbookServer } from "../../bench/peers/pothos-textbook/server.js";
import {
  checkOurAnswer,
  difference,
  postgraphileContext,
  queryMix,
  queryNames,
  type HttpRequest,
  type SystemContext,
} from "../../bench/queries.js";
import { startSystem, type RunningSystem } from "../../bench/systems.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createServer } from "../../src/server.js";
import { dropDatabase } from "../support/scratch-database.js";

const baseUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable(baseUrl);
if (!available)
  console.warn(`tests/bench/peers.test.ts skipped: no PostgreSQL at ${new URL(baseUrl).host} (set TEST_DATABASE_URL)`);

describe.skipIf(!available)(
  `benchmark peers answer as ours does${available ? "" : ` (skipped: no PostgreSQL at ${new URL(baseUrl).host}; set TEST_DATABASE_URL)`}`,
  () => {
    const name = `bench_peers_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
    let db: Database;
    let fixtures: Fixtures;
    let ours: (request: HttpRequest) => Promise<string>;
    let naive: ReturnType<typeof createNaiveServer>;
    let textbook: ReturnType<typeof createPothosTextbookServer>;
    let floor: ReturnType<typeof createFloorServer>;
    let floorBase: string;
    let postgraphile: RunningSystem;
    let postgraphileContextValues: SystemContext;

    beforeAll(async () => {
      await ensureDatabase(url);
      await seedDatabase(url, () => {});
      fixtures = await selectFixtures(url);
      db = await openDatabase({ databaseUrl: url, poolSize: 4 });
      const yoga = createServer(db);
      ours = async (request) =>
        (
          await yoga.fetch(`http://graph.test${request.path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: request.body,
          })
        ).text();
      naive = createNaiveServer(url, 4);
      textbook = createPothosTextbookServer(url, 4);
      floor = createFloorServer(url, 4);
      await new Promise<void>((resolve) => floor.server.listen(0, "127.0.0.1", resolve));
      floorBase = `http://127.0.0.1:${(floor.server.address() as AddressInfo).port}`;
      postgraphile = await startSystem("postgraphile", url, 4);
      postgraphileContextValues = await postgraphileContext(
        async (request) => JSON.parse((await postgraphile.send(request)).text),
        fixtures,
      );
    }, 180_000);

    afterAll(async () => {
      await postgraphile?.stop();
      floor?.server.close();
      await floor?.pool.end();
      await naive?.close();
      await textbook?.close();
      await db?.close();
      await dropDatabase(baseUrl, name);
    });

    async function answers(query: (typeof queryNames)[number]) {
      const mix = queryMix[query];
      const plan = mix.ours;
      if ("na" in plan) throw new Error("ours must answer every query");
      const ourAnswer = plan.canonical(JSON.parse(await ours(plan.request(fixtures, {}))), fixtures);
      checkOurAnswer(query, ourAnswer, fixtures);
      const others: Record<string, unknown> = {};
      for (const system of ["pothos-textbook", "naive", "floor", "postgraphile"] as const) {
        const p = mix[system];
        if ("na" in p) continue;
        const request = p.request(fixtures, system === "postgraphile" ? postgraphileContextValues : {});
        const text =
          system === "naive" || system === "pothos-textbook"
            ? await (
                await (system === "naive" ? naive : textbook).yoga.fetch(`http://${system}.test${request.path}`, {
                  method: "POST",
                  headers: { "content-type": "application/json" },
                  body: request.body,
                })
              ).text()
            : system === "floor"
              ? await (
                  await fetch(floorBase + request.path, {
                    method: "POST",
                    headers: { "content-type": "application/json" },
                    body: request.body,
                  })
                ).text()
              : (await postgraphile.send(request)).text;
        others[system] = p.canonical(JSON.parse(text), fixtures);
      }
      return { ourAnswer, others };
    }

    it.each(queryNames)(
      "%s: pothos-textbook, naive, floor and PostGraphile (where it has an equivalent) answer the same as ours",
      async (query) => {
        const { ourAnswer, others } = await answers(query);
        expect(Object.keys(others)).toEqual(expect.arrayContaining(["pothos-textbook", "naive", "floor"]));
        for (const [system, answer] of Object.entries(others)) {
          expect(difference(ourAnswer, answer), `${system} differs from ours`).toBeNull();
        }
      },
    );

    it("PostGraphile is n/a exactly for shortest paths and the four searches; the textbook peer for none", () => {
      const na = queryNames.filter((q) => "na" in queryMix[q].postgraphile);
      expect(na).toEqual(["paths", "paths_deep", "search", "search_exact", "search_prefix", "search_chinese"]);
      expect(queryNames.filter((q) => "na" in queryMix[q]["pothos-textbook"])).toEqual([]);
    });

    it("the textbook peer's statements per request: plugin-prisma batches each level of a selection", async () => {
      const proxy = await startCountingProxy({ host: new URL(url).hostname, port: Number(new URL(url).port || 5432) });
      const proxied = createPothosTextbookServer(viaProxy(url, proxy), 2);
      const statements = async (query: (typeof queryNames)[number]) => {
        const plan = queryMix[query]["pothos-textbook"];
        if ("na" in plan) throw new Error("unexpected");
        const request = plan.request(fixtures, {});
        const send = async () => {
          const response = await proxied.yoga.fetch(`http://pothos-textbook.test${request.path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: request.body,
          });
          plan.canonical(await response.json(), fixtures);
        };
        await send(); // the pool connects
        proxy.reset();
        await send();
        return proxy.counts().data;
      };
      try {
        expect(await statements("lookup_id")).toBe(1);
        // The alias, then the entity by key or alias.
        expect(await statements("lookup_name")).toBe(2);
        // Province, its city edges, the cities, their outgoing edges, the far ends: one statement per
        // level, whatever the number of cities.
        expect(await statements("traversal")).toBe(5);
        expect(await statements("connection_deep")).toBe(1);
        // The centre, one walk per level, the entities of each of the 3 levels, the edges with their
        // two ends and type.
        expect(await statements("neighborhood")).toBe(10);
        // The search statement, then the hits' entities in one batched findUnique.
        expect(await statements("search")).toBe(2);
      } finally {
        await proxied.close();
        await proxy.close();
      }
    });

    it("the counting proxy counts one statement per floor lookup and several for the naive traversal", async () => {
      const proxy = await startCountingProxy({ host: new URL(url).hostname, port: Number(new URL(url).port || 5432) });
      const proxiedFloor = createFloorServer(viaProxy(url, proxy), 2);
      const proxiedNaive = createNaiveServer(viaProxy(url, proxy), 2);
      try {
        await new Promise<void>((resolve) => proxiedFloor.server.listen(0, "127.0.0.1", resolve));
        const base = `http://127.0.0.1:${(proxiedFloor.server.address() as AddressInfo).port}`;
        const lookup = queryMix.lookup_id.floor;
        if ("na" in lookup) throw new Error("unexpected");
        const request = lookup.request(fixtures, {});
        const send = () => fetch(base + request.path, { method: "POST", body: request.body }).then((r) => r.text());
        await send(); // the pool connects and prepares its statement
        proxy.reset();
        for (let i = 0; i < 3; i++) await send();
        expect(proxy.counts()).toMatchObject({ total: 3, data: 3, control: 0 });

        const traversal = queryMix.traversal.naive;
        if ("na" in traversal) throw new Error("unexpected");
        const t = traversal.request(fixtures, {});
        await proxiedNaive.yoga.fetch(`http://naive.test${t.path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: t.body,
        });
        proxy.reset();
        await proxiedNaive.yoga.fetch(`http://naive.test${t.path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: t.body,
        });
        // One statement for the province, one per city list, one per city's edges: N+1 without batching.
        expect(proxy.counts().data).toBeGreaterThan(10);
      } finally {
        proxiedFloor.server.close();
        await proxiedFloor.pool.end();
        await proxiedNaive.close();
        await proxy.close();
      }
    });
  },
);
