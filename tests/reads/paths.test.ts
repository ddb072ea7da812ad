// Shortest paths met in the middle (src/reads/paths.ts), checked against an exhaustive walk of the seed
// graph in this file: the same paths in the same order, whichever side each round extends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EDGE_COUNT_CAP, findPaths, type RoundRow } from "../../src/reads/paths.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

interface Edge {
  id: number;
  key: string;
  fromId: number;
  toId: number;
  typeKey: string;
}

let graph: TestGraph;
let edges: Edge[];
let entityIdByKey: Map<string, number>;
let isolatedId: string;

const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");
const keyOf = (id: string) =>
  Buffer.from(id, "base64")
    .toString("utf8")
    .replace(/^[^:]+:/, "");

beforeAll(async () => {
  graph = await startTestGraph();
  edges = await graph.db.prisma.relationship.findMany({
    select: { id: true, key: true, fromId: true, toId: true, typeKey: true },
  });
  const entities = await graph.db.prisma.entity.findMany({ select: { id: true, key: true } });
  entityIdByKey = new Map(entities.map((e) => [e.key, e.id]));
  const isolated = await graph.db.prisma.entity.create({
    data: { key: "isolated-test-company", kind: "COMPANY", name: "Isolated Test Company" },
  });
  isolatedId = globalId("Company", isolated.key);
});
afterAll(async () => {
  await graph?.close();
});

/**
 * Every simple path (no entity twice, edges either way) of at most `maxDepth` edges, as relationship
 * keys, fewest edges first and then by relationship ids: the order the API promises.
 */
function exhaustivePaths(fromKey: string, toKey: string, maxDepth: number, types?: string[]): string[][] {
  const paths = exhaustiveEdges(entityIdByKey.get(fromKey)!, entityIdByKey.get(toKey)!, maxDepth, types);
  return paths.map((path) => path.map((edge) => edge.key));
}

/** The same as relationship ids, between entity ids. */
const exhaustivePathIds = (from: number, to: number, maxDepth: number) =>
  exhaustiveEdges(from, to, maxDepth).map((path) => path.map((edge) => edge.id));

function exhaustiveEdges(from: number, to: number, maxDepth: number, types?: string[]): Edge[][] {
  const around = new Map<number, { edge: Edge; next: number }[]>();
  const add = (node: number, step: { edge: Edge; next: number }) =>
    around.set(node, [...(around.get(node) ?? []), step]);
  for (const edge of edges) {
    if (types && !types.includes(edge.typeKey)) continue;
    add(edge.fromId, { edge, next: edge.toId });
    add(edge.toId, { edge, next: edge.fromId });
  }
  const found: Edge[][] = [];
  const walk = (node: number, nodes: Set<number>, path: Edge[]) => {
    if (node === to) return void found.push(path);
    if (path.length === maxDepth) return;
    for (const { edge, next } of around.get(node) ?? []) {
      if (!nodes.has(next)) walk(next, new Set([...nodes, next]), [...path, edge]);
    }
  };
  walk(from, new Set([from]), []);
  const compare = (a: Edge[], b: Edge[]) => {
    if (a.length !== b.length) return a.length - b.length;
    const differs = a.findIndex((edge, i) => edge.id !== b[i]!.id);
    return differs < 0 ? 0 : a[differs]!.id - b[differs]!.id;
  };
  return found.sort(compare);
}

const pathsQuery = `query($from: ID!, $to: ID!, $maxDepth: Int, $first: Int, $types: [String!]) {
  paths(from: $from, to: $to, maxDepth: $maxDepth, first: $first, types: $types) { length nodes { key } steps { relationship { id } } } }`;

async function pathsOf(
  from: string,
  to: string,
  maxDepth: number,
  first: number,
  types?: string[],
): Promise<string[][]> {
  const response = await graph.query(pathsQuery, { from, to, maxDepth, first, types });
  expect(response.errors).toBeUndefined();
  return response.data!.paths.map((path: any) => path.steps.map((step: any) => keyOf(step.relationship.id)));
}

