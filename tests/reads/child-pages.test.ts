// Pages beneath every item of a list, read for all the items at once (src/reads/child-pages.ts): each
// item's pages, forwards and backwards, are its rows in the documented order, the same as asked alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { createCity, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null; startCursor: string | null };
  edges: { node: { id: string } }[];
}

/** Every page of a connection beneath each item of a list, walked three at a time in one direction. */
async function walk(
  document: (page: string) => string,
  pick: (data: any) => { id: string; page: Page }[],
  backward: boolean,
): Promise<Map<string, string[]>> {
  const seen = new Map<string, string[]>();
  const cursors = new Map<string, string | null>();
  for (let round = 0; round < 400; round++) {
    // Every item still walking asks with the same arguments only when their cursors agree, so each
    // round asks for the first (or last) page alone or for one item's next page by its own document.
    const pending = [...cursors.entries()].filter(([, cursor]) => cursor !== null);
    if (round > 0 && !pending.length) break;
    const asks = round === 0 ? [backward ? "last: 3" : "first: 3"] : [];
    for (const [, cursor] of pending)
      asks.push(backward ? `last: 3, before: "${cursor}"` : `first: 3, after: "${cursor}"`);
    for (const ask of asks) {
      const response = await graph.query(document(ask));
      expect(response.errors, ask).toBeUndefined();
      for (const { id, page } of pick(response.data)) {
        if (round > 0 && !ask.includes(String(cursors.get(id)))) continue;
        const keys = page.edges.map((edge) => edge.node.id);
        seen.set(id, backward ? [...keys, ...(seen.get(id) ?? [])] : [...(seen.get(id) ?? []), ...keys]);
        const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
        cursors.set(id, more ? (backward ? page.pageInfo.startCursor : page.pageInfo.endCursor) : null);
      }
    }
  }
  return seen;
}

describe("an indicator's observations beneath the list of indicators", () => {
  const document = (page: string) => /* GraphQL */ `{
    indicators(first: 50) { edges { node { id key observations(${page}) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } }
    } } } } }`;
  const pick = (data: any) =>
    data.indicators.edges.map((edge: any) => ({ id: edge.node.key as string, page: edge.node.observations as Page }));

  it("pages forwards and backwards through every observation, oldest period first", async () => {
    // Seven observations of two indicators, periods out of key order and three sharing a start, split across pages.
    const prisma = graph.db.prisma;
    const chongqing = await prisma.entity.findUniqueOrThrow({ where: { key: "chongqing" } });
    const source = await prisma.source.create({ data: { key: "pager", kind: "REFERENCE", title: "Pager", body: "" } });
    for (const n of [1, 2]) {
      const indicator = await prisma.indicator.create({ data: { key: `pager-${n}`, name: `Pager ${n}`, unit: "%" } });
      for (const [i, year] of [2021, 2019, 2023, 2019, 2020, 2019, 2018].entries())
        await prisma.observation.create({
          data: {
            key: `pager-${n}-${i}`,
            entityId: chongqing.id,
            indicatorId: indicator.id,
            period: String(year),
            periodStart: new Date(`${year}-01-01`),
            periodEnd: new Date(`${year}-12-31`),
            value: i,
            unit: "%",
            sourceId: source.id,
            quote: "",
            certainty: "STATED",
          },
        });
    }
    const indicators = await graph.db.prisma.indicator.findMany({
      include: { observations: { orderBy: [{ periodStart: "asc" }, { id: "asc" }] } },
    });
    const globalId = (key: string) => Buffer.from(`Observation:${key}`).toString("base64");
    const expected = new Map(indicators.map((i) => [i.key, i.observations.map((o) => globalId(o.key))]));
    expect([...expected.values()].some((keys) => keys.length > 3)).toBe(true);
    for (const backward of [false, true]) {
      const seen = await walk(document, pick, backward);
      for (const [key, keys] of expected) expect(seen.get(key) ?? [], `${key}, backward: ${backward}`).toEqual(keys);
    }
    const first = await graph.query(document("first: 1"));
    for (const { id, page } of pick(first.data)) expect(page.totalCount).toBe(expected.get(id)!.length);
  });
});

describe("an entity's history beneath a list of entities", () => {
  it("holds each entity's changes, newest first, those of entities merged into it included", async () => {
    const admin = await graph.token(["graph:write", "graph:admin"], "pager");
    const create = (name: string) => createCity(graph, admin, name);
    const [a, b, c] = [await create("Pager City A"), await create("Pager City B"), await create("Pager City C")];
    await mutate(
      graph,
      admin,
      `mutation($s: ID!, $d: ID!) { mergeEntities(survivor: $s, duplicate: $d) { ${resultFields} } }`,
      { s: a.id, d: c.id },
    );
    for (const backward of [false, true]) {
      const seen = await walk(
        (page) => /* GraphQL */ `{ cities(first: 50, nameContains: "Pager City") { edges { node { key
          history(${page}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } }
        } } } }`,
        (data) =>
          data.cities.edges.map((edge: any) => ({ id: edge.node.key as string, page: edge.node.history as Page })),
        backward,
      );
      expect([...seen.keys()].sort()).toEqual([a.key, b.key].sort());
      for (const [key, merged] of [
        [a.key, [c.key]],
        [b.key, []],
      ] as const) {
        const changes = await graph.db.prisma.change.findMany({
          where: { entityKeys: { hasSome: [key, ...merged] } },
          orderBy: { id: "desc" },
        });
        const ids = changes.map((change) => Buffer.from(`Change:${change.id}`).toString("base64"));
        expect(seen.get(key), `${key}, backward: ${backward}`).toEqual(ids);
      }
    }
    expect(
      (await graph.db.prisma.change.count({ where: { entityKeys: { has: c.key } } })) > 0,
      "the merged entity's own changes are part of the survivor's history",
    ).toBe(true);
  });
});
