// Persisted operations as clients use them: a manifest document by `documentId` (Relay, Codegen),
// automatic persisted queries by hash (urql's persisted exchange over real HTTP, GET included),
// trusted-documents mode, and registrations shared by two instances through Redis.
import { connectRedis, type SharedRedis } from "../../src/db/redis.js";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, fetchExchange, gql } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationId } from "../../src/operations/manifest.js";
import { createServer, type GraphServer } from "../../src/server.js";
import { startTestGraph, testRedisUrl, type GraphQLResponse, type TestGraph } from "../support/graph.js";

const cityQuery = /* GraphQL */ `query CityByName($name: String!) { city(name: $name) { name province { name } } }`;
const manifest = new Map([[operationId(cityQuery), cityQuery]]);
const chengdu = { city: { name: "Chengdu", province: { name: "Sichuan" } } };

type Body = Record<string, unknown>;

/** POSTs a raw GraphQL-over-HTTP body, as a client's network layer does; returns status and JSON. */
async function post(yoga: GraphServer, body: Body, headers: Record<string, string> = {}) {
  const response = await yoga.fetch("http://graph.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const codeOf = (body: GraphQLResponse) => body.errors?.[0]?.extensions?.code;

describe("persisted operations, open mode (the default)", () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ readOnly: true, server: { persistedOperations: { manifest } } });
  });
  afterAll(() => graph.close());

  it("runs a manifest document named by documentId, with the same answer as its text", async () => {
    const byId = await post(graph.yoga, { documentId: operationId(cityQuery), variables: { name: "Chengdu" } });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ data: chengdu });
    expect(await graph.query(cityQuery, { name: "Chengdu" })).toEqual(byId.body);
  });

  it("answers an unknown documentId with PERSISTED_QUERY_NOT_FOUND and reads nothing", async () => {
    graph.resetStatements();
    const { body } = await post(graph.yoga, { documentId: "no-such-document", variables: { name: "Chongqing" } });
    expect(codeOf(body)).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect(body.errors?.[0]?.message).toContain('"no-such-document"');
    expect(body.data).toBeUndefined();
    expect(graph.statements).toEqual([]);
  });

  it("says what to send when a request has neither a document nor an id", async () => {
    const { status, body } = await post(graph.yoga, { variables: {} });
    expect(status).toBe(400);
    expect(codeOf(body)).toBe("BAD_REQUEST");
    expect(body.errors?.[0]?.message).toMatch(/"query".*"documentId"/);
  });

  it("finds a manifest document by its APQ hash without registration", async () => {
    const { body } = await post(graph.yoga, {
      extensions: apq(operationId(cityQuery)),
      variables: { name: "Chengdu" },
    });
    expect(body).toEqual({ data: chengdu });
  });

  it("registers an APQ document sent with its hash, then runs it by hash alone (POST and GET)", async () => {
    const query = `query ProvinceOf($name: String!) { city(name: $name) { province { name nameZh } } }`;
    const hash = operationId(query);
    const unknown = await post(graph.yoga, { extensions: apq(hash), variables: { name: "Hefei" } });
    // 200, as APQ clients read the error from the body and then send the text.
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: "PersistedQueryNotFound",
      extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
    });

    const registered = await post(graph.yoga, { query, extensions: apq(hash), variables: { name: "Hefei" } });
    expect(registered.body).toEqual({ data: { city: { province: { name: "Anhui", nameZh: "安徽" } } } });

    const byHash = await post(graph.yoga, { extensions: apq(hash), variables: { name: "Hefei" } });
    expect(byHash.body).toEqual(registered.body);
    const search = new URLSearchParams({
      extensions: JSON.stringify(apq(hash)),
      variables: JSON.stringify({ name: "Hefei" }),
    });
    // A GET needs a header no other web page could make a visitor's browser send (CSRF prevention).
    const get = await graph.yoga.fetch(`http://graph.test/graphql?${search}`, {
      headers: { accept: "application/json", "x-graphql-yoga-csrf": "1" },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual(registered.body);
    const forged = await graph.yoga.fetch(`http://graph.test/graphql?${search}`, {
      headers: { accept: "application/json" },
    });
    expect(forged.status).toBe(403);
    expect(codeOf((await forged.json()) as GraphQLResponse)).toBe("CSRF_HEADER_REQUIRED");
  });

  it("refuses a document whose hash is not its own, and does not register it", async () => {
    const hash = operationId("query Other { __typename }");
    const { status, body } = await post(graph.yoga, {
      query: `{ provinces(first: 1) { totalCount } }`,
      extensions: apq(hash),
    });
    expect(status).toBe(400);
    expect(codeOf(body)).toBe("PERSISTED_QUERY_MISMATCH");
    expect(codeOf((await post(graph.yoga, { extensions: apq(hash) })).body)).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("still runs documents sent as text, as every client not using persisted operations does", async () => {
    expect(await graph.query(`{ city(name: "Chongqing") { name } }`)).toEqual({
      data: { city: { name: "Chongqing" } },
    });
  });
});

