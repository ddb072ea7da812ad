// Entity lists are read by hand-written SQL whatever their filter: each filter must keep exactly the
// entities the equivalent Prisma filter keeps, and a page of it must follow Prisma's order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { countEntities, entityListWhere, loadEntityPage, type EntityListFilter } from "../../src/reads/entity-pages.js";
import { anyEntity, entityVariants } from "../../src/reads/entity-variants.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
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

describe("entity list filters", () => {
  it.each(cases)(
    "%s: the SQL keeps what Prisma keeps, in Prisma's order, and counts it",
    async (_name, filter, where) => {
      const expected = (
        await graph.db.prisma.entity.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }] })
      ).map((row) => row.key);
      expect(expected.length).toBeGreaterThan(0);
      const sqlWhere = entityListWhere(filter);
      const page = await loadEntityPage(graph.db.sql, {
        where: sqlWhere,
        column: "name",
        descending: false,
        take: 10_000,
      });
      expect(page.map((row) => row.key)).toEqual(expected);
      expect(await countEntities(graph.db.sql, sqlWhere)).toBe(expected.length);
    },
  );
});
