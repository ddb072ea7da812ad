// Policies with issuers, participants and figures, each figure traceable to its sentence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const policyQuery = `query($name: String!) { policy(name: $name) {
  key name policyType officialTitle startsOn endsOn
  issuers { key } participants { key } appliesTo { key }
  figures { label kind value valueMax qualifier unit dueBy certainty quote source { body } }
} }`;

async function policy(name: string) {
  const response = await graph.query(policyQuery, { name });
  expect(response.errors).toBeUndefined();
  expect(response.data!.policy, name).not.toBeNull();
  return response.data!.policy;
}

describe("policies", () => {
  it("the 2023 car subsidy: two issuers, 1,000 to 3,000 yuan a car, 30 million in all, 11,000 buyers, 1.913 billion in sales", async () => {
    const subsidy = await graph.query(
      `{ policies(nameContains: "subsidy", policyType: SUBSIDY) { edges { node { name } } } }`,
    );
    const name = subsidy.data!.policies.edges[0].node.name;
    const p = await policy(name);
    expect(p.policyType).toBe("SUBSIDY");
    expect(p.startsOn).toBe("2023");
    expect(p.issuers.map((i: any) => i.key).sort()).toEqual([
      "chongqing-development-and-reform-commission",
      "chongqing-municipal-bureau-of-commerce",
    ]);
    const values = p.figures.map((f: any) => f.value);
    expect(p.figures).toContainEqual(expect.objectContaining({ value: 1000, valueMax: 3000, qualifier: "RANGE" }));
    expect(values).toEqual(expect.arrayContaining([30_000_000, 11_000, 1_913_000_000]));
    for (const figure of p.figures) expect(figure.source.body).toContain(figure.quote);
  });

  it("the VAT refund scheme: five participants", async () => {
    const p = await policy("VAT refund scheme");
    expect(p.policyType).toBe("TAX_REFUND");
    expect(p.participants.map((x: any) => x.key).sort()).toEqual([
      "chongqing",
      "gansu",
      "shaanxi",
      "sichuan",
      "yunnan",
    ]);
  });

  it("the AI action plan: its official title, period and targets", async () => {
    const p = await policy(
      "Action Plan for Scene-driven High-quality Development of AI Industry in Chongqing (2023-2025)",
    );
    expect(p.key).toBe("chongqing-ai-action-plan-2023-2025");
    expect(p.startsOn).toBe("2023");
    expect(p.endsOn).toBe("2025");
    const targets = p.figures.filter((f: any) => f.kind === "TARGET").map((f: any) => f.value);
    expect(targets).toEqual(expect.arrayContaining([10, 100, 1000]));
    expect(p.figures).toContainEqual(expect.objectContaining({ value: 3, valueMax: 5, qualifier: "RANGE" }));
  });

  it("industrial AI grants: up to RMB5 million a project", async () => {
    const p = await graph.query(
      `{ entity(name: "chongqing-industrial-ai-grants") { key } policies(policyType: GRANT_PROGRAMME) { edges { node { key figures { value qualifier unit } } } } }`,
    );
    const grants = p
      .data!.policies.edges.map((e: any) => e.node)
      .find((n: any) => n.key === "chongqing-industrial-ai-grants");
    expect(grants.figures).toContainEqual(expect.objectContaining({ value: 5_000_000, qualifier: "UP_TO" }));
  });

  it("a city -> the policies it issued or that apply to it", async () => {
    const response = await graph.query(`{ city(name: "Chongqing") { policies { key } } }`);
    expect(response.data!.city.policies.map((p: any) => p.key)).toEqual(
      expect.arrayContaining([
        "chongqing-auto-consumption-subsidy-2023",
        "chongqing-ai-action-plan-2023-2025",
        "cross-provincial-vat-refund",
      ]),
    );
  });
});
