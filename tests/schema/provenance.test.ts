// Every fact is traceable: a source, a verbatim sentence, and how firm it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type GraphQLResponse, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const factFields = `quote certainty note source { kind title body }`;

describe("provenance", () => {
  it("every relationship's quote stands verbatim in its article", async () => {
    const response = await graph.query(`{ entities(first: 100) { totalCount edges { node { key
      relationships(first: 100, direction: OUTGOING) { edges { node { type ${factFields} } } } } } } }`);
    expect(response.errors).toBeUndefined();
    const facts = response.data!.entities.edges.flatMap((e: any) => e.node.relationships.edges.map((r: any) => r.node));
    expect(facts.length).toBeGreaterThan(40);
    for (const fact of facts) {
      if (fact.source.kind === "ARTICLE") {
        expect(fact.quote.length, JSON.stringify(fact)).toBeGreaterThan(0);
        expect(fact.source.body).toContain(fact.quote);
      }
      if (fact.certainty !== "STATED") expect(fact.note, JSON.stringify(fact)).toBeTruthy();
    }
  });

  it("every entity has at least one source", async () => {
    const entities: { key: string; sources: unknown[] }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    do {
      const response: GraphQLResponse = await graph.query(
        `query($after: String) { entities(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { key sources { title } } } } }`,
        { after },
      );
      const page = response.data!.entities;
      entities.push(...page.edges.map((e: any) => e.node));
      totalCount = page.totalCount;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(entities.length).toBe(totalCount);
    for (const entity of entities) expect(entity.sources.length, entity.key).toBeGreaterThan(0);
  });

  it("sources list the entities they name, with the naming sentence", async () => {
    const response = await graph.query(
      `{ sources(first: 20) { totalCount edges { node { kind title body mentions { entity { name } quote } } } } }`,
    );
    const articles = response.data!.sources.edges.map((e: any) => e.node).filter((s: any) => s.kind === "ARTICLE");
    expect(articles.length).toBe(9);
    for (const article of articles) {
      expect(article.mentions.length, article.title).toBeGreaterThan(0);
      for (const mention of article.mentions) expect(article.body).toContain(mention.quote);
    }
  });

  it("carries every figure the articles state", async () => {
    const response = await graph.query(`{
      policies(first: 50) { edges { node { figures { value valueMax } } } }
      indicators(first: 50) { edges { node { observations(first: 100) { edges { node { value } } } } } }
    }`);
    const numbers = new Set<number>();
    for (const e of response.data!.policies.edges)
      for (const f of e.node.figures) for (const v of [f.value, f.valueMax]) if (v != null) numbers.add(v);
    for (const e of response.data!.indicators.edges)
      for (const o of e.node.observations.edges) if (o.node.value != null) numbers.add(o.node.value);
    const stated = [
      1000, 3000, 30_000_000, 11_000, 1_913_000_000, 6.2, 12.4, 1.8, 10, 100, 1000, 3, 5, 5_000_000, 10_000_000_000_000,
    ];
    for (const value of stated) expect(numbers, String(value)).toContain(value);
  });
});
