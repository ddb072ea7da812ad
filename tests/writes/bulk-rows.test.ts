// The bulk writer sends rows through COPY (src/writes/bulk-rows.ts, src/db/transaction.ts), on PGlite and
// on PostgreSQL: text COPY would misread (tabs, line breaks, backslashes, a literal \N) arrives as
// sent, whether the rows go straight into their table or through a staging table; the COPY runs in
// the bulk transaction, so a failure later in it leaves nothing; and outside one it refuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedTransaction } from "../../src/db/transaction.js";
import { copyRows, insertRows, selectByKeys, updateRows } from "../../src/writes/bulk-rows.js";
import { bulkTable } from "../../src/writes/rows.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const awkward = [
  "tab\there",
  "two\nlines\r\nand a carriage return",
  "back\\slash \\N \\t not escapes",
  '"quoted", {braced}, comma',
  "\\N",
  "重庆 — 两江新区",
  "",
];

// No id to return: COPY straight into the table.
const relationTypes = bulkTable("RelationType", {
  key: "key",
  hasId: false,
  columns: ["label", "inverseLabel", "description", "symmetric"],
});
// Ids to return: COPY into a staging table, then INSERT ... SELECT ... RETURNING.
const indicators = bulkTable("Indicator", {
  key: "key",
  hasId: true,
  columns: ["name", "nameZh", "unit", "description"],
});

const transaction = { timeout: 60_000, maxWait: 10_000 };

