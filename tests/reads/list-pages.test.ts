// Root lists are read by hand-written SQL whatever their filter: each filter must keep exactly the
// rows the equivalent Prisma filter keeps, in Prisma's order, and pages of it, forwards and
// backwards from any cursor, must put the whole list together again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../src/generated/prisma/client.js";
import {
  countList,
  entityListWhere,
  indicatorList,
  type ListQuery,
  loadListPage,
  rankingList,
  sourceList,
  type EntityListFilter,
} from "../../src/reads/list-pages.js";
import { anyEntity, entityVariants } from "../../src/reads/entity-variants.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
  // The seed's sources give no publication day: dated ones, two on one day, beside them.
  for (const [key, day] of [
    ["list-pages-a", "2024-05-01"],
    ["list-pages-b", "2025-01-31"],
    ["list-pages-c", "2024-05-01"],
  ] as const) {
    await graph.db.prisma.source.create({
      data: { key, kind: "REFERENCE", title: key, body: "", publishedOn: new Date(`${day}T00:00:00Z`) },
    });
  }
});
afterAll(async () => {
  await graph?.close();
});

// The same filters as Prisma where-clauses: an oracle written independently of the SQL.
const named = (text: string): Prisma.EntityWhereInput => ({
  OR: [
    { name: { contains: text, mode: "insensitive" } },
    { nameZh: { contains: text } },
    { aliases: { some: { normalized: { contains: text.toLowerCase() } } } },
  ],
});
const provincial: Prisma.EntityWhereInput = { OR: [{ kind: "PROVINCE" }, { kind: "CITY", adminLevel: "PROVINCIAL" }] };

const cases: [string, EntityListFilter, Prisma.EntityWhereInput][] = [
  ["every entity", { variant: anyEntity }, {}],
  ["kinds", { variant: anyEntity, kinds: ["COMPANY", "BRAND"] }, { kind: { in: ["COMPANY", "BRAND"] } }],
  ["name, any case", { variant: anyEntity, nameContains: "CHONG" }, named("chong")],
  ["Chinese name", { variant: anyEntity, nameContains: "重庆" }, named("重庆")],
  ["provinces by name", { variant: entityVariants.Province, nameContains: "an" }, { AND: [provincial, named("an")] }],
  [
    "cities of a province, by alias",
    { variant: entityVariants.City, province: "四川" },
    {
      kind: "CITY",
      outgoing: { some: { typeKey: "LOCATED_IN", to: { aliases: { some: { normalized: "四川" } } } } },
    },
  ],
  [
    "policies by type",
    { variant: entityVariants.Policy, policyType: "SUBSIDY" },
    { kind: "POLICY", policy: { policyType: "SUBSIDY" } },
  ],
  [
    "companies by name",
    { variant: entityVariants.Company, nameContains: "seres" },
    { kind: "COMPANY", ...named("seres") },
  ],
];

/** The whole list read a page at a time, forwards then backwards, with pages of `size`. */
async function pagedThrough(list: ListQuery, size: number): Promise<{ forwards: string[]; backwards: string[] }> {
  const keyOf = (row: { key: string }) => row.key;
  const forwards: { id: number; key: string }[] = [];
  for (;;) {
    const page = await loadListPage<{ id: number; key: string }>(graph.db.sql, list, {
      cursorId: forwards.at(-1)?.id,
      take: size,
    });
    forwards.push(...page);
    if (page.length < size) break;
  }
  const backwards: { id: number; key: string }[] = [];
  for (;;) {
    const page = await loadListPage<{ id: number; key: string }>(graph.db.sql, list, {
      cursorId: backwards[0]?.id ?? undefined,
      take: -size,
    });
    if (backwards.length === 0 && page.length === 0) break;
    backwards.unshift(...page);
    if (page.length < size) break;
  }
  return { forwards: forwards.map(keyOf), backwards: backwards.map(keyOf) };
}

describe("entity list filters", () => {
  it.each(cases)(
    "%s: the SQL keeps what Prisma keeps, in Prisma's order, and counts it",
    async (_name, filter, where) => {
      const expected = (
        await graph.db.prisma.entity.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }] })
      ).map((row) => row.key);
      expect(expected.length).toBeGreaterThan(0);
      const list: ListQuery = { table: "Entity", where: entityListWhere(filter), column: "name", descending: false };
      const page = await loadListPage<{ key: string }>(graph.db.sql, list, { take: 10_000 });
      expect(page.map((row) => row.key)).toEqual(expected);
      expect(await countList(graph.db.sql, list)).toBe(expected.length);
    },
  );
});

describe("the other root lists", () => {
  const lists: [string, ListQuery, () => Promise<{ key: string }[]>][] = [
    ["every ranking", rankingList(null), () => graph.db.prisma.ranking.findMany({ orderBy: { id: "asc" } })],
    [
      "rankings of a topic",
      rankingList("auto"),
      () => graph.db.prisma.ranking.findMany({ where: { topic: "auto" }, orderBy: { id: "asc" } }),
    ],
    [
      "every indicator",
      indicatorList(null),
      () => graph.db.prisma.indicator.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] }),
    ],
    [
      "indicators by part of their name, any case",
      indicatorList("GROWTH"),
      () =>
        graph.db.prisma.indicator.findMany({
          where: { OR: [{ name: { contains: "GROWTH", mode: "insensitive" } }, { key: { contains: "growth" } }] },
          orderBy: [{ name: "asc" }, { id: "asc" }],
        }),
    ],
    [
      "sources, newest first, the undated last",
      sourceList(),
      () =>
        graph.db.prisma.source.findMany({ orderBy: [{ publishedOn: { sort: "desc", nulls: "last" } }, { id: "asc" }] }),
    ],
  ];

  it.each(lists)(
    "%s: the SQL keeps what Prisma keeps, in Prisma's order, and counts it",
    async (_name, list, prisma) => {
      const expected = (await prisma()).map((row) => row.key);
      expect(expected.length).toBeGreaterThan(1);
      const rows = await loadListPage<{ key: string }>(graph.db.sql, list, { take: 10_000 });
      expect(rows.map((row) => row.key)).toEqual(expected);
      expect(await countList(graph.db.sql, list)).toBe(expected.length);
    },
  );

  it.each([1, 2, 3])("pages of %i put each list together again, forwards and backwards", async (size) => {
    for (const [, list, prisma] of lists) {
      const expected = (await prisma()).map((row) => row.key);
      const { forwards, backwards } = await pagedThrough(list, size);
      expect(forwards).toEqual(expected);
      expect(backwards).toEqual(expected);
    }
  });

  it("pages through an entity list in every order, both ways", async () => {
    for (const column of ["name", "key", "id"] as const) {
      for (const descending of [false, true]) {
        const list: ListQuery = { table: "Entity", where: entityListWhere(cases[4]![1]), column, descending };
        const expected = (
          await graph.db.prisma.entity.findMany({
            where: cases[4]![2],
            orderBy: [{ [column]: descending ? "desc" : "asc" }, { id: "asc" }],
          })
        ).map((row) => row.key);
        const { forwards, backwards } = await pagedThrough(list, 2);
        expect(forwards).toEqual(expected);
        expect(backwards).toEqual(expected);
      }
    }
  });
});
