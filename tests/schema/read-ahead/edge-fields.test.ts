// An edge field reads, in its own statement, the pages its far ends will be asked for (province ->
// cities -> relationships in one statement), and every answer is the one asking level by level
// gives. `@include(if: true)` on a field keeps it from being read ahead: the level-by-level answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEdgePages, loadEntitiesAhead, type EdgeQuery } from "../../../src/reads/edges.js";
import { Prisma } from "../../../src/generated/prisma/client.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

/** The response, the statements it took, how many of them read edge pages, and whether those read far ends' descriptions. */
async function run(query: string, variables: Record<string, unknown> = {}) {
  graph.resetStatements();
  const response = await graph.query(query, variables);
  const pages = graph.statements.filter((sql) => sql.includes("CROSS JOIN LATERAL"));
  return {
    response,
    statements: graph.statements.length,
    pageStatements: pages.length,
    readsDescriptions: pages.some((sql) => sql.includes(`"other.description"`)),
  };
}

/** Asks `query` as written and level by level (`{{ahead}}` replaced by `@include(if: true)`): same answer, fewer statements. */
async function compare(query: string, variables: Record<string, unknown> = {}) {
  const ahead = await run(query.replaceAll("{{ahead}}", ""), variables);
  const levelByLevel = await run(query.replaceAll("{{ahead}}", "@include(if: true)"), variables);
  expect(ahead.response.errors).toBeUndefined();
  expect(levelByLevel.response.errors).toBeUndefined();
  expect(ahead.response.data).toEqual(levelByLevel.response.data);
  return { ahead, levelByLevel, data: ahead.response.data! };
}

type CityEdges = { edges: { node: Record<string, any> }[]; pageInfo?: Record<string, unknown> };
const citiesOf = (data: Record<string, any>): CityEdges => data.province.cities;

