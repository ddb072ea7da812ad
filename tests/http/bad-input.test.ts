// Text PostgreSQL cannot hold, and names that look like patterns, are the client's mistake: a coded
// BAD_USER_INPUT (or simply no match), never an internal error, and nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type GraphQLResponse, type TestGraph } from "../support/graph.js";
import { rowCounts } from "../support/writes.js";

let graph: TestGraph;
let token: string;
beforeAll(async () => {
  graph = await startTestGraph();
  token = await graph.token(["graph:write"]);
});
afterAll(() => graph?.close());

function expectBadInput(response: GraphQLResponse) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  expect(response.errors?.[0]?.message).toMatch(/NUL character \(U\+0000\)/);
}

describe("a NUL character (U+0000) anywhere in the input", () => {
  const nul = "Chong\u0000qing";
  it.each([
    ["search, inline", `{ search(query: "Chong\\u0000qing") { totalCount } }`, undefined],
    ["search, as a variable", `query($q: String!) { search(query: $q) { totalCount } }`, { q: nul }],
    ["entity(name:)", `query($name: String!) { entity(name: $name) { name } }`, { name: nul }],
    ["a key of a JSON variable", `query($x: JSON) { __typename }`, { x: { "a\u0000b": 1 } }],
  ])("is refused before the database sees it: %s", async (_name, query, variables) => {
    expectBadInput(await graph.query(query, variables));
  });

  it.each([
    [
      "createEntity's name",
      `mutation($name: String!) { createEntity(input: { kind: COMPANY, name: $name }) { __typename } }`,
      { name: nul },
    ],
    [
      "createEntity's properties",
      `mutation($p: JSON) { createEntity(input: { kind: COMPANY, name: "Nul Motors", properties: $p }) { __typename } }`,
      { p: { note: nul } },
    ],
    [
      "createSource's body",
      `mutation($body: String!) { createSource(input: { kind: ARTICLE, title: "Nul", body: $body }) { __typename } }`,
      { body: nul },
    ],
    [
      "an inline string of a mutation",
      `mutation { createSource(input: { kind: ARTICLE, title: "Nul", body: "a\\u0000b" }) { __typename } }`,
      undefined,
    ],
  ])("refuses %s and writes nothing", async (_name, query, variables) => {
    const before = await rowCounts(graph.db.prisma);
    expectBadInput(await graph.query(query, variables, { token }));
    expect(await rowCounts(graph.db.prisma)).toEqual(before);
  });
});

describe("names that look like LIKE patterns", () => {
  it("indicator(name:) takes % and _ literally: they name no indicator", async () => {
    for (const name of ["%", "_", "GDP%", "G_P"]) {
      const response = await graph.query(`query($name: String!) { indicator(name: $name) { key } }`, { name });
      expect(response, name).toEqual({ data: { indicator: null } });
    }
  });

  it("a backslash is a name like any other, not an internal error", async () => {
    for (const name of ["\\", "GDP\\", "\\%"]) {
      expect(await graph.query(`query($name: String!) { indicator(name: $name) { key } }`, { name }), name).toEqual({
        data: { indicator: null },
      });
    }
  });

  it("an indicator's name still matches in any case", async () => {
    expect(
      await graph.query(`{ a: indicator(name: "gdp growth") { name } b: indicator(name: "GDP") { name } }`),
    ).toEqual({
      data: { a: { name: "GDP growth" }, b: { name: "GDP" } },
    });
  });

  it("nameContains takes % and _ literally too", async () => {
    expect((await graph.query(`{ indicators(nameContains: "%") { totalCount } }`)).data?.indicators.totalCount).toBe(0);
    expect((await graph.query(`{ cities(nameContains: "_") { totalCount } }`)).data?.cities.totalCount).toBe(0);
  });
});
