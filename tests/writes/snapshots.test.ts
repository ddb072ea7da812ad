// A record's snapshot has one definition, built in SQL (src/writes/records/*.ts): `readMany` parses
// it, and a bulk write's history inserts it without the rows leaving the database. What must hold:
// what a write creates reads back as the snapshot it was given (names in the same order, so a write
// that changes nothing records nothing), and an import's history holds exactly what `read` reads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observationRecord } from "../../src/writes/records/observation.js";
import { policyFigureRecord } from "../../src/writes/records/policy-figure.js";
import { rankingEntryRecord, rankingRecord } from "../../src/writes/records/ranking.js";
import { relationshipRecord } from "../../src/writes/records/relationship.js";
import { sourceRecord } from "../../src/writes/records/source.js";
import { entityRecord, sortAliases, withPrimaryNames, type EntitySnapshot } from "../../src/writes/records/entity.js";
import type { RecordKind, Snapshot } from "../../src/writes/record.js";
import { fixture, importPaths } from "../support/bundle.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

// U+E000 (private use) and U+20000 (CJK Extension B, beyond U+FFFF): UTF-16 code units put the
// second first, code points (and PostgreSQL's COLLATE "C") the first.
const privateUse = "a\uE000";
const beyondBmp = "a\u{20000}";

