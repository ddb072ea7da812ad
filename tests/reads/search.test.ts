// The search statement's filters each match an index (src/reads/search.ts). On the seed graph a scan is
// cheaper than any index, so scans are turned off for the plan: an index that still goes unused
// cannot serve the statement's expression, and every search would read the whole table on a large graph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchStatement } from "../../src/reads/search.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

async function planOf(text: string): Promise<string> {
  const statement = searchStatement(text, { limit: 10, offset: 0 });
  const rows = await graph.db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
  });
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("search statement", () => {
  it("finds descriptions through the full-text index, never by scanning every entity", async () => {
    const plan = await planOf("industrial transformation");
    expect(plan).toContain("Entity_description_fts_idx");
    expect(plan).not.toMatch(/Seq Scan on "Entity"/);
  });

  it("finds names and aliases through the trigram indexes", async () => {
    const plan = await planOf("Chongqing");
    expect(plan).toContain("Alias_normalized_trgm_idx");
    expect(plan).toContain("Alias_compact_trgm_idx");
    expect(plan).not.toMatch(/Seq Scan on "Alias"/);
  });

  it("the words found in a description are what the index finds", async () => {
    const response = await graph.query(
      `{ search(query: "industrial transformation", first: 20) { edges { node { matchedField entity { name } } } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.search.edges.some((edge: any) => edge.node.matchedField === "DESCRIPTION")).toBe(true);
  });
});
