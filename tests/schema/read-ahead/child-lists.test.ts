// A list beneath each item of a root list comes in the root page's own statement
// (src/schema/read-ahead/child-lists.ts): one statement for a page of cities with their observations,
// as for PostGraphile, and the same answer as the rows read apart, whichever way the page goes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

async function counted(document: string, variables?: Record<string, unknown>) {
  graph.resetStatements();
  const response = await graph.query(document, variables);
  expect(response.errors, document).toBeUndefined();
  return { data: response.data!, statements: graph.statements.length };
}

const nodes = (connection: { edges: { node: any }[] }) => connection.edges.map((edge) => edge.node);
const idOf = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");

/** Every observation of each entity, in the list's order (oldest period first, then by id). */
async function observationsByEntity() {
  const rows = await graph.db.prisma.observation.findMany({
    include: { entity: true, indicator: true, source: true },
    orderBy: [{ periodStart: "asc" }, { id: "asc" }],
  });
  const byEntity = new Map<string, typeof rows>();
  for (const row of rows) byEntity.set(row.entity.key, [...(byEntity.get(row.entity.key) ?? []), row]);
  return (key: string) => byEntity.get(key) ?? [];
}

describe("a list beneath a root list's items, in the page's statement", () => {
  it("a page of cities with their observations and what those point at: one statement", async () => {
    const of = await observationsByEntity();
    const { data, statements } = await counted(`{ cities(first: 50) { edges { node { key
      observations { id period periodStart value entity { key } indicator { key } source { key } } } } } }`);
    expect(statements).toBe(1);
    const cities = nodes(data.cities);
    expect(cities.length).toBeGreaterThan(5);
    expect(cities.some((city) => city.observations.length > 1)).toBe(true);
    for (const city of cities) {
      expect(city.observations, city.key).toEqual(
        of(city.key).map((row) => ({
          id: idOf("Observation", row.key),
          period: row.period,
          periodStart: row.periodStart.toISOString().slice(0, 10),
          value: row.value,
          entity: { key: city.key },
          indicator: { key: row.indicator.key },
          source: { key: row.source.key },
        })),
      );
    }
  });

  it("a page of cities with their ranking entries: one statement, entries in id order", async () => {
    const entries = await graph.db.prisma.rankingEntry.findMany({
      include: { entity: true, ranking: true },
      orderBy: { id: "asc" },
    });
    const { data, statements } = await counted(`{ cities(first: 100) { edges { node { key
      rankings { id rank ranking { key } } } } } }`);
    expect(statements).toBe(1);
    const cities = nodes(data.cities);
    expect(cities.some((city) => city.rankings.length > 0)).toBe(true);
    for (const city of cities) {
      expect(city.rankings, city.key).toEqual(
        entries
          .filter((entry) => entry.entity.key === city.key)
          .map((entry) => ({
            id: idOf("RankingEntry", entry.key),
            rank: entry.rank,
            ranking: { key: entry.ranking.key },
          })),
      );
    }
  });

  it("pages forwards and backwards from a cursor: the same cities as the page alone, each with its own rows", async () => {
    const of = await observationsByEntity();
    const page = (args: string) => `{ cities(${args}) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { key observations { id } } } } }`;
    const plain = (args: string) => `{ cities(${args}) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { key } } } }`;
    const middle = (await counted(plain("first: 4"))).data.cities.pageInfo.endCursor;
    for (const args of ["first: 3", `first: 3, after: "${middle}"`, `last: 3, before: "${middle}"`, "last: 2"]) {
      const { data, statements } = await counted(page(args));
      expect(statements, args).toBe(1);
      const alone = (await counted(plain(args))).data.cities;
      expect(data.cities.pageInfo, args).toEqual(alone.pageInfo);
      expect(
        nodes(data.cities).map((city) => city.key),
        args,
      ).toEqual(nodes(alone).map((city) => city.key));
      for (const city of nodes(data.cities)) {
        expect(city.observations, `${args}: ${city.key}`).toEqual(
          of(city.key).map((row) => ({ id: idOf("Observation", row.key) })),
        );
      }
    }
  });

  it("the row a page reads past its end, to tell whether more follow, is not answered for with rows", async () => {
    // Each page reads one city more than it holds; were that city's rows kept as none, the longer
    // page asked in the same request would answer none for it.
    const of = await observationsByEntity();
    let checked = 0;
    for (let size = 1; size <= 8; size++) {
      const { data } = await counted(`{ short: cities(first: ${size}) { edges { node { key observations { id } } } }
        long: cities(first: ${size + 1}) { edges { node { key observations { id } } } } }`);
      for (const city of [...nodes(data.short), ...nodes(data.long)]) {
        expect(city.observations.length, `${size}: ${city.key}`).toBe(of(city.key).length);
      }
      if (of(nodes(data.long).at(-1).key).length > 0) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("arguments from variables: each request's own rows", async () => {
    const document = `query ($indicator: String) { cities(first: 50) { edges { node { key
      observations(indicator: $indicator) { indicator { key } } } } } }`;
    const of = await observationsByEntity();
    const indicators = [...new Set((await graph.db.prisma.indicator.findMany()).map((row) => row.key))].slice(0, 3);
    for (const indicator of indicators) {
      const { data, statements } = await counted(document, { indicator });
      expect(statements).toBe(1);
      for (const city of nodes(data.cities)) {
        expect(city.observations.length, `${indicator}: ${city.key}`).toBe(
          of(city.key).filter((row) => row.indicator.key === indicator).length,
        );
      }
    }
  });

  it("a list a directive may skip is read after the page, as before", async () => {
    const of = await observationsByEntity();
    const { data, statements } = await counted(`{ cities(first: 20) { edges { node { key
      observations @include(if: true) { id } } } } }`);
    expect(statements).toBe(2);
    for (const city of nodes(data.cities)) expect(city.observations).toHaveLength(of(city.key).length);
  });
});
