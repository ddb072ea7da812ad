// Company -> brands -> partners and host cities, as the auto-industry article tells it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

it("Seres owns AITO, built with Huawei and based in Chongqing (inferred, and said to be)", async () => {
  const response = await graph.query(`{
    company(name: "SERES") {
      name nameZh
      brands { name nameZh owners { name } partners { name } hostCities { name } }
      headquarters { name }
      relationships(type: "HEADQUARTERED_IN", direction: OUTGOING) { edges { other { name } node { certainty note } } }
    }
    huawei: company(name: "华为") { partnerBrands { name } }
  }`);
  expect(response.errors).toBeUndefined();
  const { company, huawei } = response.data!;
  expect(company.nameZh).toBe("赛力斯");
  expect(company.brands).toEqual([
    {
      name: "AITO",
      nameZh: "问界",
      owners: [{ name: "Seres" }],
      partners: [{ name: "Huawei" }],
      hostCities: [{ name: "Chongqing" }],
    },
  ]);
  expect(company.headquarters).toEqual([{ name: "Chongqing" }]);
  const [hq] = company.relationships.edges;
  expect(hq.node.certainty).toBe("INFERRED");
  expect(hq.node.note).toBeTruthy();
  expect(huawei.partnerBrands).toEqual([{ name: "AITO" }]);
});

it("government bodies issue the car subsidy", async () => {
  const response = await graph.query(
    `{ entity(name: "Chongqing Development and Reform Commission") { __typename ... on Organization { policiesIssued { key } } } }`,
  );
  expect(response.data!.entity.__typename).toBe("Organization");
  expect(response.data!.entity.policiesIssued.map((p: any) => p.key)).toContain(
    "chongqing-auto-consumption-subsidy-2023",
  );
});
