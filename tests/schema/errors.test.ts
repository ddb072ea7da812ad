// Bad input gets a clear, coded error and never an internal one; unknown names are simply null.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

async function errorOf(query: string, variables?: Record<string, unknown>) {
  const response = await graph.query(query, variables);
  expect(response.errors, JSON.stringify(response)).toBeDefined();
  const [error] = response.errors!;
  expect(error!.message).not.toMatch(/unexpected error/i);
  return error!;
}

describe("bad input", () => {
  it("an unknown name is null, not an error", async () => {
    const response = await graph.query(
      `{ entity(name: "Atlantis") { name } city(name: "Seres") { name } company(name: "") { name } }`,
    );
    expect(response).toEqual({ data: { entity: null, city: null, company: null } });
  });

  it("a malformed global id is INVALID_ID", async () => {
    for (const id of [
      "not-an-id",
      "Q2l0eTo=",
      Buffer.from("City:two words").toString("base64"),
      Buffer.from("Planet:mars").toString("base64"),
      "",
    ]) {
      const error = await errorOf(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(error.extensions?.code).toBe("INVALID_ID");
    }
  });

  it("an id whose key holds a control character is INVALID_ID, not an internal error from PostgreSQL", async () => {
    for (const key of ["a\u0000b", "chongqing\u0007"]) {
      const id = Buffer.from(`City:${key}`).toString("base64");
      const node = await errorOf(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(node.extensions?.code).toBe("INVALID_ID");
      const paths = await errorOf(`query($id: ID!) { paths(from: $id, to: $id) { length } }`, { id });
      expect(paths.extensions?.code).toBe("INVALID_ID");
    }
  });

  it("a change id whose key is no change number is INVALID_ID, not an internal error from Prisma", async () => {
    for (const key of ["chongqing", "0", "-1", "1.5", "01", "99999999999", "2147483648"]) {
      const error = await errorOf(`query($id: ID!) { node(id: $id) { id } }`, {
        id: Buffer.from(`Change:${key}`).toString("base64"),
      });
      expect(error.extensions?.code, key).toBe("INVALID_ID");
    }
    const unknown = await graph.query(`query($id: ID!) { node(id: $id) { id } }`, {
      id: Buffer.from("Change:2147483647").toString("base64"),
    });
    expect(unknown).toEqual({ data: { node: null } });
  });

  it("a well-formed id of nothing, or of another kind, is null", async () => {
    const seres = await graph.query<{ company: { id: string } }>(`{ company(name: "Seres") { id } }`);
    const rawId = Buffer.from(seres.data!.company.id, "base64").toString().split(":")[1];
    const asCity = Buffer.from(`City:${rawId}`).toString("base64");
    const missing = Buffer.from("City:atlantis").toString("base64");
    const response = await graph.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [asCity, missing] });
    expect(response).toEqual({ data: { nodes: [null, null] } });
  });

  it("a negative or over-limit page size is PAGE_SIZE_OUT_OF_RANGE", async () => {
    for (const query of [
      `{ cities(first: -1) { totalCount } }`,
      `{ cities(first: 101) { totalCount } }`,
      `{ entities(last: 1000) { totalCount } }`,
      `{ entity(name: "Chongqing") { relationships(first: -5) { totalCount } } }`,
      `{ entity(name: "Chongqing") { relationships(first: 500) { totalCount } } }`,
      `{ province(name: "Sichuan") { cities(first: 101) { totalCount } } }`,
      `{ indicators(first: 101) { totalCount } }`,
    ]) {
      const error = await errorOf(query);
      expect(error.extensions?.code, query).toBe("PAGE_SIZE_OUT_OF_RANGE");
    }
  });

  it("an unknown enum value is a validation error with a code", async () => {
    const literal = await errorOf(`{ entities(kinds: [PLANET]) { totalCount } }`);
    expect(literal.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const variable = await errorOf(`query($kinds: [EntityKind!]) { entities(kinds: $kinds) { totalCount } }`, {
      kinds: ["PLANET"],
    });
    expect(variable.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("an unknown relationship type is UNKNOWN_RELATION_TYPE", async () => {
    const error = await errorOf(`{ entity(name: "Chongqing") { relationships(type: "FRIENDS_WITH") { totalCount } } }`);
    expect(error.extensions?.code).toBe("UNKNOWN_RELATION_TYPE");
    expect(error.message).toContain("FRIENDS_WITH");
  });

  it("a foreign cursor is INVALID_CURSOR", async () => {
    const error = await errorOf(`{ entity(name: "Chongqing") { relationships(after: "bm9wZQ==") { totalCount } } }`);
    expect(error.extensions?.code).toBe("INVALID_CURSOR");
  });

  it("a malformed date is BAD_USER_INPUT", async () => {
    const error = await errorOf(`{ city(name: "Chongqing") { vatRefundPartners(asOf: "2025-13-40") { since } } }`);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("a date-time outside years 1 to 9999 is BAD_USER_INPUT, not an internal error from Prisma", async () => {
    for (const since of ["0000-12-31T23:59:59.999Z", "-000001-06-01T00:00:00Z", "+010000-01-01T00:00:00.000Z"]) {
      const variable = await errorOf(`query($since: DateTime) { changes(since: $since) { totalCount } }`, { since });
      expect(variable.extensions?.code, since).toBe("BAD_USER_INPUT");
      const literal = await errorOf(`{ changes(since: ${JSON.stringify(since)}) { totalCount } }`);
      expect(literal.extensions?.code, since).toBe("BAD_USER_INPUT");
    }
    const edge = await graph.query(`{ changes(since: "9999-12-31T23:59:59.999Z") { totalCount } }`);
    expect(edge).toEqual({ data: { changes: { totalCount: 0 } } });
  });

  it("a variable holding a lone UTF-16 surrogate is refused with BAD_USER_INPUT and 400, before Prisma fails on it", async () => {
    const cases: [string, Record<string, unknown>][] = [
      [`query($text: String) { entities(nameContains: $text) { totalCount } }`, { text: "\ud83d" }],
      [`query($text: String!) { compare(entities: [], indicator: $text) { value } }`, { text: "gdp\udc00" }],
      [
        `query($kinds: [EntityKind!], $text: String) { entities(kinds: $kinds, nameContains: $text) { totalCount } }`,
        { text: "a\ud800b" },
      ],
    ];
    for (const [query, variables] of cases) {
      const response = await graph.yoga.fetch("http://graph.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      expect(response.status, query).toBe(400);
      expect(body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(body.errors[0].message).toMatch(/^Variable "\$\w+" holds a lone UTF-16 surrogate/);
    }
    const paired = await graph.query(`query($text: String) { entities(nameContains: $text) { totalCount } }`, {
      text: "🚗",
    });
    expect(paired).toEqual({ data: { entities: { totalCount: 0 } } });
  });

  it("a syntax error is GRAPHQL_PARSE_FAILED", async () => {
    const error = await errorOf(`{ city(name: "Chongqing" { name } }`);
    expect(error.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
  });
});
