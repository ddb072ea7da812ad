// A document holding several operations runs the one named by operationName, however it arrives:
// POST, GET, by documentId, by APQ hash, and from the response cache. Under graphql-jit (removed)
// the first operation compiled for a document answered for every other operation of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationId } from "../../src/operations/manifest.js";
import { createServer, type GraphServer } from "../../src/server.js";
import { startTestGraph, type GraphQLResponse, type TestGraph } from "../support/graph.js";

const document = /* GraphQL */ `
  query CityA { city(name: "Chongqing") { name } }
  query CityB { city(name: "Hefei") { name } }
`;
const answers = { CityA: { city: { name: "Chongqing" } }, CityB: { city: { name: "Hefei" } } };

let graph: TestGraph;
let cached: GraphServer;
let persisted: GraphServer;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  cached = createServer(graph.db, { responseCache: { ttlSeconds: 60 } });
  persisted = createServer(graph.db, {
    persistedOperations: { manifest: new Map([[operationId(document), document]]) },
  });
});
afterAll(async () => {
  await cached?.dispose();
  await persisted?.dispose();
  await graph?.close();
});

async function post(yoga: GraphServer, body: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await yoga.fetch("http://graph.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function get(yoga: GraphServer, params: Record<string, string>): Promise<GraphQLResponse> {
  const response = await yoga.fetch(`http://graph.test/graphql?${new URLSearchParams(params)}`, {
    headers: { accept: "application/graphql-response+json", "x-graphql-yoga-csrf": "1" },
  });
  return response.json();
}

describe("field order", () => {
  // An answer lists its fields in the order the operation selects them (GraphQL spec, "Executing
  // Selection Sets"), however long each takes: search reads the database, __typename does not.
  it("follows the selection, not the order in which fields resolve", async () => {
    const response = await graph.yoga.fetch("http://graph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({
        query: `{ slow: search(query: "Chongqing", first: 1) { totalCount } fast: __typename
          city(name: "Hefei") { relationships(first: 1) { totalCount } name __typename } }`,
      }),
    });
    const { data } = (await response.json()) as GraphQLResponse;
    expect(Object.keys(data!)).toEqual(["slow", "fast", "city"]);
    expect(Object.keys(data!.city)).toEqual(["relationships", "name", "__typename"]);
  });
});

describe("multi-operation documents", () => {
  it.each(["CityA", "CityB", "CityA"] as const)("POST with operationName %s answers that operation", async (name) => {
    expect(await post(graph.yoga, { query: document, operationName: name })).toEqual({ data: answers[name] });
  });

  it.each(["CityB", "CityA"] as const)("GET with operationName %s answers that operation", async (name) => {
    expect(await get(graph.yoga, { query: document, operationName: name })).toEqual({ data: answers[name] });
  });

  it.each(["CityA", "CityB"] as const)(
    "a persisted document, by documentId and by APQ hash, answers %s",
    async (name) => {
      expect(await post(persisted, { documentId: operationId(document), operationName: name })).toEqual({
        data: answers[name],
      });
      const extensions = { persistedQuery: { version: 1, sha256Hash: operationId(document) } };
      expect(await post(persisted, { extensions, operationName: name })).toEqual({ data: answers[name] });
    },
  );

  it("the response cache keys answers by operation: B after A is B's, and A again is A's", async () => {
    for (const name of ["CityA", "CityB", "CityA", "CityB"] as const) {
      expect(await post(cached, { query: document, operationName: name })).toEqual({ data: answers[name] });
    }
  });

  it("without operationName, a document of two operations is a coded request error", async () => {
    const body = await post(graph.yoga, { query: document });
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/Could not determine what operation to execute/);
    expect(body.errors?.[0]?.extensions?.code).not.toBe("INTERNAL_SERVER_ERROR");
  });
});
