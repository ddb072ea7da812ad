// The seed graph loads once: a second run changes nothing, and a broken bundle changes nothing either.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDefaultBundle } from "../../src/data/geography.js";
import { applySeed, readSeedBundle, seedDir } from "../../src/data/seed.js";
import { SeedError } from "../../src/errors.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

async function rowCounts() {
  const p = graph.db.prisma;
  return {
    entities: await p.entity.count(),
    aliases: await p.alias.count(),
    relationships: await p.relationship.count(),
    observations: await p.observation.count(),
    rankingEntries: await p.rankingEntry.count(),
    policyFigures: await p.policyFigure.count(),
    mentions: await p.mention.count(),
    lastUpdate: (await p.entity.aggregate({ _max: { updatedAt: true } }))._max.updatedAt?.toISOString(),
  };
}

function brokenCopy(file: string, edit: (rows: any[]) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "seed-"));
  cpSync(seedDir, dir, { recursive: true });
  const rows = JSON.parse(readFileSync(join(dir, file), "utf8"));
  edit(rows);
  writeFileSync(join(dir, file), JSON.stringify(rows));
  return dir;
}

describe("db:seed", () => {
  it("is idempotent: the second run reports everything unchanged and writes nothing", async () => {
    const before = await rowCounts();
    graph.resetStatements();
    const stats = await applySeed(graph.db.prisma, await readDefaultBundle());
    for (const [table, counts] of Object.entries(stats))
      expect({ table, ...counts }).toMatchObject({ table, created: 0, updated: 0 });
    expect(graph.statements.filter((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql))).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it("rejects a bundle with a dangling reference, naming the row, and changes nothing", async () => {
    const before = await rowCounts();
    const dir = brokenCopy("relationships.json", (rows) => rows.push({ ...rows[0], to: "atlantis" }));
    const error = await readSeedBundle(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).problems.join("\n")).toMatch(
      /relationships\.json\[\d+\]\.to: unknown entity "atlantis"/,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it("rejects a misquoted fact and an unknown enum value", async () => {
    const misquoted = brokenCopy("relationships.json", (rows) => {
      const article = rows.findIndex((row) => row.quote.length > 0);
      rows[article].quote = "a sentence no article contains";
    });
    await expect(readSeedBundle(misquoted)).rejects.toThrow(/quote: not found verbatim/);
    const badKind = brokenCopy("entities.json", (rows) => (rows[0].kind = "PLANET"));
    await expect(readSeedBundle(badKind)).rejects.toThrow(/entities\.json\[0\.kind\]/);
  });

  it("rolls back a write that fails half-way", async () => {
    const before = await rowCounts();
    const bundle = await readSeedBundle();
    // A second entity claiming an existing division code violates a unique index mid-transaction.
    bundle.entities.push({
      ...bundle.entities.find((e) => e.key === "sichuan")!,
      key: "sichuan-twin",
      aliases: [],
      mentions: [],
    });
    bundle.relationTypes.push({
      key: "NEW_TYPE_FROM_FAILED_RUN",
      label: "x",
      inverseLabel: "x",
      description: "",
      symmetric: false,
    });
    await expect(applySeed(graph.db.prisma, bundle)).rejects.toThrow();
    expect(await rowCounts()).toEqual(before);
    expect(await graph.db.prisma.relationType.findUnique({ where: { key: "NEW_TYPE_FROM_FAILED_RUN" } })).toBeNull();
  });
});

describe("reference facts", () => {
  it("cite the division-code table only for divisions it holds; what an article states cites the article", async () => {
    const bundle = await readSeedBundle();
    const sources = new Map((bundle.sources ?? []).map((source) => [source.key, source]));
    const entities = new Map((bundle.entities ?? []).map((entity) => [entity.key, entity]));
    for (const relationship of bundle.relationships ?? []) {
      if (sources.get(relationship.source)?.kind !== "REFERENCE") continue;
      // Every containment the table supports starts at a division it lists.
      expect(entities.get(relationship.from)?.divisionCode, relationship.from).toMatch(/^\d{6}$/);
    }
    const cited = (from: string) => (bundle.relationships ?? []).find((relationship) => relationship.from === from)!;
    for (const [from, source] of [
      ["chongqing-development-and-reform-commission", "cq-auto-subsidy-2023"],
      ["liangjiang-new-area", "cq-ai-action-plan"],
      ["western-chongqing-science-city", "cq-ai-action-plan"],
    ] as const) {
      const relationship = cited(from);
      expect(relationship.source, from).toBe(source);
      expect(sources.get(source)!.body, from).toContain(relationship.quote);
      expect(relationship.quote.length, from).toBeGreaterThan(20);
    }
  });
});

describe("the migration of a database seeded before issue 18", () => {
  it("brings the old seed's readings to the new ones, and leaves a current database as it is", async () => {
    const prisma = graph.db.prisma;
    const file = new URL(
      "../../prisma/migrations/20261207040000_seed_dates_and_citations/migration.sql",
      import.meta.url,
    );
    const statements = readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n")
      .split(/;\s*(?:\n|$)/)
      .map((statement) => statement.trim())
      .filter(Boolean);
    const runMigration = async () => {
      for (const statement of statements) await prisma.$executeRawUnsafe(statement);
    };
    const snapshot = async () => ({
      relationships: await prisma.relationship.findMany({
        orderBy: { key: "asc" },
        select: {
          key: true,
          validFrom: true,
          validFromBound: true,
          sourceId: true,
          quote: true,
          note: true,
          certainty: true,
        },
      }),
      ranks: await prisma.rankingEntry.findMany({ orderBy: { key: "asc" }, select: { key: true, rank: true } }),
    });
    const current = await snapshot();
    await runMigration();
    expect(await snapshot()).toEqual(current);

    // The old seed's rows, as a database seeded before holds them.
    const reference = await prisma.source.findUniqueOrThrow({ where: { key: "ref-admin-divisions" } });
    await prisma.relationship.updateMany({
      where: { key: { startsWith: "VAT_REFUND_PARTNER:chongqing:" }, certainty: "INFERRED" },
      data: { validFromBound: "EXACT" },
    });
    await prisma.relationship.update({
      where: { key: "ISSUED_BY:chongqing-ai-action-plan-2023-2025:chongqing:cq-ai-action-plan" },
      data: { validFrom: new Date("2023-01-01T00:00:00Z"), validFromPrecision: "YEAR" },
    });
    await prisma.rankingEntry.update({ where: { key: "provincial-gdp-growth-2025:tibet" }, data: { rank: 1 } });
    for (const [from, source] of [
      ["chongqing-development-and-reform-commission", "cq-auto-subsidy-2023"],
      ["liangjiang-new-area", "cq-ai-action-plan"],
      ["western-chongqing-science-city", "cq-ai-action-plan"],
    ] as const) {
      const type = from.startsWith("chongqing-") ? "GOVERNMENT_BODY_OF" : "LOCATED_IN";
      await prisma.relationship.update({
        where: { key: `${type}:${from}:chongqing:${source}` },
        data: {
          key: `${type}:${from}:chongqing:ref-admin-divisions`,
          sourceId: reference.id,
          quote: "",
          note: null,
          certainty: "STATED",
        },
      });
    }
    expect(await snapshot()).not.toEqual(current);
    await runMigration();
    expect(await snapshot()).toEqual(current);
  });
});
