// search(query:) finds entities however people write them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

async function search(query: string, extra = "") {
  const response = await graph.query(
    `query($q: String!) { search(query: $q${extra}) { totalCount edges { cursor node { score matched matchedField entity { key name kind } } } } }`,
    { q: query },
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!.search;
}

describe("search", () => {
  it.each(["Chongqing", "chongqing", "重庆", "Chong qing", "Chongquing"])(
    "finds Chongqing first from %s",
    async (query) => {
      const result = await search(query);
      expect(result.edges[0].node.entity.key).toBe("chongqing");
      expect(result.edges[0].node.score).toBeGreaterThan(0.5);
    },
  );

  it("ranks an exact name above a typo and a prefix", async () => {
    const exact = (await search("Chongqing")).edges[0].node;
    const typo = (await search("Chongquing")).edges[0].node;
    expect(exact.score).toBe(1);
    expect(typo.score).toBeLessThan(exact.score);
    const scores = (await search("Chongqing")).edges.map((e: any) => e.node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("finds Seres from seres and the VAT refund scheme from VAT refund", async () => {
    expect((await search("seres")).edges[0].node.entity.key).toBe("seres");
    const vat = await search("VAT refund");
    expect(vat.edges[0].node.entity.key).toBe("cross-provincial-vat-refund");
    expect(vat.edges[0].node.matched.toLowerCase()).toContain("vat refund");
  });

  it("filters by kind and pages with cursors", async () => {
    const cities = await search("chongqing", ", kinds: [ORGANIZATION]");
    for (const edge of cities.edges) expect(edge.node.entity.kind).toBe("ORGANIZATION");
    const first = await search("chongqing", ", first: 1");
    expect(first.edges).toHaveLength(1);
    const response = await graph.query(
      `query($after: String) { search(query: "chongqing", first: 1, after: $after) { edges { node { entity { key } } } } }`,
      {
        after: first.edges[0].cursor,
      },
    );
    expect(response.data!.search.edges[0].node.entity.key).not.toBe(first.edges[0].node.entity.key);
  });

  it("answers nothing for gibberish and an error for an empty query", async () => {
    expect((await search("zzqxv")).totalCount).toBe(0);
    const response = await graph.query(`{ search(query: "   ") { totalCount } }`);
    expect(response.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});
