// Migrations apply once, in-process, recorded where `prisma migrate status` looks for them.
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
});
afterAll(() => graph?.close());

it("a second run applies nothing and the ledger names every migration once", async () => {
  const again = await migrate(graph.db);
  expect(again.applied).toEqual([]);
  expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
  const ledger = await graph.db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
    SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
  expect(ledger.map((row) => row.migration_name)).toContain("20261122000000_init");
  expect(ledger.every((row) => row.finished_at !== null)).toBe(true);
  expect(new Set(ledger.map((row) => row.migration_name)).size).toBe(ledger.length);
});

it("with every migration recorded, a start only reads the ledger: two statements, no DDL", async () => {
  graph.resetStatements();
  await migrate(graph.db);
  expect(graph.statements).toHaveLength(2);
  expect(graph.statements.every((sql) => /^\s*SELECT\b/i.test(sql))).toBe(true);
});
