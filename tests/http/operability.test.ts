// What operators and browsers meet: health and readiness, Prometheus metrics, request ids, CORS,
// production error messages, introspection, and the per-client rate limit (shared through Redis).
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, type SharedRedis } from "../../src/db/redis.js";
import { withRequestLog } from "../../src/http/request-log.js";
import { createServer, type GraphServer, type ServerOptions } from "../../src/server.js";
import { startTestGraph, testRedisUrl, type GraphQLResponse, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
const servers: GraphServer[] = [];
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.dispose()));
  await graph?.close();
});

function serve(options: ServerOptions = {}, db: Parameters<typeof createServer>[0] = graph.db): GraphServer {
  const server = createServer(db, options);
  servers.push(server);
  return server;
}

const post = (yoga: GraphServer, query: string, headers: Record<string, string> = {}) =>
  yoga.fetch("http://graph.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });

describe("health and readiness", () => {
  it("/health answers while the process lives", async () => {
    expect((await graph.yoga.fetch("http://graph.test/health")).status).toBe(200);
  });

  it("/ready is 200 while the database answers, 503 when it does not, 503 draining once shutdown begins", async () => {
    const ready = await graph.yoga.fetch("http://graph.test/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok" } });

    const unreachable = serve({}, { ...graph.db, ping: async () => false });
    const down = await unreachable.fetch("http://graph.test/ready");
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable", checks: { database: "down" } });

    const draining = serve({ draining: () => true });
    const leaving = await draining.fetch("http://graph.test/ready");
    expect(leaving.status).toBe(503);
    expect((await leaving.json()).status).toBe("draining");
  });
});

describe("/metrics", () => {
  it("counts requests and errors by operation, cache lookups and the process, in Prometheus' format", async () => {
    const server = serve();
    // A first request pays for cold caches (the seeded graph's tables are read for the first time),
    // which on a busy machine can pass the 0.25 s bucket this test counts in.
    await post(server, `query MetricsWarmUp { city(name: "Chongqing") { name } }`);
    for (let i = 0; i < 2; i++) await post(server, `query MetricsProbe { city(name: "Chongqing") { name } }`);
    await server.fetch("http://graph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `query Broken { city(name: "Chongqing") { nope } }`, operationName: "Broken" }),
    });
    const response = await server.fetch("http://graph.test/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(
      /graphql_request_duration_seconds_count\{operation="MetricsProbe",type="query",status="200"\} 2/,
    );
    expect(text).toMatch(
      /graphql_request_duration_seconds_bucket\{le="0.25",operation="MetricsProbe",type="query",status="200"\} 2/,
    );
    expect(text).toMatch(/graphql_errors_total\{operation="Broken",code="GRAPHQL_VALIDATION_FAILED"\} 1/);
    expect(text).toContain("process_resident_memory_bytes");
    if (graph.db.dialect === "postgres") expect(text).toMatch(/graph_db_pool_connections\{pool="main",state="idle"\}/);
  });

  it("counts the response cache's stores and hits", async () => {
    const server = serve({ responseCache: { ttlSeconds: 60 } });
    for (let i = 0; i < 3; i++) await post(server, `query Cached { city(name: "Hefei") { name } }`);
    const text = await (await server.fetch("http://graph.test/metrics")).text();
    expect(text).toMatch(/graph_response_cache_stores_total 1/);
    expect(text).toMatch(/graph_response_cache_hits_total 2/);
  });
});