describe("snapshots built in SQL", () => {
  it("sorts names by code point, as PostgreSQL's C collation does", () => {
    const aliases = sortAliases([
      { name: beyondBmp, lang: "en", primary: false },
      { name: privateUse, lang: "en", primary: false },
      { name: "a", lang: "en", primary: false },
    ]);
    expect(aliases.map((alias) => alias.name)).toEqual(["a", privateUse, beyondBmp]);
  });

  it("reads an entity back as the snapshot it was created from, names and mentions in order", async () => {
    const [cited] = await graph.db.prisma.$queryRaw<{ key: string }[]>`
      SELECT key FROM "Source" WHERE kind <> 'ARTICLE' ORDER BY key LIMIT 2`;
    const base: EntitySnapshot = {
      key: "snapshot-order-co",
      kind: "COMPANY",
      name: "Snapshot Order Co",
      nameZh: "快照",
      description: null,
      adminLevel: null,
      divisionType: null,
      divisionCode: null,
      properties: { founded: 2001, tags: ["a", "b"] },
      aliases: [
        { name: beyondBmp, lang: "en", primary: false },
        { name: privateUse, lang: "en", primary: false },
        { name: "SOC", lang: "en", primary: false },
      ],
      mentions: [
        { source: cited!.key, quote: "b" },
        { source: cited!.key, quote: beyondBmp },
        { source: cited!.key, quote: privateUse },
      ],
      policy: null,
      location: { lat: 29.563, lon: 106.5516, source: cited!.key, quote: "Where it stands." },
    };
    const snapshot = { ...base, aliases: withPrimaryNames(base) };
    // Created and read in a transaction that is then rolled back: the seed graph stays as it was.
    const rolledBack = new Error("rolled back");
    let read: EntitySnapshot | null = null;
    await expect(
      graph.db.prisma.$transaction(async (tx) => {
        await entityRecord.create(tx, snapshot);
        read = await entityRecord.read(tx, snapshot.key);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    const stored = read as EntitySnapshot | null;
    expect(stored?.aliases).toEqual(snapshot.aliases);
    expect(stored?.mentions.map((mention) => mention.quote)).toEqual([privateUse, beyondBmp, "b"]);
    expect(stored).toEqual({ ...snapshot, mentions: stored?.mentions });
  });

  it("records an import's new records, of every kind, with the snapshots read reads", async () => {
    const lines = [
      { type: "source", key: "snapshot-ref", kind: "REFERENCE", title: "Snapshot", publishedOn: "2024-05", body: "x" },
      {
        type: "entity",
        key: "snapshot-import-co",
        kind: "COMPANY",
        name: "Snapshot Import Co",
        nameZh: "快照进口",
        aliases: [
          { name: beyondBmp, lang: "en" },
          { name: privateUse, lang: "en" },
        ],
        mentions: [{ source: "snapshot-ref", quote: "x" }],
        location: { lat: 30.5, lon: 114.25, source: "snapshot-ref", quote: "x" },
        properties: { size: 3 },
      },
      {
        type: "entity",
        key: "snapshot-import-policy",
        kind: "POLICY",
        name: "Snapshot Import Policy",
        policy: { policyType: "ACTION_PLAN", startsOn: "2025", endsOn: "2030-06-30" },
      },
      {
        type: "policyFigure",
        policy: "snapshot-import-policy",
        label: "Target range",
        kind: "TARGET",
        value: 2.5e-7,
        valueMax: 0.1,
        qualifier: "RANGE",
        unit: "t",
        dueBy: "2027-03",
        source: "snapshot-ref",
        quote: "x",
        certainty: "STATED",
      },
      {
        type: "ranking",
        key: "snapshot-ranking",
        name: "Snapshot ranking",
        topic: "auto",
        period: "2025-H1",
        source: "snapshot-ref",
        quote: "x",
        entries: [
          { entity: "snapshot-import-co", rank: 2, value: 1234.5678, unit: "t", quote: "x", certainty: "STATED" },
        ],
      },
    ];
    const file = join(mkdtempSync(join(tmpdir(), "snapshots-")), "bundle.ndjson");
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join("\n"));
    // With the fixture bundle: relationships, observations, a scoped ranking and its entries too.
    const result = await importPaths(graph.db.prisma, [file, fixture("ndjson")], { actor: "snapshots" });
    expect(result.problems).toEqual([]);
    const changes = await graph.db.prisma.$queryRaw<
      { targetType: string; targetKey: string; after: Snapshot; entityKeys: string[] }[]
    >`SELECT "targetType", "targetKey", after, "entityKeys" FROM "Change" WHERE batch = ${result.history!.batch}::uuid ORDER BY id`;
    // Kinds in the order records depend on each other: a revert goes newest first.
    const order = ["Source", "Entity", "Ranking", "Relationship", "Observation", "RankingEntry", "PolicyFigure"];
    const types = changes.map((change) => change.targetType);
    expect(types.filter((type, i) => type !== types[i - 1])).toEqual(order);
    expect(changes.map((change) => change.targetKey)).toEqual(
      expect.arrayContaining(["snapshot-ref", "snapshot-import-co", "snapshot-import-policy", "snapshot-ranking"]),
    );
    const kinds: Record<string, RecordKind<Snapshot>> = Object.fromEntries(
      [
        sourceRecord,
        entityRecord,
        rankingRecord,
        relationshipRecord,
        observationRecord,
        rankingEntryRecord,
        policyFigureRecord,
      ].map((kind) => [kind.type, kind as unknown as RecordKind<Snapshot>]),
    );
    for (const change of changes) {
      const kind = kinds[change.targetType]!;
      const read = await kind.read(graph.db.prisma as never, change.targetKey);
      expect(change.after, change.targetKey).toEqual(read);
      expect(change.entityKeys).toEqual(kind.entityKeys(read!));
    }
    // Numbers and partial dates as the bundle gave them.
    const figure = changes.find(
      (change) => change.targetType === "PolicyFigure" && change.entityKeys[0] === "snapshot-import-policy",
    );
    expect(figure?.after).toMatchObject({ value: 2.5e-7, valueMax: 0.1, dueBy: "2027-03", qualifier: "RANGE" });
    const entry = changes.find(
      (change) => change.targetType === "RankingEntry" && change.entityKeys[0] === "snapshot-import-co",
    );
    expect(entry?.after).toMatchObject({
      ranking: "snapshot-ranking",
      rank: 2,
      value: 1234.5678,
      source: "snapshot-ref",
    });
    expect(changes.find((change) => change.targetKey === "snapshot-ref")?.after).toMatchObject({
      publishedOn: "2024-05",
    });
    const company = changes.find((change) => change.targetKey === "snapshot-import-co")!.after as EntitySnapshot;
    expect(company.aliases.map((alias) => alias.name)).toEqual([
      privateUse,
      beyondBmp,
      "Snapshot Import Co",
      "快照进口",
    ]);
  });
});