describe("bulk rows through COPY", () => {
  it("stores text that COPY's format escapes exactly as sent, straight or staged, and updates it", async () => {
    const rows = awkward.map((text, i) => ({
      key: `BULK_COPY_${i}`,
      values: { label: text, inverseLabel: `${text}!`, description: text, symmetric: i % 2 === 0 },
    }));
    const measured = awkward.map((text, i) => ({
      key: `bulk-copy-${i}`,
      values: { name: `${text} ${i}`, nameZh: i === 0 ? null : text, unit: "t", description: text },
    }));
    const ids = await connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        await insertRows(tx, relationTypes, rows);
        return insertRows(tx, indicators, measured);
      },
      transaction,
    );
    expect([...ids.keys()].sort()).toEqual(measured.map((row) => row.key).sort());

    const stored = await graph.db.prisma.relationType.findMany({
      where: { key: { startsWith: "BULK_COPY_" } },
      orderBy: { key: "asc" },
    });
    expect(stored.map(({ key, ...values }) => ({ key, values }))).toEqual(rows);
    const storedIndicators = await graph.db.prisma.indicator.findMany({
      where: { key: { startsWith: "bulk-copy-" } },
      select: { id: true, key: true, name: true, nameZh: true, unit: true, description: true },
    });
    for (const { id, key, ...values } of storedIndicators) {
      expect(ids.get(key)).toBe(id);
      expect(values).toEqual(measured.find((row) => row.key === key)!.values);
    }

    // Updates go through the staging table, twice in one transaction (created once, emptied between).
    await connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        await updateRows(
          tx,
          relationTypes,
          rows.slice(0, 3).map((row) => ({ key: row.key, values: { ...row.values, label: "first" } })),
        );
        await updateRows(
          tx,
          relationTypes,
          rows.slice(0, 2).map((row) => ({ key: row.key, values: { ...row.values, label: "second\tpass" } })),
        );
        const read = await selectByKeys(
          tx,
          relationTypes,
          rows.map((row) => row.key),
        );
        expect(rows.map((row) => read.get(row.key)!.values.label)).toEqual([
          "second\tpass",
          "second\tpass",
          "first",
          ...awkward.slice(3),
        ]);
      },
      transaction,
    );
  });

  it("writes nothing when the transaction fails after the COPY", async () => {
    const failure = new Error("after the copy");
    await expect(
      connectedTransaction(
        graph.db.prisma,
        async (tx) => {
          await insertRows(tx, relationTypes, [
            { key: "BULK_COPY_ROLLED_BACK", values: { label: "a", inverseLabel: "b", description: "c" } },
          ]);
          await insertRows(tx, indicators, [
            { key: "bulk-copy-rolled-back", values: { name: "Rolled back", unit: "t", description: "" } },
          ]);
          throw failure;
        },
        transaction,
      ),
    ).rejects.toBe(failure);
    expect(await graph.db.prisma.relationType.count({ where: { key: "BULK_COPY_ROLLED_BACK" } })).toBe(0);
    expect(await graph.db.prisma.indicator.count({ where: { key: "bulk-copy-rolled-back" } })).toBe(0);
  });

  it("copies rows given in batches as one COPY, in order, and fails whole on a bad row in a later batch", async () => {
    const row = (i: number) => ({
      key: `BULK_STREAM_${String(i).padStart(4, "0")}`,
      values: { label: `label\t${i}`, inverseLabel: "inverse", description: i % 2 ? "odd" : "even", symmetric: false },
    });
    const batches = [[row(0), row(1)], [], [row(2), row(3), row(4)]];
    graph.resetStatements();
    const told: number[] = [];
    await connectedTransaction(
      graph.db.prisma,
      (tx) => copyRows(tx, relationTypes, batches, (n) => told.push(n)),
      transaction,
    );
    expect(told).toEqual([2, 3]);
    expect(graph.statements.filter((sql) => /^\s*(INSERT|COPY)\b/i.test(sql))).toHaveLength(1);
    const stored = await graph.db.prisma.relationType.findMany({
      where: { key: { startsWith: "BULK_STREAM_" } },
      orderBy: { key: "asc" },
      select: { key: true, label: true, description: true },
    });
    expect(stored).toEqual(
      batches.flat().map((r) => ({ key: r.key, label: r.values.label, description: r.values.description })),
    );

    // A key stored already, in the last of many batches: the COPY fails, and nothing of it stays.
    const many = Array.from({ length: 40 }, (_, b) => Array.from({ length: 500 }, (_, i) => row(1000 + b * 500 + i)));
    many.at(-1)!.push(row(3));
    await expect(
      connectedTransaction(graph.db.prisma, (tx) => copyRows(tx, relationTypes, many), transaction),
    ).rejects.toThrow();
    expect(await graph.db.prisma.relationType.count({ where: { key: { startsWith: "BULK_STREAM_" } } })).toBe(5);
    // The connection is sound after the failed COPY.
    await connectedTransaction(graph.db.prisma, (tx) => copyRows(tx, relationTypes, [[row(5)]]), transaction);
    expect(await graph.db.prisma.relationType.count({ where: { key: { startsWith: "BULK_STREAM_" } } })).toBe(6);
  });

  it("refuses to write in a transaction that is not a bulk transaction", async () => {
    await expect(
      graph.db.prisma.$transaction((tx) =>
        insertRows(tx, relationTypes, [
          { key: "BULK_COPY_REFUSED", values: { label: "a", inverseLabel: "b", description: "c" } },
        ]),
      ),
    ).rejects.toThrow(/connectedTransaction/);
  });

  it("sends a COPY and one merge per batch, never a statement per row", async () => {
    graph.resetStatements();
    await connectedTransaction(
      graph.db.prisma,
      (tx) =>
        insertRows(
          tx,
          indicators,
          Array.from({ length: 500 }, (_, i) => ({
            key: `bulk-copy-many-${i}`,
            values: { name: `Many ${i}`, unit: "t", description: "" },
          })),
        ),
      transaction,
    );
    const writes = graph.statements.filter((sql) => /^\s*(INSERT|COPY)\b/i.test(sql));
    expect(writes.map((sql) => sql.trim().split(/\s+/)[0]!.toUpperCase())).toEqual(["COPY", "INSERT"]);
  });
});
