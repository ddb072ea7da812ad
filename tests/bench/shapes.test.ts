// No N+1 beneath any list: every shape of bench/shapes.ts (a page of a root list, one of each
// item's own lists beneath it), generated from the schema, answers a page of 12 items without an
// error in at most MAX_STATEMENTS SQL statements, fewer than one per item. A list field added later
// is checked the day it lands.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shapesOf } from "../../bench/shapes.js";
import { schema } from "../../src/schema/index.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

const ITEMS = 12;
const MAX_STATEMENTS = 8;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
  // The seed has two companies, six indicators and four rankings: enough more of each, with
  // something beneath them, that every root list has a full page.
  const prisma = graph.db.prisma;
  const chongqing = await prisma.entity.findUniqueOrThrow({ where: { key: "chongqing" } });
  const source = await prisma.source.create({
    data: { key: "shapes-test", kind: "REFERENCE", title: "Shapes test", body: "" },
  });
  for (let i = 0; i < ITEMS; i++) {
    const company = await prisma.entity.create({
      data: { key: `shapes-company-${i}`, kind: "COMPANY", name: `Shapes Company ${i}` },
    });
    const policy = await prisma.entity.create({
      data: {
        key: `shapes-policy-${i}`,
        kind: "POLICY",
        name: `Shapes Policy ${i}`,
        policy: { create: { policyType: "SUBSIDY" } },
      },
    });
    const provenance = { sourceId: source.id, quote: "", certainty: "STATED" as const };
    const period = { period: "2024", periodStart: new Date("2024-01-01"), periodEnd: new Date("2024-12-31") };
    const indicator = await prisma.indicator.create({
      data: { key: `shapes-indicator-${i}`, name: `Shapes Indicator ${i}`, unit: "yuan" },
    });
    await prisma.observation.create({
      data: {
        key: `shapes-obs-${i}`,
        entityId: chongqing.id,
        indicatorId: indicator.id,
        value: i,
        unit: "yuan",
        ...period,
        ...provenance,
      },
    });
    await prisma.ranking.create({
      data: {
        key: `shapes-ranking-${i}`,
        name: `Shapes Ranking ${i}`,
        topic: "shapes",
        sourceId: source.id,
        quote: "",
        ...period,
        entries: { create: { key: `shapes-entry-${i}`, entityId: company.id, rank: 1, ...provenance } },
      },
    });
    await prisma.relationship.createMany({
      data: [
        { key: `shapes-hq-${i}`, typeKey: "HEADQUARTERED_IN", fromId: company.id, toId: chongqing.id, ...provenance },
        { key: `shapes-issued-${i}`, typeKey: "ISSUED_BY", fromId: policy.id, toId: chongqing.id, ...provenance },
        { key: `shapes-takes-${i}`, typeKey: "PARTICIPATES_IN", fromId: company.id, toId: policy.id, ...provenance },
      ],
    });
  }
});
afterAll(() => graph?.close());

const shapes = shapesOf(schema, { root: ITEMS, nested: 5 });

describe("every list beneath a list", () => {
  it("is found in the schema", () => {
    expect(shapes.length).toBeGreaterThanOrEqual(50);
    expect(shapes.map((shape) => shape.name)).toEqual(
      expect.arrayContaining([
        "cities.relationships",
        "indicators.observations",
        "rankings.entries",
        "sources.mentions",
      ]),
    );
  });

  it.each(shapes.map((shape) => [shape.name, shape.document]))(
    `%s answers ${ITEMS} items in at most ${MAX_STATEMENTS} statements`,
    async (_name, document) => {
      graph.resetStatements();
      const response = await graph.query<{ list: { edges: unknown[] } }>(document);
      expect(response.errors, document).toBeUndefined();
      expect(response.data!.list.edges).toHaveLength(ITEMS);
      expect(graph.statements.length).toBeLessThanOrEqual(MAX_STATEMENTS);
    },
  );
});