describe("paths met in the middle", () => {
  // Pairs at one to five hops, through the hubs of the seed graph (Chongqing, China, the provinces).
  const pairs: [string, string, string, string][] = [
    ["Company", "seres", "Province", "sichuan"],
    ["Company", "seres", "Country", "japan"],
    ["City", "chongqing", "Province", "sichuan"],
    ["Company", "huawei", "City", "chengdu"],
    ["Brand", "aito", "Province", "guangdong"],
    ["Province", "yunnan", "Company", "seres"],
  ];

  it.each(pairs)(
    "%s %s -> %s %s: the first paths of an exhaustive walk, in its order",
    async (fromType, fromKey, toType, toKey) => {
      expect(entityIdByKey.has(fromKey) && entityIdByKey.has(toKey)).toBe(true);
      for (const [maxDepth, first] of [
        [1, 10],
        [2, 10],
        [3, 10],
        [4, 3],
        [4, 10],
        [5, 10],
      ] as const) {
        const expected = exhaustivePaths(fromKey, toKey, maxDepth).slice(0, first);
        const actual = await pathsOf(globalId(fromType, fromKey), globalId(toType, toKey), maxDepth, first);
        expect(actual, `maxDepth ${maxDepth}, first ${first}`).toEqual(expected);
      }
    },
  );

  it("follows only the types asked for, both ways", async () => {
    const types = ["HEADQUARTERED_IN", "VAT_REFUND_PARTNER", "LOCATED_IN"];
    const expected = exhaustivePaths("seres", "chengdu", 4, types).slice(0, 10);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pathsOf(globalId("Company", "seres"), globalId("City", "chengdu"), 4, 10, types)).toEqual(expected);
  });

  it("the same request answers the same paths every time", async () => {
    const ask = () => pathsOf(globalId("City", "chongqing"), globalId("Country", "japan"), 4, 10);
    const first = await ask();
    expect(first.length).toBeGreaterThan(1);
    expect(await ask()).toEqual(first);
  });

  it("one statement finds a two-hop path; each further round walks one edge more, and an end with no edges stops the search", async () => {
    const rounds = () => graph.statements.filter((sql) => sql.includes("WITH RECURSIVE forward")).length;
    graph.resetStatements();
    expect(await pathsOf(globalId("Company", "seres"), globalId("Province", "sichuan"), 6, 1)).toHaveLength(1);
    expect(rounds()).toBe(1);

    graph.resetStatements();
    const far = await pathsOf(globalId("Company", "seres"), globalId("Country", "japan"), 6, 1);
    expect(rounds()).toBe(far[0]!.length - 1);

    graph.resetStatements();
    expect(await pathsOf(globalId("Company", "seres"), isolatedId, 6, 3)).toEqual([]);
    expect(rounds()).toBe(1);
  });

  it("extends the side whose frontier has fewer edges to walk, not the one with fewer paths", async () => {
    const around = new Map<number, number[]>();
    for (const edge of edges) {
      around.set(edge.fromId, [...(around.get(edge.fromId) ?? []), edge.toId]);
      around.set(edge.toId, [...(around.get(edge.toId) ?? []), edge.fromId]);
    }
    const degree = (node: number) => around.get(node)?.length ?? 0;
    // The last entities of the simple walks of `depth` edges from `end` that never pass `other`.
    const frontier = (end: number, other: number, depth: number): number[] => {
      let walks = [[end]];
      for (let step = 0; step < depth; step++)
        walks = walks.flatMap((walk) =>
          walk.at(-1) === other
            ? []
            : (around.get(walk.at(-1)!) ?? []).filter((next) => !walk.includes(next)).map((next) => [...walk, next]),
        );
      return walks.map((walk) => walk.at(-1)!).filter((node) => node !== other);
    };
    const edgesOf = (ends: number[]) => ends.reduce((sum, node) => sum + degree(node), 0);
    // A pair three hops apart whose end with fewer first-round paths has neighbours with more edges
    // (a small place next to a hub): extending by paths would walk the hub's edges.
    const ids = [...entityIdByKey.values()].sort((a, b) => a - b);
    const firstFrontier = new Map(ids.map((id) => [id, frontier(id, -1, 1)]));
    const disagree = (from: number, to: number) => {
      const forward = firstFrontier.get(from)!.filter((node) => node !== to);
      const backward = firstFrontier.get(to)!.filter((node) => node !== from);
      const [lead, other] = forward.length <= backward.length ? [forward, backward] : [backward, forward];
      if (!(edgesOf(other) < edgesOf(lead) && edgesOf(lead) < EDGE_COUNT_CAP)) return false;
      return from !== to && !forward.includes(to) && !forward.some((node) => backward.includes(node));
    };
    const start = ids.find((id) => ids.some((other) => disagree(id, other)));
    expect(start, "a pair where paths and edges disagree").toBeDefined();
    const from = start!;
    const to = ids.find((id) => disagree(from, id))!;

    const rounds: RoundRow[] = [];
    const found = await findPaths(from, to, { maxDepth: 3, first: 1 }, async (statement) => {
      const rows = await graph.db.sql.query<RoundRow>(statement, { prepare: true });
      rounds.push(rows[0]!);
      return rows;
    });
    expect(found.map((path) => path.edges)).toEqual(exhaustivePathIds(from, to, 3).slice(0, 1));
    expect(rounds).toHaveLength(2);
    const forwardCheaper = edgesOf(frontier(from, to, 1)) < edgesOf(frontier(to, from, 1));
    expect(rounds[0]).toMatchObject({
      forwardEdges: edgesOf(frontier(from, to, 1)),
      backwardEdges: edgesOf(frontier(to, from, 1)),
    });
    // The second round walked two edges on the cheaper side only.
    expect(rounds[1]).toMatchObject({
      forwardFrontier: frontier(from, to, forwardCheaper ? 2 : 1).length,
      backwardFrontier: frontier(to, from, forwardCheaper ? 1 : 2).length,
    });
  });
});
