// Counts, degrees, entities ranked by relationship counts, grouped statistics, series, comparisons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

describe("aggregates", () => {
  it("counts entities by kind and relationships by type, consistently with the lists", async () => {
    const response =
      await graph.query(`{ graphStats { entities relationships entitiesByKind { key count } relationshipsByType { key count } }
      entities { totalCount } cities { totalCount } }`);
    const { graphStats, entities, cities } = response.data!;
    expect(graphStats.entities).toBe(entities.totalCount);
    expect(graphStats.entitiesByKind.reduce((sum: number, row: any) => sum + row.count, 0)).toBe(graphStats.entities);
    expect(graphStats.entitiesByKind.find((row: any) => row.key === "CITY").count).toBe(cities.totalCount);
    expect(graphStats.relationshipsByType.reduce((sum: number, row: any) => sum + row.count, 0)).toBe(
      graphStats.relationships,
    );
  });

  it("gives an entity's degree by type", async () => {
    const response = await graph.query(`{ city(name: "Chongqing") { degree { type direction count } } }`);
    const vat = response.data!.city.degree.filter((d: any) => d.type === "VAT_REFUND_PARTNER");
    expect(vat.reduce((sum: number, d: any) => sum + d.count, 0)).toBe(4);
  });

  it("orders cities by the policies that apply to them, Chongqing first", async () => {
    const response =
      await graph.query(`{ entitiesByRelationshipCount(type: "APPLIES_TO", direction: INCOMING, kinds: [CITY], first: 5) {
      totalCount edges { node { count entity { key } } } } }`);
    const rows = response.data!.entitiesByRelationshipCount.edges.map((e: any) => e.node);
    expect(rows[0].entity.key).toBe("chongqing");
    expect(rows[0].count).toBeGreaterThanOrEqual(3);
    const counts = rows.map((r: any) => r.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("filters companies by how many brands they own", async () => {
    const atLeastOne = await graph.query(
      `{ entitiesByRelationshipCount(type: "BRAND_OF", direction: INCOMING, kinds: [COMPANY], min: 1) { edges { node { count entity { key } } } } }`,
    );
    expect(atLeastOne.data!.entitiesByRelationshipCount.edges.map((e: any) => e.node.entity.key)).toEqual(["seres"]);
    const moreThanOne = await graph.query(
      `{ entitiesByRelationshipCount(type: "BRAND_OF", direction: INCOMING, kinds: [COMPANY], min: 2) { totalCount } }`,
    );
    expect(moreThanOne.data!.entitiesByRelationshipCount.totalCount).toBe(0);
  });

  it("groups an indicator's observations by year and by province", async () => {
    const response = await graph.query(`{
      byYear: observationStats(indicator: "auto-retail-sales-growth", groupBy: YEAR) { key count avg unit }
      byProvince: observationStats(indicator: "auto-retail-sales-growth", groupBy: PROVINCE) { key label count max }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.byYear).toContainEqual(expect.objectContaining({ key: "2023", unit: "%" }));
    expect(response.data!.byProvince).toContainEqual(expect.objectContaining({ key: "chongqing", max: 6.2 }));
  });

  it("gives a series ordered by period and compares entities side by side", async () => {
    const ids = await graph.query(
      `{ a: entity(name: "chengdu-chongqing-economic-circle") { id } b: city(name: "Chongqing") { id } }`,
    );
    const response = await graph.query(
      `query($ids: [ID!]!) {
        entity(name: "chengdu-chongqing-economic-circle") { series(indicator: "gdp") { unit points { period value qualifier } } }
        compare(indicator: "GDP", entities: $ids) { entity { key } value period }
      }`,
      { ids: [ids.data!.a.id, ids.data!.b.id] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.entity.series.points[0]).toMatchObject({ value: 10_000_000_000_000, qualifier: "MORE_THAN" });
    expect(response.data!.compare.map((c: any) => c.entity.key)).toEqual([
      "chengdu-chongqing-economic-circle",
      "chongqing",
    ]);
    const unknown = await graph.query(`{ observationStats(indicator: "happiness", groupBy: YEAR) { key } }`);
    expect(unknown.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });
});
