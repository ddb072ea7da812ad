// Edge pages read lean rows only when the selection reads nothing else, and give the same answers
// as whole rows; a lean far end never stands in for a whole entity elsewhere in the request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
});

/** The answer, and which shapes the edge pages were read in (from the statements' column lists). */
async function run(query: string) {
  graph.resetStatements();
  const response = await graph.query(query);
  expect(response.errors).toBeUndefined();
  const pages = graph.statements.filter((sql) => sql.includes("CROSS JOIN LATERAL"));
  expect(pages.length).toBeGreaterThan(0);
  return {
    data: response.data!,
    relationships: pages.map((sql) => (sql.includes(`r."quote"`) || sql.includes("r.*") ? "whole" : "lean")),
    others: pages.map((sql) => (sql.includes(`"other.description"`) ? "whole" : "lean")),
  };
}

// `@include` keeps the cities' pages from being read ahead with the province's (tests/schema/edge-fields.test.ts):
// each level is its own statement, in its own shapes.
const traversal = (node: string, other: string, fragments = "") => `
  { province(name: "Sichuan") { name cities(first: 5) { edges { node { name relationships(first: 5, direction: OUTGOING) @include(if: true) {
      edges { node { ${node} } other { ${other} } } } } } } } } ${fragments}`;

type Answer = { province: { cities: { edges: { node: { name: string; relationships: { edges: { node: Record<string, unknown>; other: Record<string, unknown> }[] } } }[] } } };
const pairs = (data: Record<string, unknown>) =>
  (data as Answer).province.cities.edges.flatMap((city) => city.node.relationships.edges.map((edge) => [city.node.name, edge.node.type, edge.other.name]));

describe("row shapes of edge pages", () => {
  it("names, types, ids and typenames only: lean rows at both levels, the same answer as whole rows", async () => {
    const lean = await run(traversal("id type", "__typename id key name kind"));
    expect(lean.relationships).toEqual(["lean", "lean"]);
    expect(lean.others).toEqual(["lean", "lean"]);
    const whole = await run(traversal("id type quote validFrom", "__typename id key name kind description"));
    expect(whole.relationships).toEqual(["lean", "whole"]);
    expect(whole.others).toEqual(["lean", "whole"]);
    expect(pairs(lean.data)).toEqual(pairs(whole.data));
    expect(pairs(lean.data).length).toBeGreaterThan(5);
  });

  it("a field beyond the lean columns, in a fragment or type condition, reads whole rows", async () => {
    const spread = await run(traversal("type", "name ...Described", "fragment Described on Entity { properties }"));
    expect(spread.others).toEqual(["lean", "whole"]);
    const inline = await run(traversal("type", "name ... on City { autoRankings { rank } }"));
    expect(inline.others).toEqual(["lean", "whole"]);
    const relationship = await run(traversal("type certainty", "name"));
    expect(relationship.relationships).toEqual(["lean", "whole"]);
    expect(relationship.others).toEqual(["lean", "lean"]);
  });

  it("a lean far end is not taken for the whole entity when the same entity is loaded elsewhere", async () => {
    // `to` loads its entity by id; the far ends read lean in the same request must not answer it.
    const { data, others } = await run(`{ city(name: "Chongqing") { relationships(first: 50, direction: INCOMING) {
      edges { other { name } node { from { name description properties } } } } } }`);
    expect(others).toEqual(["lean"]);
    type Edge = { other: { name: string }; node: { from: { name: string; description: string | null; properties: unknown } } };
    const edges = (data as { city: { relationships: { edges: Edge[] } } }).city.relationships.edges;
    expect(edges.every((edge) => edge.node.from.name === edge.other.name && edge.node.from.properties !== null)).toBe(true);
    expect(edges.some((edge) => edge.node.from.description)).toBe(true);
  });
});
