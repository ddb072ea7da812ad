// Indicator observations: periods, qualifiers, and the vague left vague.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

it("Chongqing's auto retail sales grew 6.2% in the first half of (inferred) 2023", async () => {
  const response = await graph.query(`{ entity(name: "Chongqing") {
    observations(indicator: "auto-retail-sales-growth") { period periodStart periodEnd value unit certainty quote note indicator { name } }
  } }`);
  expect(response.errors).toBeUndefined();
  expect(response.data!.entity.observations).toContainEqual(
    expect.objectContaining({
      period: "2023-H1",
      periodStart: "2023-01-01",
      periodEnd: "2023-06-30",
      value: 6.2,
      certainty: "INFERRED",
    }),
  );
  const [observation] = response.data!.entity.observations;
  expect(observation.quote).toContain("increased by 6.2%");
});

it("filters observations by period", async () => {
  const all = await graph.query(`{ entity(name: "Chongqing") { observations { period } } }`);
  const none = await graph.query(`{ entity(name: "Chongqing") { observations(from: "2030") { period } } }`);
  const h1 = await graph.query(
    `{ entity(name: "Chongqing") { observations(from: "2023-01", to: "2023-06-30") { period } } }`,
  );
  expect(all.data!.entity.observations.length).toBeGreaterThan(1);
  expect(none.data!.entity.observations).toEqual([]);
  expect(h1.data!.entity.observations.length).toBeGreaterThan(0);
  for (const o of h1.data!.entity.observations) expect(o.period.startsWith("2023")).toBe(true);
});

it("Sichuan and Chongqing together surpassed 10 trillion yuan: MORE_THAN, not a made-up figure", async () => {
  const response = await graph.query(`{ entity(name: "chengdu-chongqing-economic-circle") { key } 
    indicator(name: "gdp") { unit observations(first: 10) { totalCount edges { node { entity { key } value qualifier note } } } } }`);
  expect(response.errors).toBeUndefined();
  const circle = response
    .data!.indicator.observations.edges.map((e: any) => e.node)
    .find((n: any) => n.entity.key === "chengdu-chongqing-economic-circle");
  expect(circle).toMatchObject({ value: 10_000_000_000_000, qualifier: "MORE_THAN" });
});

it("a cut-off sentence keeps its words and no number", async () => {
  const response = await graph.query(
    `{ entity(name: "Chongqing") { observations(indicator: "nev-retail-sales-growth") { value note quote } } }`,
  );
  const [nev] = response.data!.entity.observations;
  expect(nev.value).toBeNull();
  expect(nev.note).toBeTruthy();
});
