// Hostile requests are refused before they cost anything, with a code naming the limit and its
// value: each document below used to exhaust memory, pin a core for minutes, or build a response of
// tens of megabytes (issue 17). Under application/graphql-response+json a refusal is a 400.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type GraphServer } from "../../src/server.js";
import { defaultLimits } from "../../src/limits/defaults.js";
import { queryServer, startTestGraph, type GraphQLResponse, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

async function send(
  yoga: GraphServer,
  body: Record<string, unknown> | string,
  accept = "application/graphql-response+json",
) {
  const response = await yoga.fetch("http://graph.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

const nested = (levels: number, first = 2) => {
  let selection = "name";
  for (let i = 0; i < levels; i++) selection = `relationships(first: ${first}) { edges { other { ${selection} } } }`;
  return `{ entity(name: "Chongqing") { ${selection} } }`;
};

function expectLimit(body: GraphQLResponse, limit: string) {
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit });
  const { max, actual } = body.errors![0]!.extensions as { max: number; actual: number };
  expect(actual).toBeGreaterThan(max);
  return body.errors![0]!;
}

describe("limits on the document, before validation", () => {
  it("refuses the 6-level interface nesting that exhausted memory, naming the depth and its limit", async () => {
    const { status, body } = await send(graph.yoga, { query: nested(6) });
    expect(status).toBe(400);
    const error = expectLimit(body, "depth");
    expect(error.message).toMatch(/20 levels deep; the limit is 15 \(MAX_DEPTH\)/);
  });

  it("answers the 4-level nesting that took 2.2 GB under graphql-jit, within its limits", async () => {
    const { status, body } = await send(graph.yoga, { query: nested(4) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.entity.relationships.edges).toHaveLength(2);
  });

  it("refuses a fragment bomb (20 levels of two aliases each) at once", async () => {
    const fragments = Array.from(
      { length: 20 },
      (_, i) =>
        `fragment F${i} on Entity { a: relationships(first: 1) { edges { other { ...F${i + 1} } } } b: relationships(first: 1) { edges { other { ...F${i + 1} } } } }`,
    );
    const query = `{ entity(name: "Chongqing") { ...F0 } } ${fragments.join(" ")} fragment F20 on Entity { name }`;
    const { status, body } = await send(graph.yoga, { query });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
  });

  it("counts aliases with their fragments spread: a fragment used twice counts twice", async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(" ");
    const query = `{ entity(name: "Chongqing") { ...Many ...Many } } fragment Many on Entity { ${aliases} }`;
    const error = expectLimit((await send(graph.yoga, { query })).body, "aliases");
    expect(error.extensions).toMatchObject({ max: 30, actual: 32 });
  });

  it("refuses 10,000 aliases of entity(name:) by their tokens, before parsing them all", async () => {
    const query = `{ ${Array.from({ length: 10_000 }, (_, i) => `e${i}: entity(name: "Chongqing") { name }`).join(" ")} }`;
    expectLimit((await send(graph.yoga, { query })).body, "tokens");
  });

  it("refuses too many directives", async () => {
    const query = `{ entity(name: "Chongqing") { ${Array.from({ length: 60 }, () => "name @include(if: true)").join(" ")} } }`;
    expectLimit((await send(graph.yoga, { query })).body, "directives");
  });

  it("a refusal before execution is 200 under application/json, as GraphQL over HTTP asks", async () => {
    const { status, body } = await send(graph.yoga, { query: nested(6) }, "application/json");
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
  });
});

describe("limits on what a request may cost", () => {
  it("refuses 10 aliases of a 3-level relationships(first: 100) (a 79 MB answer), by its cost", async () => {
    const level3 = `relationships(first: 100) { edges { other { relationships(first: 100) { edges { other { relationships(first: 100) { edges { other { name } } } } } } } } }`;
    const query = `{ entity(name: "Chongqing") { ${Array.from({ length: 10 }, (_, i) => `r${i}: ${level3}`).join(" ")} } }`;
    const { status, body } = await send(graph.yoga, { query });
    expect(status).toBe(400);
    const error = expectLimit(body, "cost");
    expect(error.message).toMatch(/MAX_COST/);
  });

  it("prices a page by its variables: the same document is refused with first: 100 and answered with first: 5", async () => {
    const query = `query($n: Int!) { cities(first: $n) { edges { node { relationships(first: $n) { edges { other { relationships(first: $n) { edges { other { name } } } } } } } } } }`;
    expectLimit((await send(graph.yoga, { query, variables: { n: 100 } })).body, "cost");
    const small = await send(graph.yoga, { query, variables: { n: 5 } });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data?.cities.edges).toHaveLength(5);
  });

  it("refuses variables nested 100,000 levels deep (a stack overflow before) with a coded 400", async () => {
    // Written out by hand: JSON.stringify itself overflows on such a value.
    const deep = `${"[".repeat(100_000)}"x"${"]".repeat(100_000)}`;
    const { status, body } = await send(
      graph.yoga,
      `{"query":"query($x: JSON) { __typename }","variables":{"x":${deep}}}`,
    );
    expect(status).toBe(400);
    expectLimit(body, "variablesDepth");
  });

  it("refuses an answer longer than the response cap, instead of building it for the client", async () => {
    const small = createServer(graph.db, { limits: { maxResponseChars: 2_000 } });
    try {
      const { body } = await send(small, {
        query: `{ cities(first: 100) { edges { node { name nameZh description } } } }`,
      });
      const error = expectLimit(body, "responseSize");
      expect(error.message).toMatch(/MAX_RESPONSE_CHARS/);
      expect((await send(small, { query: `{ city(name: "Chongqing") { name } }` })).body).toEqual({
        data: { city: { name: "Chongqing" } },
      });
    } finally {
      await small.dispose();
    }
  });

  it("stops a query at its deadline with TIMEOUT and a 503 that says when to retry", async () => {
    const hasty = createServer(graph.db, { limits: { requestTimeoutMs: 1 } });
    try {
      const china = Buffer.from("Country:china").toString("base64");
      const response = await hasty.fetch("http://graph.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
        body: JSON.stringify({
          query: `query($id: ID!) { neighborhood(id: $id, depth: 3, limit: 1000) { nodes { label } } cities(first: 100) { edges { node { name } } } }`,
          variables: { id: china },
        }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors?.[0]?.extensions?.code).toBe("TIMEOUT");
      expect(body.errors?.[0]?.message).toMatch(/REQUEST_TIMEOUT_MS/);
    } finally {
      await hasty.dispose();
    }
  });

  it("has the defaults docs/operating.md states for them", () => {
    // Each limit's row in the docs' table: | `MAX_DEPTH` | 15 | ...
    const docs = readFileSync(new URL("../../docs/operating.md", import.meta.url), "utf8");
    const documented = (variable: string) =>
      Number(new RegExp(`^\\| \`${variable}\` \\| (\\d+) \\|`, "m").exec(docs)?.[1]);
    expect(defaultLimits).toMatchObject({
      maxTokens: documented("MAX_TOKENS"),
      maxDepth: documented("MAX_DEPTH"),
      maxAliases: documented("MAX_ALIASES"),
      maxDirectives: documented("MAX_DIRECTIVES"),
      maxCost: documented("MAX_COST"),
      maxVariablesDepth: documented("MAX_VARIABLES_DEPTH"),
      maxResponseChars: documented("MAX_RESPONSE_CHARS"),
      requestTimeoutMs: documented("REQUEST_TIMEOUT_MS"),
    });
  });
});

describe("queries within the limits", () => {
  it("every example operation and the N+1 test's nested traversal pass", async () => {
    const response = await queryServer(
      graph.yoga,
      `{ cities(first: 100) { totalCount edges { node { name province { name } relationships(first: 10) { totalCount edges { other { name sources { title } ... on City { autoRankings { rank ranking { name } } } } node { type validFrom certainty source { title } } } } } } } }`,
    );
    expect(response.errors).toBeUndefined();
  });
});
