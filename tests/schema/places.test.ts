// Places as the articles describe them: Chongqing's VAT refund partners, its auto rankings, and
// its double nature as a city and a provincial-level unit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entityVariants } from "../../src/reads/entity-variants.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

/**
 * Every key of a list connection, read page by page as a client pages: forwards with `first` and
 * `after`, or backwards with `last` and `before`. `checkPage` runs after each page's request.
 */
async function keysPageByPage(
  list: "cities" | "provinces",
  args: string,
  size: number,
  direction: "forwards" | "backwards",
  checkPage?: () => void,
) {
  const [sizeArg, cursorArg, more, next] =
    direction === "forwards"
      ? ["first", "after", "hasNextPage", "endCursor"]
      : ["last", "before", "hasPreviousPage", "startCursor"];
  const keys: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    graph.resetStatements();
    const response: any = await graph.query(
      `query($cursor: String) { ${list}(${sizeArg}: ${size}, ${cursorArg}: $cursor, ${args}) { pageInfo { ${more} ${next} } edges { node { key } } } }`,
      { cursor },
    );
    expect(response.errors).toBeUndefined();
    checkPage?.();
    const pageKeys: string[] = response.data[list].edges.map((e: any) => e.node.key);
    if (direction === "forwards") keys.push(...pageKeys);
    else keys.unshift(...pageKeys);
    if (!response.data[list].pageInfo[more]) break;
    cursor = response.data[list].pageInfo[next];
  }
  return keys;
}

interface Partnership {
  partner: { name: string; nameZh: string };
  since: string | null;
  relationship: { certainty: string; quote: string; note: string | null; source: { title: string; body: string } };
}

