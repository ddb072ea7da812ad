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