describe("request ids over real HTTP", () => {
  let http: Server;
  let base: string;
  beforeAll(async () => {
    http = createHttpServer(withRequestLog(graph.yoga));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => http.close(resolve)));

  it("keeps a caller's X-Request-Id and makes one otherwise", async () => {
    const given = await fetch(`${base}/health`, { headers: { "x-request-id": "trace-42" } });
    expect(given.headers.get("x-request-id")).toBe("trace-42");
    const made = await fetch(`${base}/health`, { headers: { "x-request-id": "not an id; <script>" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("browsers", () => {
  const preflight = (yoga: GraphServer, origin: string) =>
    yoga.fetch("http://graph.test/graphql", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });

  it("by default any origin may read, never with credentials", async () => {
    const response = await preflight(graph.yoga, "https://anyone.example");
    expect(["*", "https://anyone.example"]).toContain(response.headers.get("access-control-allow-origin"));
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("with CORS_ORIGINS, only the origins listed, with credentials", async () => {
    const server = serve({ corsOrigins: ["https://app.example"] });
    const allowed = await preflight(server, "https://app.example");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await preflight(server, "https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).not.toBe("*");
  });

  it("a form POST, which any page could send, needs a preflight header (CSRF prevention)", async () => {
    const form = await graph.yoga.fetch("http://graph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: "{ __typename }" }).toString(),
    });
    expect(form.status).toBe(403);
    expect(((await form.json()) as GraphQLResponse).errors?.[0]?.extensions?.code).toBe("CSRF_HEADER_REQUIRED");
  });

  it("in production, validation errors do not suggest field names", async () => {
    const typo = `{ city(name: "Chongqing") { nmae } }`;
    const development = (await (await post(graph.yoga, typo)).json()) as GraphQLResponse;
    expect(development.errors?.[0]?.message).toContain("Did you mean");
    const production = (await (await post(serve({ production: true }), typo)).json()) as GraphQLResponse;
    expect(production.errors?.[0]?.message).toBe(`Cannot query field "nmae" on type "City".`);
  });

  it("introspection can be turned off", async () => {
    const closed = (await (
      await post(serve({ introspection: false }), `{ __schema { queryType { name } } }`)
    ).json()) as GraphQLResponse;
    expect(closed.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const open = (await (await post(graph.yoga, `{ __schema { queryType { name } } }`)).json()) as GraphQLResponse;
    expect(open.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });
});

async function expectRateLimited(response: Response) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  const body = (await response.json()) as GraphQLResponse;
  expect(body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });
  expect(body.errors?.[0]?.message).toMatch(/at most 3 a minute per client \(RATE_LIMIT_PER_MINUTE\)/);
}

describe("rate limit", () => {
  it("refuses the fourth request of a minute from one client with 429 and Retry-After; a token counts apart; an admin is exempt", async () => {
    const server = serve({ rateLimit: { perMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await post(server, "{ __typename }")).status).toBe(200);
    await expectRateLimited(await post(server, "{ __typename }"));
    // The same address with a live token is counted by the token.
    const writer = await graph.token(["graph:write"]);
    for (let i = 0; i < 3; i++)
      expect((await post(server, "{ __typename }", { authorization: `Bearer ${writer}` })).status).toBe(200);
    await expectRateLimited(await post(server, "{ __typename }", { authorization: `Bearer ${writer}` }));
    // An unknown token is no way around the limit: it counts as the address.
    await expectRateLimited(await post(server, "{ __typename }", { authorization: `Bearer cgt_${randomUUID()}` }));
    const admin = await graph.token(["graph:admin"]);
    for (let i = 0; i < 5; i++)
      expect((await post(server, "{ __typename }", { authorization: `Bearer ${admin}` })).status).toBe(200);
    expect((await server.fetch("http://graph.test/health")).status).toBe(200);
  });

  describe.skipIf(!testRedisUrl)("shared by two instances through Redis (skipped without Redis)", () => {
    const connections: SharedRedis[] = [];
    afterAll(() => Promise.all(connections.map((redis) => redis.close())));

    it("counts every instance's requests against one limit", async () => {
      const prefix = `test-rate-${randomUUID().slice(0, 8)}:`;
      const [a, b] = await Promise.all(
        [0, 1].map(async () => {
          const redis = connectRedis(testRedisUrl!, prefix);
          connections.push(redis);
          await redis.ready(5_000);
          return serve({ redis, rateLimit: { perMinute: 3 } });
        }),
      );
      expect((await post(a!, "{ __typename }")).status).toBe(200);
      expect((await post(b!, "{ __typename }")).status).toBe(200);
      expect((await post(a!, "{ __typename }")).status).toBe(200);
      await expectRateLimited(await post(b!, "{ __typename }"));
    });
  });
});