async function partners(asOf?: string) {
  const response = await graph.query<{ city: { vatRefundPartners: Partnership[] } }>(
    `query($asOf: PartialDate) { city(name: "Chongqing") { vatRefundPartners(asOf: $asOf) {
      partner { name nameZh } since relationship { certainty quote note source { title body } } } } }`,
    { asOf },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.city.vatRefundPartners;
}

describe("City.vatRefundPartners", () => {
  it("lists Sichuan (the 2025 agreement) and the provinces of the expansion, with sources", async () => {
    const list = await partners();
    expect(list.map((p) => p.partner.name).sort()).toEqual(["Gansu", "Shaanxi", "Sichuan", "Yunnan"]);
    const sichuan = list.find((p) => p.partner.name === "Sichuan")!;
    expect(sichuan.partner.nameZh).toBe("四川");
    expect(sichuan.since).toBe("2025");
    expect(sichuan.relationship.certainty).toBe("STATED");
    expect(sichuan.relationship.quote).toContain("2025 agreement with Sichuan");
    expect(sichuan.relationship.source.title).toMatch(/VAT Refunds/);
    for (const p of list) expect(p.relationship.source.body).toContain(p.relationship.quote);
    const expansion = list.filter((p) => p.partner.name !== "Sichuan");
    for (const p of expansion) {
      expect(p.relationship.certainty).toBe("INFERRED");
      expect(p.relationship.note).toBeTruthy();
    }
  });

  it("as the graph stood before 2025, Chongqing had no partner", async () => {
    expect(await partners("2024-12-31")).toEqual([]);
    expect((await partners("2025-06")).map((p) => p.partner.name)).toContain("Sichuan");
  });
});

describe("City.autoRankings", () => {
  it("gives Chongqing's de facto leadership in words, not a made-up rank", async () => {
    const response = await graph.query(
      `{ city(name: "重庆") { autoRankings { rank note certainty quote ranking { key name period topic } source { title } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const entries = response.data!.city.autoRankings;
    const leadership = entries.find((e: any) => e.ranking.key === "auto-industry-leadership-2025");
    expect(leadership).toMatchObject({
      rank: null,
      certainty: "STATED_LOOSELY",
      ranking: { period: "2025", topic: "auto" },
    });
    expect(leadership.note).toMatch(/de facto leadership/);
    expect(leadership.quote).toMatch(/Seres and Huawei/);
    for (const entry of entries) expect(entry.ranking.topic).toBe("auto");
  });

  it("names Hefei the leading NEV production hub", async () => {
    const response = await graph.query(`{ city(name: "Hefei") { nameZh autoRankings { rank note ranking { key } } } }`);
    const hub = response.data!.city.autoRankings.find((e: any) => e.ranking.key === "nev-production-hubs-2025");
    expect(response.data!.city.nameZh).toBe("合肥");
    expect(hub.note).toMatch(/leading NEV production hub/);
  });
});

describe("a municipality is a city and a provincial-level unit", () => {
  it("answers as City and as Province, one entity behind both", async () => {
    const response = await graph.query(`{
      asCity: city(name: "chongqing") { __typename id key divisionType adminLevel divisionCode }
      asProvince: province(name: "CHONGQING") { __typename id key }
      asEntity: entity(name: "重庆") { __typename id }
      viaAlias: entity(name: "重庆市") { key }
    }`);
    expect(response.errors).toBeUndefined();
    const { asCity, asProvince, asEntity, viaAlias } = response.data!;
    expect(asCity).toMatchObject({
      __typename: "City",
      key: "chongqing",
      divisionType: "MUNICIPALITY",
      adminLevel: "PROVINCIAL",
      divisionCode: "500000",
    });
    expect(asProvince).toMatchObject({ __typename: "Province", key: "chongqing" });
    expect(asEntity).toEqual({ __typename: "City", id: asCity.id });
    expect(viaAlias.key).toBe("chongqing");
    const rawId = (id: string) => Buffer.from(id, "base64").toString().split(":")[1];
    expect(rawId(asProvince.id)).toBe(rawId(asCity.id));
    // Ids carry the entity's key, so they survive a re-seed, an export and import, or a move to PostgreSQL.
    expect(rawId(asCity.id)).toBe("chongqing");
  });

  it("refetches either global id through node()", async () => {
    const ids = await graph.query(`{ city(name: "Chongqing") { id } province(name: "Chongqing") { id } }`);
    const response = await graph.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Entity { name } } }`,
      {
        ids: [ids.data!.city.id, ids.data!.province.id],
      },
    );
    expect(response.data!.nodes).toEqual([
      { __typename: "City", name: "Chongqing" },
      { __typename: "Province", name: "Chongqing" },
    ]);
  });
});

describe("province -> cities", () => {
  it("Sichuan contains Chengdu, and Chengdu knows its province", async () => {
    const response = await graph.query(`{
      province(name: "Sichuan") { divisionCode cities(first: 10) { totalCount edges { node { name province { name } } } } }
      provinces(first: 100) { totalCount edges { node { name } } }
    }`);
    expect(response.errors).toBeUndefined();
    const { province, provinces } = response.data!;
    expect(province.divisionCode).toBe("510000");
    expect(province.cities.edges.map((e: any) => e.node.name)).toContain("Chengdu");
    expect(province.cities.edges[0].node.province.name).toBe("Sichuan");
    expect(province.cities.edges).toHaveLength(10);
    expect(province.cities.totalCount).toBe(18);
    const names = provinces.edges.map((e: any) => e.node.name);
    expect(names).toEqual(
      expect.arrayContaining(["Chongqing", "Sichuan", "Yunnan", "Shaanxi", "Gansu", "Liaoning", "Tibet"]),
    );
    expect(provinces.totalCount).toBe(names.length);
  });

  it("a relationship page counts every matching edge, whatever its size or start", async () => {
    const query = `query($after: String) { city(name: "Chongqing") {
      all: relationships(type: "VAT_REFUND_PARTNER", first: 100) { totalCount edges { cursor } }
      page: relationships(type: "VAT_REFUND_PARTNER", first: 2, after: $after) { totalCount pageInfo { hasNextPage } edges { cursor } }
    } }`;
    const first = await graph.query(query);
    expect(first.errors).toBeUndefined();
    const { all, page } = first.data!.city;
    expect(all.totalCount).toBe(all.edges.length);
    expect(all.totalCount).toBeGreaterThan(2);
    expect(page.totalCount).toBe(all.totalCount);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await graph.query(query, { after: page.edges[1].cursor });
    expect(next.data!.city.page.totalCount).toBe(all.totalCount);
    expect(next.data!.city.page.edges[0].cursor).toBe(all.edges[2].cursor);
  });

  it("pages through a province's cities forwards and backwards, with the cursors every connection uses", async () => {
    const page = `query($first: Int, $after: String, $last: Int, $before: String) { province(name: "Sichuan") {
      cities(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { key } } } } }`;
    const all = (await graph.query(page, { first: 100 })).data!.province.cities;
    const keys = all.edges.map((e: any) => e.node.key);
    expect(keys).toHaveLength(18);
    expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });

    const forwards: string[] = [];
    for (let after: string | undefined, more = true; more; ) {
      const { pageInfo, edges } = (await graph.query(page, { first: 5, after })).data!.province.cities;
      forwards.push(...edges.map((e: any) => e.node.key));
      expect(pageInfo.hasPreviousPage).toBe(after !== undefined);
      [after, more] = [pageInfo.endCursor, pageInfo.hasNextPage];
    }
    expect(forwards).toEqual(keys);

    const backwards: string[] = [];
    for (let before: string | undefined, more = true; more; ) {
      const { pageInfo, edges } = (await graph.query(page, { last: 5, before })).data!.province.cities;
      backwards.unshift(...edges.map((e: any) => e.node.key));
      expect(pageInfo.hasNextPage).toBe(before !== undefined);
      [before, more] = [pageInfo.startCursor, pageInfo.hasPreviousPage];
    }
    expect(backwards).toEqual(keys);

    // One format: an edge page's cursor reads as plugin-prisma's cursors of entity lists do.
    const lists = await graph.query(`{ cities(first: 1) { edges { cursor } }
      city(name: "Chengdu") { relationships(first: 1) { edges { cursor } } } }`);
    const prefix = (cursor: string) => Buffer.from(cursor, "base64").toString().slice(0, 6);
    expect(prefix(lists.data!.cities.edges[0].cursor)).toBe("GPC:N:");
    expect(prefix(lists.data!.city.relationships.edges[0].cursor)).toBe("GPC:N:");
    expect(prefix(all.edges[0].cursor)).toBe("GPC:N:");

    // Beneath a page read backwards, the fields of each city answer as beneath a page read forwards.
    const nested = (args: string) => `{ province(name: "Sichuan") { cities(${args}) { edges { node { key
      relationships(first: 2) { edges { node { type } other { key } } } } } } } }`;
    const tail = (await graph.query(nested("last: 3"))).data!.province.cities.edges;
    const head = (await graph.query(nested("first: 100"))).data!.province.cities.edges.slice(-3);
    expect(tail).toEqual(head);

    const both = await graph.query(page, { first: 2, last: 2 });
    expect(both.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("pages through every city, forwards in both orders and backwards, as the whole list orders them", async () => {
    for (const order of [
      "{ field: NAME, direction: ASC }",
      "{ field: NAME, direction: DESC }",
      "{ field: KEY, direction: ASC }",
    ]) {
      const all = await graph.query(
        `{ cities(first: 100, province: "Sichuan", orderBy: ${order}) { edges { node { key } } } }`,
      );
      const expected = all.data!.cities.edges.map((e: any) => e.node.key);
      expect(expected).toHaveLength(18);
      const args = `province: "Sichuan", orderBy: ${order}`;
      expect(await keysPageByPage("cities", args, 4, "forwards")).toEqual(expected);
      expect(await keysPageByPage("cities", args, 5, "backwards")).toEqual(expected);
    }
  });

  it("pages through a list exactly as Prisma orders it", async () => {
    const orders = [
      ["{ field: NAME, direction: ASC }", [{ name: "asc" }, { id: "asc" }]],
      ["{ field: NAME, direction: DESC }", [{ name: "desc" }, { id: "asc" }]],
      ["{ field: KEY, direction: DESC }", [{ key: "desc" }, { id: "asc" }]],
      ["{ field: CREATED, direction: DESC }", [{ id: "desc" }]],
    ] as const;
    for (const [order, prismaOrder] of orders) {
      const rows = await graph.db.prisma.entity.findMany({ orderBy: [...prismaOrder] });
      const expected = rows.filter((row) => entityVariants.Province.matches(row)).map((row) => row.key);
      expect(expected.length).toBeGreaterThan(30);
      const onePlainStatement = () => {
        expect(graph.statements).toHaveLength(1);
        expect(graph.statements.filter((sql) => sql.includes('"public"."Entity"'))).toEqual([]); // none generated by Prisma
      };
      expect(await keysPageByPage("provinces", `orderBy: ${order}`, 7, "forwards", onePlainStatement)).toEqual(
        expected,
      );
      expect(await keysPageByPage("provinces", `orderBy: ${order}`, 6, "backwards")).toEqual(expected);
    }
    // A cursor whose row is gone gives an empty page, filtered or not, as Prisma answers it.
    const gone = Buffer.from("GPC:N:99999999").toString("base64");
    const afterGone = await graph.query(
      `query($after: String) {
      all: provinces(first: 3, after: $after) { edges { node { key } } }
      named: provinces(first: 3, after: $after, nameContains: "a") { edges { node { key } } } }`,
      { after: gone },
    );
    expect(afterGone.errors).toBeUndefined();
    expect(afterGone.data).toEqual({ all: { edges: [] }, named: { edges: [] } });
    // Related rows beneath the nodes change neither the page nor how it is read.
    const withAliases = await graph.query(`{ provinces(first: 5) { edges { node { key aliases } } } }`);
    const plain = await graph.query(`{ provinces(first: 5) { edges { node { key } } } }`);
    expect(withAliases.data!.provinces.edges.map((e: any) => e.node.key)).toEqual(
      plain.data!.provinces.edges.map((e: any) => e.node.key),
    );
    expect(withAliases.data!.provinces.edges[0].node.aliases.length).toBeGreaterThan(0);
  });

  it("filters cities by province and name, and orders them", async () => {
    const response = await graph.query(`{
      inSichuan: cities(province: "四川") { edges { node { name } } }
      named: cities(nameContains: "chong") { edges { node { name } } }
      ordered: cities(first: 3, orderBy: { field: NAME, direction: DESC }) { edges { node { name } } }
    }`);
    expect(response.errors).toBeUndefined();
    const inSichuan = response.data!.inSichuan.edges.map((e: any) => e.node.name);
    expect(inSichuan).toHaveLength(18);
    expect(inSichuan).toEqual(expect.arrayContaining(["Chengdu", "Zigong", "Panzhihua"]));
    expect(response.data!.named.edges.map((e: any) => e.node.name)).toEqual(["Chongqing", "Chongzuo", "Nanchong"]);
    const ordered = response.data!.ordered.edges.map((e: any) => e.node.name);
    expect(ordered).toEqual([...ordered].sort().reverse());
  });

  it('takes a name filter\'s %, _ and \\ literally (they were LIKE wildcards: nameContains "%" matched every name)', async () => {
    const fields = ["entities", "cities", "provinces", "companies", "policies", "indicators"];
    const query = `query($text: String) { ${fields.map((field) => `${field}(nameContains: $text) { totalCount }`).join(" ")} }`;
    const none = Object.fromEntries(fields.map((field) => [field, { totalCount: 0 }]));
    for (const text of ["%", "_", "%%", "Chong%", "C_ongqing", "\\", "a\\"]) {
      expect(await graph.query(query, { text }), text).toEqual({ data: none });
    }
    const plain = await graph.query(
      `{ cities(nameContains: "chong") { totalCount } indicators(nameContains: "gdp") { totalCount } }`,
    );
    expect(plain.data!.cities.totalCount).toBe(3);
    expect(plain.data!.indicators.totalCount).toBeGreaterThan(0);
  });
});

describe("an entity linked twice is listed once", () => {
  it("Chongqing's policies list a plan it both issued and is covered by once", async () => {
    const response = await graph.query(`{ city(name: "Chongqing") {
      policies { key }
      relationships(first: 100) { edges { node { type } other { key kind } } } } }`);
    expect(response.errors).toBeUndefined();
    const keys = response.data!.city.policies.map((policy: { key: string }) => policy.key);
    expect(new Set(keys).size).toBe(keys.length);
    // The seed has plans both ISSUED_BY and APPLIES_TO Chongqing: each shows once, none is lost.
    const linked = response
      .data!.city.relationships.edges.filter((edge: any) =>
        ["ISSUED_BY", "APPLIES_TO", "PARTICIPATES_IN"].includes(edge.node.type),
      )
      .filter((edge: any) => edge.other.kind === "POLICY")
      .map((edge: any) => edge.other.key);
    expect(linked.length).toBeGreaterThan(new Set(linked).size);
    expect(keys).toEqual([...new Set(linked)]);
    expect(keys).toContain("chongqing-ai-action-plan-2023-2025");
  });

  it("a city located in its province by two sources is one city on every page, counted once", async () => {
    const prisma = graph.db.prisma;
    const [chengdu, sichuan, source] = await Promise.all([
      prisma.entity.findUniqueOrThrow({ where: { key: "chengdu" } }),
      prisma.entity.findUniqueOrThrow({ where: { key: "sichuan" } }),
      prisma.source.findFirstOrThrow({ where: { kind: "ARTICLE" } }),
    ]);
    const second = await prisma.relationship.create({
      data: {
        key: "LOCATED_IN:chengdu:sichuan:twice",
        typeKey: "LOCATED_IN",
        fromId: chengdu.id,
        toId: sichuan.id,
        sourceId: source.id,
        quote: source.body.slice(0, 20),
        certainty: "INFERRED",
      },
    });
    try {
      const page = `query($first: Int, $after: String, $last: Int, $before: String) { province(name: "Sichuan") {
        cities(first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { key } } } } }`;
      const all = (await graph.query(page, { first: 100 })).data!.province.cities;
      const keys = all.edges.map((edge: any) => edge.node.key);
      expect(keys).toHaveLength(18);
      expect(all.totalCount).toBe(18);
      const forwards: string[] = [];
      for (let after: string | undefined, more = true; more; ) {
        const { pageInfo, edges } = (await graph.query(page, { first: 4, after })).data!.province.cities;
        forwards.push(...edges.map((edge: any) => edge.node.key));
        [after, more] = [pageInfo.endCursor, pageInfo.hasNextPage];
      }
      expect(forwards).toEqual(keys);
      const backwards: string[] = [];
      for (let before: string | undefined, more = true; more; ) {
        const { pageInfo, edges } = (await graph.query(page, { last: 4, before })).data!.province.cities;
        backwards.unshift(...edges.map((edge: any) => edge.node.key));
        [before, more] = [pageInfo.startCursor, pageInfo.hasPreviousPage];
      }
      expect(backwards).toEqual(keys);
      // The relationship list still shows both: it lists relationships, not places.
      const chengduLinks = await graph.query(`{ city(name: "Chengdu") {
        relationships(type: "LOCATED_IN", direction: OUTGOING) { totalCount } locatedIn { key } } }`);
      expect(chengduLinks.data!.city.relationships.totalCount).toBe(2);
      const within = chengduLinks.data!.city.locatedIn.map((place: { key: string }) => place.key);
      expect(within.filter((key: string) => key === "sichuan")).toEqual(["sichuan"]);
    } finally {
      await prisma.relationship.delete({ where: { id: second.id } });
    }
  });
});
