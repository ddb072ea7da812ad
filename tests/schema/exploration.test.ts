// Neighbourhoods for visualisers and shortest paths, bounded and in a fixed number of statements.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addSyntheticCities } from "../support/synthetic.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
let larger: TestGraph;
const ids: Record<string, string> = {};
beforeAll(async () => {
  [graph, larger] = await Promise.all([startTestGraph({ readOnly: true }), startTestGraph()]);
  await addSyntheticCities(larger.db.prisma, 60, "hub");
  const response = await graph.query(`{
    seres: company(name: "Seres") { id } sichuan: province(name: "Sichuan") { id } chongqing: city(name: "Chongqing") { id }
    japan: entity(name: "japan") { id } source: sources(first: 1) { edges { node { id } } } }`);
  Object.assign(ids, {
    ...Object.fromEntries(["seres", "sichuan", "chongqing", "japan"].map((k) => [k, response.data![k].id])),
    source: response.data!.source.edges[0].node.id,
  });
});
afterAll(async () => {
  await Promise.all([graph?.close(), larger?.close()]);
});

const neighborhoodQuery = `query($id: ID!, $depth: Int, $limit: Int, $asOf: PartialDate, $types: [String!]) {
  neighborhood(id: $id, depth: $depth, limit: $limit, asOf: $asOf, types: $types) {
    truncated nodes { id kind label depth } edges { id source target type label certainty quote sourceTitle }
  } }`;

describe("neighborhood", () => {
  it("returns nodes and edges a visualiser can draw, every edge with provenance", async () => {
    const response = await graph.query(neighborhoodQuery, { id: ids.chongqing, depth: 1 });
    expect(response.errors).toBeUndefined();
    const { nodes, edges, truncated } = response.data!.neighborhood;
    expect(truncated).toBe(false);
    const nodeIds = new Set(nodes.map((n: any) => n.id));
    expect(nodes.find((n: any) => n.depth === 0).label).toBe("Chongqing");
    expect(nodes.map((n: any) => n.label)).toEqual(expect.arrayContaining(["Sichuan", "Yunnan", "Liaoning", "Seres"]));
    for (const edge of edges) {
      expect(nodeIds.has(edge.source) && nodeIds.has(edge.target)).toBe(true);
      expect(edge.label).toBeTruthy();
      expect(edge.sourceTitle).toBeTruthy();
    }
  });

  it("is bounded by limit and says when it is cut short", async () => {
    const response = await graph.query(neighborhoodQuery, { id: ids.chongqing, depth: 2, limit: 3 });
    expect(response.data!.neighborhood.edges).toHaveLength(3);
    expect(response.data!.neighborhood.truncated).toBe(true);
  });

  it("shows the graph as it stood: no VAT partners before 2025", async () => {
    const before = await graph.query(neighborhoodQuery, {
      id: ids.chongqing,
      types: ["VAT_REFUND_PARTNER"],
      asOf: "2024-06",
    });
    const after = await graph.query(neighborhoodQuery, {
      id: ids.chongqing,
      types: ["VAT_REFUND_PARTNER"],
      asOf: "2025-12-31",
    });
    expect(before.data!.neighborhood.edges).toEqual([]);
    expect(after.data!.neighborhood.edges.length).toBeGreaterThanOrEqual(1);
  });

  it("costs one statement per depth level, on a hub of a larger graph too", async () => {
    const hub = await larger.query(`{ province(name: "synthetic-province-hub") { id } }`);
    larger.resetStatements();
    const response = await larger.query(neighborhoodQuery, { id: hub.data!.province.id, depth: 3, limit: 40 });
    expect(response.data!.neighborhood.truncated).toBe(true);
    expect(response.data!.neighborhood.edges).toHaveLength(40);
    expect(larger.statements.length).toBeLessThanOrEqual(6);
  });

  it("rejects a depth over 3, a bad limit, a non-entity id; null for an unknown one", async () => {
    const deep = await graph.query(neighborhoodQuery, { id: ids.chongqing, depth: 10 });
    expect(deep.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const negative = await graph.query(neighborhoodQuery, { id: ids.chongqing, limit: -1 });
    expect(negative.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const notEntity = await graph.query(neighborhoodQuery, { id: ids.source });
    expect(notEntity.errors![0]!.extensions!.code).toBe("INVALID_ID");
    const unknown = await graph.query(neighborhoodQuery, { id: Buffer.from("City:999999").toString("base64") });
    expect(unknown).toEqual({ data: { neighborhood: null } });
  });
});

const pathsQuery = `query($from: ID!, $to: ID!, $maxDepth: Int, $types: [String!]) {
  paths(from: $from, to: $to, maxDepth: $maxDepth, types: $types) { length nodes { key } steps { label direction relationship { type quote } } } }`;

describe("paths", () => {
  it("Seres -> headquartered in -> Chongqing -> VAT refund partner -> Sichuan", async () => {
    const response = await graph.query(pathsQuery, {
      from: ids.seres,
      to: ids.sichuan,
      types: ["HEADQUARTERED_IN", "VAT_REFUND_PARTNER"],
    });
    expect(response.errors).toBeUndefined();
    const [path] = response.data!.paths;
    expect(path.length).toBe(2);
    expect(path.nodes.map((n: any) => n.key)).toEqual(["seres", "chongqing", "sichuan"]);
    expect(path.steps.map((s: any) => s.relationship.type)).toEqual(["HEADQUARTERED_IN", "VAT_REFUND_PARTNER"]);
  });

  it("returns shortest paths first, each without repeated nodes", async () => {
    const response = await graph.query(pathsQuery, { from: ids.seres, to: ids.japan, maxDepth: 4 });
    const paths = response.data!.paths;
    expect(paths.length).toBeGreaterThan(0);
    const lengths = paths.map((p: any) => p.length);
    expect(lengths).toEqual([...lengths].sort());
    for (const path of paths) expect(new Set(path.nodes.map((n: any) => n.key)).size).toBe(path.nodes.length);
  });

  it("answers [] when nothing connects within maxDepth, and errors for bad input", async () => {
    const none = await graph.query(pathsQuery, { from: ids.seres, to: ids.sichuan, maxDepth: 1 });
    expect(none).toEqual({ data: { paths: [] } });
    const same = await graph.query(pathsQuery, { from: ids.seres, to: ids.seres });
    expect(same.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const deep = await graph.query(pathsQuery, { from: ids.seres, to: ids.sichuan, maxDepth: 12 });
    expect(deep.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const unknown = await graph.query(pathsQuery, {
      from: ids.seres,
      to: Buffer.from("City:999999").toString("base64"),
    });
    expect(unknown.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });
});