describe("urql's persisted exchange against a real HTTP server", () => {
  let graph: TestGraph;
  let http: Server;
  let url: string;
  const sent: Body[] = [];

  beforeAll(async () => {
    graph = await startTestGraph({ readOnly: true });
    http = createHttpServer(graph.yoga);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
    await graph.close();
  });

  it("registers the document on first use and sends only its hash afterwards", async () => {
    const recordingFetch: typeof fetch = async (input, init) => {
      const target = new URL(String(input));
      sent.push(
        init?.body
          ? JSON.parse(String(init.body))
          : Object.fromEntries([...target.searchParams].map(([k, v]) => [k, JSON.parse(v)])),
      );
      return fetch(input, init);
    };
    const client = new Client({
      url,
      fetch: recordingFetch,
      preferGetMethod: false,
      requestPolicy: "network-only",
      exchanges: [persistedExchange({ preferGetForPersistedQueries: false }), fetchExchange],
    });
    const document = gql(cityQuery);
    const first = await client.query(document, { name: "Chengdu" }).toPromise();
    expect(first.error).toBeUndefined();
    expect(first.data).toEqual(chengdu);
    // The hash alone (unknown), then the text with its hash (registered).
    expect(sent.map((body) => "query" in body)).toEqual([false, true]);

    sent.length = 0;
    const second = await client.query(document, { name: "Chengdu" }).toPromise();
    expect(second.data).toEqual(chengdu);
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty("query");
    expect(sent[0]).toHaveProperty("extensions.persistedQuery.sha256Hash");
  });
});

describe("trusted documents (PERSISTED_OPERATIONS_ONLY=1)", () => {
  let graph: TestGraph;
  let admin: string;
  let writer: string;
  beforeAll(async () => {
    graph = await startTestGraph({ server: { persistedOperations: { manifest, only: true } } });
    admin = await graph.token(["graph:admin"]);
    writer = await graph.token(["graph:write"]);
  });
  afterAll(() => graph.close());

  it("runs manifest documents by documentId and by their hash", async () => {
    expect(
      (await post(graph.yoga, { documentId: operationId(cityQuery), variables: { name: "Chengdu" } })).body,
    ).toEqual({ data: chengdu });
    expect(
      (await post(graph.yoga, { extensions: apq(operationId(cityQuery)), variables: { name: "Chengdu" } })).body,
    ).toEqual({ data: chengdu });
  });

  it("refuses any other document, and registrations, before reading anything", async () => {
    graph.resetStatements();
    const text = await post(graph.yoga, { query: `{ city(name: "Chongqing") { name } }` });
    expect(text.status).toBe(400);
    expect(codeOf(text.body)).toBe("PERSISTED_QUERY_ONLY");
    expect(text.body.data).toBeUndefined();

    const other = `{ provinces(first: 1) { totalCount } }`;
    const registration = await post(graph.yoga, { query: other, extensions: apq(operationId(other)) });
    expect(codeOf(registration.body)).toBe("PERSISTED_QUERY_ONLY");
    expect(codeOf((await post(graph.yoga, { extensions: apq(operationId(other)) })).body)).toBe(
      "PERSISTED_QUERY_NOT_FOUND",
    );
    // Only the token lookup of the caller (none here) could have read; nothing did.
    expect(graph.statements).toEqual([]);
  });

  it("runs any document for a graph:admin token (GraphiQL, operators), and for no lesser token", async () => {
    const query = `{ city(name: "Chongqing") { name } }`;
    expect((await post(graph.yoga, { query }, { authorization: `Bearer ${admin}` })).body).toEqual({
      data: { city: { name: "Chongqing" } },
    });
    expect(codeOf((await post(graph.yoga, { query }, { authorization: `Bearer ${writer}` })).body)).toBe(
      "PERSISTED_QUERY_ONLY",
    );
  });
});

describe.skipIf(!testRedisUrl)(
  "APQ registrations shared through Redis by two instances (runs where Redis answers: the PostgreSQL pass, or TEST_REDIS_URL)",
  () => {
    let graph: TestGraph;
    let other: GraphServer;
    let isolated: GraphServer;
    const keyPrefix = `test-apq-${process.pid}-${Date.now()}:`;
    const connections: SharedRedis[] = [];
    const redisWith = (prefix: string) => {
      const redis = connectRedis(testRedisUrl!, prefix);
      connections.push(redis);
      return redis;
    };

    beforeAll(async () => {
      graph = await startTestGraph({
        server: { persistedOperations: { manifest: new Map() }, redis: redisWith(keyPrefix) },
      });
      other = createServer(graph.db, { persistedOperations: { manifest: new Map() }, redis: redisWith(keyPrefix) });
      isolated = createServer(graph.db, {
        persistedOperations: { manifest: new Map() },
        redis: redisWith(`${keyPrefix}other:`),
      });
      await Promise.all(connections.map((redis) => redis.ready(5_000)));
    });
    afterAll(async () => {
      await other?.dispose();
      await isolated?.dispose();
      await graph?.close();
      await Promise.all(connections.map((redis) => redis.close()));
    });

    it("a document registered on one instance runs by hash on the other; another prefix does not see it", async () => {
      const query = `query Shared { city(name: "Chengdu") { name province { name } } }`;
      const hash = operationId(query);
      expect((await post(graph.yoga, { query, extensions: apq(hash) })).body.data).toEqual({
        city: { name: "Chengdu", province: { name: "Sichuan" } },
      });
      expect((await post(other, { extensions: apq(hash) })).body.data).toEqual({
        city: { name: "Chengdu", province: { name: "Sichuan" } },
      });
      expect(codeOf((await post(isolated, { extensions: apq(hash) })).body)).toBe("PERSISTED_QUERY_NOT_FOUND");
    });
  },
);
