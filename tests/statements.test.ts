// No N+1: a nested traversal costs the same number of SQL statements on a graph ten times larger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSyntheticCities } from "./support/synthetic.js";
import { queryServer, startTestGraph, type TestGraph } from "./support/graph.js";

const nested = /* GraphQL */ `
  query Nested {
    cities(first: 100) {
      totalCount
      edges {
        node {
          name
          province { name }
          relationships(first: 10) {
            totalCount
            edges {
              other {
                name
                sources { title }
                ... on City { autoRankings { rank ranking { name } } }
              }
              node { type validFrom certainty source { title } }
            }
          }
        }
      }
    }
  }
`;

async function measure(graph: TestGraph) {
  graph.resetStatements();
  const response = await queryServer<{ cities: { totalCount: number } }>(graph.yoga, nested);
  expect(response.errors).toBeUndefined();
  return { statements: graph.statements.length, cities: response.data!.cities.totalCount };
}

describe("SQL statements per request", () => {
  let small: TestGraph;
  let large: TestGraph;
  beforeAll(async () => {
    [small, large] = await Promise.all([startTestGraph(), startTestGraph()]);
    await addSyntheticCities(small.db.prisma, 5, "small");
    await addSyntheticCities(large.db.prisma, 50, "large");
  });
  afterAll(async () => {
    await Promise.all([small?.close(), large?.close()]);
  });

  it("cities -> relationships -> target -> sources does not grow with the data", async () => {
    const a = await measure(small);
    const b = await measure(large);
    expect(b.cities).toBeGreaterThanOrEqual(a.cities + 45);
    expect(b.statements).toBe(a.statements);
    expect(a.statements).toBeLessThanOrEqual(10);
  });

  // Each exploration query, on the synthetic province (a hub in the larger graph) where it takes an id.
  const hubId = (tag: string) => Buffer.from(`Province:synthetic-province-${tag}`).toString("base64");
  const seres = Buffer.from("Company:seres").toString("base64");
  const exploration: [string, string, (tag: string) => Record<string, unknown>][] = [
    [
      "search",
      `query($q: String!) { search(query: $q, first: 10) { totalCount edges { node { score entity { name } } } } }`,
      () => ({ q: "Synthetic City" }),
    ],
    [
      "neighborhood",
      `query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 500) { truncated nodes { id label } edges { source target label sourceTitle } } }`,
      (tag) => ({ id: hubId(tag) }),
    ],
    [
      "paths",
      `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 4) { length steps { label from { name } to { name } } } }`,
      (tag) => ({ from: seres, to: hubId(tag) }),
    ],
    [
      "graphStats",
      `{ graphStats { entities relationships entitiesByKind { key count } relationshipsByType { key count } } }`,
      () => ({}),
    ],
    [
      "degree",
      `query($id: ID!) { node(id: $id) { ... on Entity { degree { type direction count } } } }`,
      (tag) => ({ id: hubId(tag) }),
    ],
    [
      "entitiesByRelationshipCount",
      `{ entitiesByRelationshipCount(type: "LOCATED_IN", direction: INCOMING, first: 5) { totalCount edges { node { count entity { name } } } } }`,
      () => ({}),
    ],
    ["observationStats", `{ observationStats(indicator: "gdp", groupBy: PROVINCE) { key count sum } }`, () => ({})],
    [
      "series and compare",
      `query($ids: [ID!]!) { cities(first: 100) { edges { node { series(indicator: "gdp") { points { value } } } } } compare(indicator: "gdp", entities: $ids) { value } }`,
      (tag) => ({ ids: [seres, hubId(tag)] }),
    ],
  ];

  it.each(exploration)("%s costs the same statements on the larger graph", async (_name, query, variables) => {
    const counts = [];
    for (const [graph, tag] of [
      [small, "small"],
      [large, "large"],
    ] as const) {
      graph.resetStatements();
      const response = await graph.query(query, variables(tag));
      expect(response.errors).toBeUndefined();
      counts.push(graph.statements.length);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(8);
  });

  // The benchmark's hot requests, in exactly these many statements: an entity is one read however it
  // is named; each kind of related row beneath it adds one read, batched for every entity of a list
  // (src/reads/loaders.ts); the pages its edge fields ask for, and theirs, are read with it
  // (tests/schema/read-ahead/edge-fields.test.ts).
  const chongqing = Buffer.from("City:chongqing").toString("base64");
  const lookups: [string, string, Record<string, unknown>, number][] = [
    ["node by id", `query($id: ID!) { node(id: $id) { ... on Entity { name kind } } }`, { id: chongqing }, 1],
    [
      "nodes by id, two types of one entity",
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Entity { name } } }`,
      { ids: [chongqing, Buffer.from("Province:chongqing").toString("base64")] },
      1,
    ],
    ["entity by name", `{ entity(name: "重庆") { name kind } }`, {}, 1],
    ["city by name", `{ city(name: "chongqing") { name divisionCode } }`, {}, 1],
    ["entity by name, with its aliases", `{ entity(name: "重庆") { name aliases } }`, {}, 2],
    [
      "node by id, with its aliases",
      `query($id: ID!) { node(id: $id) { ... on Entity { name aliases } } }`,
      { id: chongqing },
      2,
    ],
    ["a page of provinces, with their aliases", `{ provinces(first: 30) { edges { node { name aliases } } } }`, {}, 2],
    [
      "a page of policies, with their details and figures",
      `{ policies(first: 30) { edges { node { name policyType figures { kind } } } } }`,
      {},
      3,
    ],
    [
      "province -> cities -> relationships -> far ends",
      `query($id: ID!) { node(id: $id) { ... on Province { name cities(first: 20) { edges { node {
         name relationships(first: 10, direction: OUTGOING) { edges { node { type } other { name } } } } } } } } }`,
      { id: hubId("small") },
      1,
    ],
  ];
  it.each(lookups)("%s takes the statements it should", async (_name, query, variables, expected) => {
    small.resetStatements();
    const response = await small.query(query, variables);
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data)).not.toContain("null");
    expect(small.statements).toHaveLength(expected);
  });

  it("a query writes nothing", async () => {
    await measure(large);
    const writes = large.statements.filter((sql) =>
      /^\s*(INSERT|UPDATE|DELETE|ALTER|CREATE|DROP|TRUNCATE)\b/i.test(sql),
    );
    expect(writes).toEqual([]);
  });
});
