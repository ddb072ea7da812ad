// A large import into empty tables builds their secondary indexes and checks their foreign keys
// once, after the rows are in (src/writes/bulk-load.ts). What users must not notice: the same rows,
// history, indexes and constraints as a row-by-row load, bad rows still reported with nothing
// written, a failure after the indexes were dropped still leaving everything as it was, and a
// foreign key that a row breaks still refusing the whole write.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../../src/data/bundle/problems.js";
import { connectedTransaction } from "../../../src/db/transaction.js";
import { deferFrom, noteEmptyTables, withDeferredIndexes } from "../../../src/writes/bulk-load.js";
import { importPaths, rowCounts } from "../../support/bundle.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  // Migrated, not seeded: every table empty.
  graph = await startTestGraph({ seed: false });
});
afterAll(() => graph?.close());

const entities = 200;
const relationships = deferFrom;

/** An NDJSON bundle with `relationships` relationships among `entities` entities, and optional extra lines. */
function bundle(extra: object[] = []): string {
  const lines: object[] = [
    { type: "relationType", key: "LOADS_WITH", label: "loads with", inverseLabel: "loads with", description: "" },
    { type: "source", key: "first-load", kind: "REFERENCE", title: "First load", body: "Generated for a test." },
    { type: "indicator", key: "first-load-size", name: "Size", unit: "t", description: "" },
  ];
  for (let i = 0; i < entities; i++)
    lines.push({
      type: "entity",
      key: `fl-${i}`,
      kind: "COMPANY",
      name: `First Load ${i}`,
      aliases: [{ name: `FL${i}`, lang: "en" }],
    });
  for (let i = 0; i < relationships; i++)
    lines.push({
      type: "relationship",
      key: `fl-r-${i}`,
      relationType: "LOADS_WITH",
      from: `fl-${i % entities}`,
      to: `fl-${(i * 7 + 1) % entities}`,
      source: "first-load",
      quote: "",
      certainty: "INFERRED",
    });
  for (let i = 0; i < entities; i++)
    lines.push({
      type: "observation",
      entity: `fl-${i}`,
      indicator: "first-load-size",
      period: "2025",
      value: i,
      qualifier: "EXACT",
      unit: "t",
      source: "first-load",
      quote: "",
      certainty: "INFERRED",
    });
  lines.push(...extra);
  const file = join(mkdtempSync(join(tmpdir(), "first-load-")), "bundle.ndjson");
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join("\n"));
  return file;
}

/** Every index and constraint of the schema, as PostgreSQL defines them. */
async function schemaShape(): Promise<string[]> {
  const rows = await graph.db.prisma.$queryRawUnsafe<{ line: string }[]>(`
    SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' validated=' || convalidated
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    ORDER BY 1`);
  return rows.map((row) => row.line);
}

const ddl = (statements: string[]) =>
  statements.filter((sql) => /^\s*(DROP INDEX|CREATE INDEX|ALTER TABLE)\b/i.test(sql)).map((sql) => sql.trim());

