// The objects a list's items point at (an entry's entity, ranking and source) come in the list's own
// statement, or from the parent the list hangs from: a list beneath a list costs one statement
// however many objects its items point at, and each item names the object its row points at.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

/** The answer and the statements it took. */
async function counted(document: string) {
  graph.resetStatements();
  const response = await graph.query(document);
  expect(response.errors, document).toBeUndefined();
  return { data: response.data!, statements: graph.statements.length };
}

const keys = (connection: { edges: { node: unknown }[] }) => connection.edges.map((edge) => edge.node);
/** Our global id of a row by its key. */
const idOf = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");

describe("objects an item points at", () => {
  it("a ranking's entries with their entity, ranking and source: one statement beneath the page", async () => {
    const { data, statements } = await counted(`{ rankings(first: 20) { edges { node { key
      entries { id entity { key name } ranking { key } source { key title } } } } } }`);
    expect(statements).toBe(2);
    const expected = await graph.db.prisma.rankingEntry.findMany({
      include: { entity: true, ranking: true, source: true },
    });
    const answered = keys(data.rankings).flatMap((ranking: any) => ranking.entries);
    expect(answered).toHaveLength(expected.length);
    expect(new Set(answered.map((entry: any) => JSON.stringify(entry)))).toEqual(
      new Set(
        expected.map((entry) =>
          JSON.stringify({
            id: idOf("RankingEntry", entry.key),
            entity: { key: entry.entity.key, name: entry.entity.name },
            ranking: { key: entry.ranking.key },
            source: { key: entry.source.key, title: entry.source.title },
          }),
        ),
      ),
    );
  });

  it("an indicator's observations, a page each way, in period order with what they point at", async () => {
    const rows = await graph.db.prisma.observation.findMany({
      include: { entity: true, indicator: true, source: true },
      orderBy: [{ periodStart: "asc" }, { id: "asc" }],
    });
    for (const [args, pick] of [
      ["first: 3", (list: typeof rows) => list.slice(0, 3)],
      ["last: 2", (list: typeof rows) => list.slice(-2)],
    ] as const) {
      const { data, statements } = await counted(`{ indicators(first: 20) { edges { node { key
        observations(${args}) { edges { node { id entity { key } indicator { key } source { key } } } } } } } }`);
      // The page of indicators, their pages of observations and what those point at: one statement
      // (src/schema/read-ahead/child-lists.ts); two before.
      expect(statements).toBe(1);
      for (const indicator of keys(data.indicators) as any[]) {
        const expected = pick(rows.filter((row) => row.indicator.key === indicator.key)).map((row) => ({
          id: idOf("Observation", row.key),
          entity: { key: row.entity.key },
          indicator: { key: row.indicator.key },
          source: { key: row.source.key },
        }));
        expect(keys(indicator.observations), `${indicator.key}, ${args}`).toEqual(expected);
      }
    }
  });

  it("a page of cities with their observations, ranking entries and mentions: one statement for each list beneath", async () => {
    const { data, statements } = await counted(`{ cities(first: 100) { edges { node { key
      observations { id entity { key } indicator { key } source { key } }
      rankings { id ranking { key } source { key } }
      mentions { entity { key } source { key } } } } } }`);
    // The first list comes with the page (src/schema/read-ahead/child-lists.ts), the others after it.
    expect(statements).toBe(3);
    const chongqing = keys(data.cities).find((city: any) => city.key === "chongqing") as any;
    const observations = await graph.db.prisma.observation.findMany({
      where: { entity: { key: "chongqing" } },
      include: { indicator: true, source: true },
      orderBy: [{ periodStart: "asc" }, { id: "asc" }],
    });
    expect(observations.length).toBeGreaterThan(1);
    expect(chongqing.observations).toEqual(
      observations.map((row) => ({
        id: idOf("Observation", row.key),
        entity: { key: "chongqing" },
        indicator: { key: row.indicator.key },
        source: { key: row.source.key },
      })),
    );
    const entries = await graph.db.prisma.rankingEntry.findMany({
      where: { entity: { key: "chongqing" } },
      include: { ranking: true, source: true },
      orderBy: { id: "asc" },
    });
    expect(chongqing.rankings).toEqual(
      entries.map((row) => ({
        id: idOf("RankingEntry", row.key),
        ranking: { key: row.ranking.key },
        source: { key: row.source.key },
      })),
    );
    const mentions = await graph.db.prisma.mention.count({ where: { entity: { key: "chongqing" } } });
    expect(chongqing.mentions).toHaveLength(mentions);
    for (const mention of chongqing.mentions) expect(mention.entity).toEqual({ key: "chongqing" });
  });

  it("a source's mentions answer their source from the parent, without reading it again", async () => {
    const { data, statements } = await counted(`{ sources(first: 20) { edges { node { key
      mentions { entity { key } source { key } } } } } }`);
    expect(statements).toBe(2);
    for (const source of keys(data.sources) as any[]) {
      for (const mention of source.mentions) expect(mention.source).toEqual({ key: source.key });
    }
  });
  it("a page of cities with their relationships, their ends, source and type: one statement beneath the page", async () => {
    const document = (after: string) => `{ cities(first: 100) { edges { node { key
      relationships(first: 3${after}) { pageInfo { hasNextPage endCursor } edges { direction other { key }
        node { id from { key name } to { key } source { key title } relationType { key description } } } } } } } }`;
    const relationships = await graph.db.prisma.relationship.findMany({
      include: { from: true, to: true, source: true, type: true },
      orderBy: { id: "asc" },
    });
    const expectedOf = (key: string) =>
      relationships
        .filter((row) => row.from.key === key || row.to.key === key)
        .map((row) => ({
          direction: row.from.key === key ? "OUTGOING" : "INCOMING",
          other: { key: row.from.key === key ? row.to.key : row.from.key },
          node: {
            id: idOf("Relationship", row.key),
            from: { key: row.from.key, name: row.from.name },
            to: { key: row.to.key },
            source: { key: row.source.key, title: row.source.title },
            relationType: { key: row.type.key, description: row.type.description },
          },
        }));
    const first = await counted(document(""));
    expect(first.statements).toBe(2);
    const cities = keys(first.data.cities) as any[];
    expect(cities.some((city) => city.relationships.pageInfo.hasNextPage)).toBe(true);
    for (const city of cities) {
      expect(city.relationships.edges, city.key).toEqual(expectedOf(city.key).slice(0, 3));
    }
    // The next page, after the first page's last edge: the same statement, in the same order.
    const chongqing = cities.find((city) => city.key === "chongqing")!;
    const next = await counted(document(`, after: "${chongqing.relationships.pageInfo.endCursor}"`));
    expect(next.statements).toBe(2);
    const again = (keys(next.data.cities) as any[]).find((city) => city.key === "chongqing")!;
    expect(again.relationships.edges).toEqual(expectedOf("chongqing").slice(3, 6));
  });
});
