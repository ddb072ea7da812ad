// Edge pages read only the columns their selection reads, and give the same answers as whole rows;
// a narrow far end never stands in for a whole entity elsewhere in the request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

/** The answer, and the columns each edge page read, level by level (from the statements' select lists). */
async function run(query: string) {
  graph.resetStatements();
  const response = await graph.query(query);
  expect(response.errors).toBeUndefined();
  const pages = graph.statements.filter((sql) => sql.includes("CROSS JOIN LATERAL"));
  expect(pages.length).toBeGreaterThan(0);
  const listed = (sql: string, pattern: RegExp) =>
    [...new Set([...sql.matchAll(pattern)].map((match) => match[1]!))].sort();
  return {
    data: response.data!,
    relationships: pages.map((sql) => listed(sql, /r\."(\w+)",/g)),
    others: pages.map((sql) => listed(sql, /AS "other\.(\w+)"/g)),
  };
}

// `@include` keeps the cities' pages from being read ahead with the province's (tests/schema/read-ahead/edge-fields.test.ts):
// each level is its own statement, in its own shapes.
const traversal = (node: string, other: string, fragments = "") => `
  { province(name: "Sichuan") { name cities(first: 5) { edges { node { name relationships(first: 5, direction: OUTGOING) @include(if: true) {
      edges { node { ${node} } other { ${other} } } } } } } } } ${fragments}`;

type Answer = {
  province: {
    cities: {
      edges: {
        node: {
          name: string;
          relationships: { edges: { node: Record<string, unknown>; other: Record<string, unknown> }[] };
        };
      }[];
    };
  };
};
const pairs = (data: Record<string, unknown>) =>
  (data as Answer).province.cities.edges.flatMap((city) =>
    city.node.relationships.edges.map((edge) => [city.node.name, edge.node.type, edge.other.name]),
  );

const cities = { relationships: ["id"], others: ["id", "kind", "name"] };

describe("columns read by edge pages", () => {
  it("only the columns selected (with ids and kinds), at both levels: the same answer as whole rows", async () => {
    const narrow = await run(traversal("id type", "__typename id key name kind"));
    expect(narrow.relationships).toEqual([cities.relationships, ["id", "key", "typeKey"]]);
    expect(narrow.others).toEqual([cities.others, ["id", "key", "kind", "name"]]);
    const whole = await run(traversal("id type quote validFrom", "__typename id key name kind description"));
    expect(whole.relationships[1]).toEqual(
      expect.arrayContaining(["quote", "validFrom", "validFromPrecision", "properties", "fromId"]),
    );
    expect(whole.others).toEqual([cities.others, ["description", "id", "key", "kind", "name"]]);
    expect(pairs(narrow.data)).toEqual(pairs(whole.data));
    expect(pairs(narrow.data).length).toBeGreaterThan(5);
  });

  it("fragments and type conditions count; a field read by no column of its own reads whole rows", async () => {
    const spread = await run(traversal("type", "name ...Described", "fragment Described on Entity { properties }"));
    expect(spread.others[1]).toEqual(["id", "kind", "name", "properties"]);
    const inline = await run(traversal("type", `name ... on City { series(indicator: "gdp") { unit } }`));
    expect(inline.others[1]).toEqual(expect.arrayContaining(["description", "createdAt", "divisionCode"]));
    const ends = await run(traversal("type from { name } relationType { label }", "name"));
    expect(ends.relationships[1]).toEqual(["fromId", "id", "typeKey"]);
    expect(ends.others[1]).toEqual(["id", "kind", "name"]);
  });

  it("lists of linked entities read their far ends narrow too, with the same answer as whole rows", async () => {
    const linked = (fields: string) =>
      `{ company(name: "seres") { brands { ${fields} } } aito: entity(name: "AITO") { ... on Brand { hostCities { ${fields} } } } }`;
    const narrow = await run(linked("name"));
    expect(narrow.relationships).toEqual([["id"], ["id"]]);
    expect(narrow.others).toEqual([
      ["id", "kind", "name"],
      ["id", "kind", "name"],
    ]);
    const whole = await run(linked("name description"));
    expect(whole.others).toEqual([
      ["description", "id", "kind", "name"],
      ["description", "id", "kind", "name"],
    ]);
    const names = (data: any) => [
      data.company.brands.map((b: any) => b.name),
      data.aito.hostCities.map((c: any) => c.name),
    ];
    expect(names(narrow.data)).toEqual(names(whole.data));
    expect(names(narrow.data)).toEqual([expect.arrayContaining(["AITO"]), expect.arrayContaining(["Chongqing"])]);
  });

  it("a narrow far end is not taken for the whole entity when the same entity is loaded elsewhere", async () => {
    // `from` loads its entity by id; the far ends read narrow in the same request must not answer it.
    const { data, others } = await run(`{ city(name: "Chongqing") { relationships(first: 50, direction: INCOMING) {
      edges { other { name } node { from { name description properties } } } } } }`);
    expect(others).toEqual([["id", "kind", "name"]]);
    type Edge = {
      other: { name: string };
      node: { from: { name: string; description: string | null; properties: unknown } };
    };
    const edges = (data as { city: { relationships: { edges: Edge[] } } }).city.relationships.edges;
    expect(edges.every((edge) => edge.node.from.name === edge.other.name && edge.node.from.properties !== null)).toBe(
      true,
    );
    expect(edges.some((edge) => edge.node.from.description)).toBe(true);
  });

  it("an entity asked for by id reads only the columns selected (with what tells its type), and answers as its whole row does", async () => {
    const { data: found } = await graph.query(
      `{ city(name: "Chongqing") { id } province(name: "Chongqing") { id } company(name: "seres") { id } }`,
    );
    const lookup = (fields: string) =>
      `query ($id: ID!) { node(id: $id) { id __typename ... on Entity { key name nameZh kind ${fields} } } }`;
    for (const id of [found!.city.id, found!.province.id, found!.company.id]) {
      const answer = async (fields: string) => {
        graph.resetStatements();
        const response = await graph.query(lookup(fields), { id });
        expect(response.errors).toBeUndefined();
        return { node: response.data!.node, statements: [...graph.statements] };
      };
      const narrow = await answer("");
      expect(narrow.statements).toHaveLength(1);
      expect(/^SELECT (.*) FROM "Entity" WHERE "key" = ANY/.exec(narrow.statements[0]!)?.[1]).toBe(
        `"adminLevel", "id", "key", "kind", "name", "nameZh"`,
      );
      // With its aliases, the entity is Prisma's whole row.
      const whole = await answer("aliases");
      const { aliases, ...rest } = whole.node;
      expect(narrow.node).toEqual(rest);
      expect(aliases.length).toBeGreaterThan(0);
    }
  });
});