describe("a first load", () => {
  it("reports a bad row and writes nothing, in empty tables as anywhere", async () => {
    const shape = await schemaShape();
    const result = await importPaths(graph.db.prisma, [
      bundle([
        {
          type: "relationship",
          relationType: "LOADS_WITH",
          from: "fl-1",
          to: "fl-nowhere",
          source: "first-load",
          quote: "",
          certainty: "INFERRED",
        },
      ]),
    ]);
    expect(result.written).toBe(false);
    expect(result.problems.map(formatProblem)).toEqual([expect.stringMatching(/ to: unknown entity "fl-nowhere"/)]);
    expect(Object.values({ ...(await rowCounts(graph.db.prisma)), lastUpdate: 0 })).toEqual(Array(13).fill(0));
    expect(await schemaShape()).toEqual(shape);
  });

  it("leaves the schema's indexes and constraints as they were when a write fails after dropping them", async () => {
    const shape = await schemaShape();
    const failure = new Error("after the indexes were dropped");
    graph.resetStatements();
    await expect(
      connectedTransaction(
        graph.db.prisma,
        async (tx) => {
          await noteEmptyTables(tx, ["Relationship", "Entity", "Source", "RelationType"]);
          await withDeferredIndexes(tx, "Relationship", deferFrom, async () => {
            throw failure;
          });
        },
        { timeout: 60_000, maxWait: 10_000 },
      ),
    ).rejects.toBe(failure);
    // The indexes were dropped (so the rollback is what put them back).
    expect(ddl(graph.statements).some((sql) => sql.startsWith('DROP INDEX "Relationship_'))).toBe(true);
    expect(await schemaShape()).toEqual(shape);
  });

  it("refuses the whole write when a row breaks a foreign key that was dropped during it", async () => {
    const shape = await schemaShape();
    await expect(
      connectedTransaction(
        graph.db.prisma,
        async (tx) => {
          await noteEmptyTables(tx, ["Indicator", "Observation", "Entity", "Source"]);
          await withDeferredIndexes(
            tx,
            "Indicator",
            deferFrom,
            () =>
              tx.$executeRaw`INSERT INTO "Indicator" (key, name, unit, description) VALUES ('fl-lost', 'Lost', 't', '')`,
          );
          await withDeferredIndexes(tx, "Observation", deferFrom, async () => {
            // No entity has id 999999: with the key checked row by row this INSERT would fail here.
            await tx.$executeRaw`
              INSERT INTO "Observation" (key, "entityId", "indicatorId", period, "periodStart", "periodEnd", value, qualifier, unit, "sourceId", quote, certainty)
              SELECT 'fl-orphan', 999999, id, '2025', '2025-01-01', '2025-12-31', 1, 'EXACT', 't', 999999, '', 'INFERRED'
              FROM "Indicator" WHERE key = 'fl-lost'`;
          });
        },
        { timeout: 60_000, maxWait: 10_000 },
      ),
      // PGlite's adapter loses PostgreSQL's message here; that nothing stayed is what counts.
    ).rejects.toThrow();
    expect(await graph.db.prisma.observation.count()).toBe(0);
    expect(await graph.db.prisma.indicator.count()).toBe(0);
    expect(await schemaShape()).toEqual(shape);
  });

  it("loads a large bundle into empty tables with the same rows, history, indexes and constraints", async () => {
    const shape = await schemaShape();
    graph.resetStatements();
    const file = bundle();
    const result = await importPaths(graph.db.prisma, [file], { actor: "first-load" });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.written).toBe(true);
    expect(result.stats.relationships).toMatchObject({ created: relationships, rejected: 0 });
    // Relationships and the history were loaded with their indexes built afterwards; the entities,
    // too few, row by row.
    const statements = ddl(graph.statements);
    expect(statements.filter((sql) => sql.startsWith("DROP INDEX")).map((sql) => sql.split('"')[1])).toEqual([
      "Relationship_fromId_id_idx",
      "Change_at_idx",
    ]);
    expect(statements.some((sql) => /^ALTER TABLE "Relationship" DROP CONSTRAINT/.test(sql))).toBe(true);
    expect(statements.some((sql) => /^ALTER TABLE "Relationship" ADD CONSTRAINT/.test(sql))).toBe(true);
    expect(statements.some((sql) => /^(ALTER TABLE "Entity"|DROP INDEX "Entity_)/.test(sql))).toBe(false);
    expect(await schemaShape()).toEqual(shape);

    // One Change per record created, each with its snapshot, found through the entity's history.
    const total = 1 + entities + relationships + entities;
    expect(result.history!.changes).toBe(total);
    const [counts] = await graph.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Change" WHERE batch = ${result.history!.batch}::uuid AND action = 'CREATE'`;
    expect(counts!.n).toBe(total);
    // Through the API: the rebuilt indexes answer, the history's GIN index among them.
    const { data, errors } = await graph.query(`{
      entity(name: "fl-3") {
        name aliases relationships(first: 100) { totalCount } observations { value }
        history(first: 100) { totalCount edges { node { targetType action } } }
      }
    }`);
    expect(errors).toBeUndefined();
    // fl-3 is the source of every 200th relationship from the 3rd, the target of every 200th from the 86th.
    const related = relationships / entities + relationships / entities;
    expect(data!.entity).toMatchObject({
      name: "First Load 3",
      relationships: { totalCount: related },
      observations: [{ value: 3 }],
      history: { totalCount: 1 + related + 1 },
    });
    expect(data!.entity.aliases).toEqual(expect.arrayContaining(["First Load 3", "FL3"]));
    expect(
      new Set(data!.entity.history.edges.map((edge: any) => `${edge.node.action} ${edge.node.targetType}`)),
    ).toEqual(new Set(["CREATE Relationship", "CREATE Observation"]));

    // Now the tables hold rows: the same bundle again changes nothing and drops no index.
    graph.resetStatements();
    const again = await importPaths(graph.db.prisma, [file]);
    expect(again.history).toEqual({ batch: null, changes: 0 });
    expect(ddl(graph.statements)).toEqual([]);
  });
});