describe("edge pages read ahead", () => {
  it("province(name:) -> cities -> relationships -> far ends: one statement for the province and both levels", async () => {
    const { ahead, levelByLevel, data } =
      await compare(`{ province(name: "Sichuan") { name cities(first: 5) { edges { node {
      name relationships(first: 3, direction: OUTGOING) {{ahead}} { edges { node { type } other { name } } pageInfo { hasNextPage endCursor } } } } } } }`);
    // The province by name, its cities and their relationships: one statement; the relationships apart, two.
    expect(ahead.statements).toBe(1);
    expect(ahead.readsDescriptions).toBe(false);
    expect(levelByLevel.statements).toBe(2);
    const cities = citiesOf(data).edges;
    expect(cities).toHaveLength(5);
    expect(cities.flatMap((city) => city.node.relationships.edges).length).toBeGreaterThan(5);
  });

  it("far ends without such edges get their empty page, not a statement of their own", async () => {
    const { ahead, data } = await compare(`{ province(name: "Sichuan") { cities(first: 5) { edges { node {
      name relationships(type: "BRAND_OF") {{ahead}} { edges { node { id } } pageInfo { hasNextPage } } } } } } }`);
    expect(ahead.pageStatements).toBe(1);
    for (const city of citiesOf(data).edges)
      expect(city.node.relationships).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it("three levels, and two pages per far end under aliases, in one statement", async () => {
    const { ahead, levelByLevel, data } =
      await compare(`{ province(name: "Sichuan") { cities(first: 3) { edges { node { name
      out: relationships(first: 2, direction: OUTGOING) {{ahead}} { edges { node { type } other { name ... on Place { locatedIn {{ahead}} { name } } } } }
      in: relationships(first: 1, direction: INCOMING) {{ahead}} { edges { other { name } } pageInfo { hasNextPage } }
      province {{ahead}} { name } } } } } }`);
    expect(ahead.pageStatements).toBe(1);
    expect(levelByLevel.pageStatements).toBeGreaterThanOrEqual(4);
    const city = citiesOf(data).edges[0]!.node;
    expect(city.province.name).toBe("Sichuan");
    expect(city.out.edges.some((edge: any) => edge.other.locatedIn?.length > 0)).toBe(true);
  });

  it("a later page of cities, with the variables the fields beneath are asked with", async () => {
    const first = await run(`{ province(name: "Sichuan") { cities(first: 2) { pageInfo { endCursor } } } }`);
    const after = citiesOf(first.response.data!).pageInfo!.endCursor;
    const { ahead, data } = await compare(
      `query($after: String, $n: Int, $direction: Direction) { province(name: "Sichuan") { cities(first: 3, after: $after) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { name relationships(first: $n, direction: $direction) {{ahead}} { edges { node { type } } pageInfo { hasNextPage } } } } } } }`,
      { after, n: 1, direction: "OUTGOING" },
    );
    expect(ahead.pageStatements).toBe(1);
    const cities = citiesOf(data);
    expect(cities.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(cities.edges).toHaveLength(3);
    for (const city of cities.edges) expect(city.node.relationships.edges.length).toBeLessThanOrEqual(1);
  });

  it("the columns a field beneath reads, in a fragment or not, are read with the level above", async () => {
    const { ahead, data } = await compare(`{ province(name: "Sichuan") { cities(first: 3) { edges { node {
      relationships(first: 2) {{ahead}} { edges { node { type } other { name } } }
      ... on City { relationships(first: 2) {{ahead}} { edges { node { quote } other { description } } } } } } } } }`);
    expect(ahead.pageStatements).toBe(1);
    expect(ahead.readsDescriptions).toBe(true);
    expect(
      citiesOf(data)
        .edges.flatMap((city) => city.node.relationships.edges)
        .some((edge: any) => edge.node.quote),
    ).toBe(true);
  });

  it("node(id) -> cities -> relationships: the province and both levels in one statement", async () => {
    const { province } = (await run(`{ province(name: "Sichuan") { id } }`)).response.data!;
    const { ahead, levelByLevel, data } = await compare(
      `query($id: ID!) { node(id: $id) { id ... on Province { name cities(first: 4) {{ahead}} { totalCount edges { node {
        name relationships(first: 2) {{ahead}} { edges { direction other { name } } } } } } } } }`,
      { id: province.id },
    );
    expect(ahead.statements).toBe(2); // the page statement, and the count `totalCount` asks for
    expect(ahead.pageStatements).toBe(1);
    expect(levelByLevel.statements).toBe(4);
    expect(data.node.name).toBe("Sichuan");
    expect(data.node.cities.edges).toHaveLength(4);
  });

  it("nodes(ids): every entity with its pages in one statement; an id of another type or of nothing is null", async () => {
    const { a, b } = (await run(`{ a: province(name: "Sichuan") { id } b: city(name: "Chongqing") { id key } }`))
      .response.data!;
    const id = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Place { name locatedIn {{ahead}} { name } }
      ... on Entity { relationships(first: 3, direction: INCOMING) {{ahead}} { edges { other { name } } } } } }`;
    const { ahead, data } = await compare(query, { ids: [a.id, b.id, id("Province", b.key)] });
    expect(ahead.statements).toBe(1);
    expect(data.nodes.map((node: any) => node.name)).toEqual(["Sichuan", "Chongqing", "Chongqing"]);
    expect(data.nodes[1].relationships.edges.length).toBeGreaterThan(0);
    // Pages read for an entity that is then not the type its id names are never answered.
    const { data: none } = await compare(query, { ids: [id("Company", b.key), id("Province", "no-such-province")] });
    expect(none.nodes).toEqual([null, null]);
  });

  it("fields under a type condition are read ahead for the far ends of that type only, in the same statement", async () => {
    const { ahead, data } = await compare(`{ city(name: "Chongqing") { relationships(first: 40) { edges { other { name
      ... on Company { brands {{ahead}} { name } }
      ... on Province { cities(first: 2) {{ahead}} { edges { node { name } } } } } } } } }`);
    expect(ahead.pageStatements).toBe(1);
    const others = data.city.relationships.edges.map((edge: any) => edge.other);
    expect(others.some((other: any) => other.brands?.length)).toBe(true);
    expect(others.some((other: any) => other.cities?.edges.length)).toBe(true);
  });

  it("the same page asked under a type condition and on every far end is read ahead for every far end", async () => {
    const { ahead, data } = await compare(`{ city(name: "Chongqing") { relationships(first: 20) { edges { other { name
      everyones: relationships(first: 2) {{ahead}} { edges { other { name } } }
      ... on Company { mine: relationships(first: 2) {{ahead}} { edges { other { name } } } } } } } } }`);
    expect(ahead.pageStatements).toBe(1);
    const others = data.city.relationships.edges.map((edge: any) => edge.other);
    expect(others.filter((other: any) => !other.mine).every((other: any) => other.everyones.edges.length > 0)).toBe(
      true,
    );
  });

  it("a page read ahead under a type condition is read and kept for far ends of its kinds only", async () => {
    const chongqing = await graph.db.prisma.entity.findUniqueOrThrow({ where: { key: "chongqing" } });
    const brands: EdgeQuery = { types: ["BRAND_OF"], direction: "INCOMING", limit: 5 };
    const [page] = await loadEdgePages(graph.db.sql, [chongqing.id], {
      direction: "BOTH",
      limit: 40,
      next: [{ query: brands, kinds: ["COMPANY"] }],
    });
    const companies = [
      ...new Set(page!.edges.filter((edge) => edge.other.kind === "COMPANY").map((edge) => edge.other.id)),
    ].sort();
    expect(companies.length).toBeGreaterThan(0);
    expect(page!.edges.some((edge) => edge.other.kind !== "COMPANY")).toBe(true);
    expect([...new Set(page!.ahead.map((kept) => kept.anchorId))].sort()).toEqual(companies);
    // Each page kept is the one its field would read alone.
    for (const kept of page!.ahead)
      expect(kept.page).toEqual((await loadEdgePages(graph.db.sql, [kept.anchorId], brands))[0]);

    // The same for entities looked up: a page asked under `... on Company` is kept for the company alone.
    const roots = Prisma.sql`SELECT * FROM "Entity" WHERE key IN ('chongqing', 'seres')`;
    const found = await loadEntitiesAhead(graph.db.sql, roots, [{ query: brands, kinds: ["COMPANY"] }]);
    expect(found.entities.map((entity) => entity.key).sort()).toEqual(["chongqing", "seres"]);
    expect(found.ahead.map((kept) => kept.anchorId)).toEqual(
      found.entities.filter((entity) => entity.kind === "COMPANY").map((entity) => entity.id),
    );
  });

  it("arguments a field beneath refuses: its own coded error, with nothing read ahead for it", async () => {
    const { response, pageStatements } = await run(`{ province(name: "Sichuan") { cities(first: 2) { edges { node { name
      relationships(first: 1000) { edges { node { type } } } } } } } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("PAGE_SIZE_OUT_OF_RANGE");
    expect(response.errors?.[0]?.path).toContain("relationships");
    expect(pageStatements).toBe(1);
  });
});
