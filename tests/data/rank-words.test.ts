// One rule for rank words (src/ranks.ts): a rank is a number only where the source gives one; words
// ("led", "leading", "de facto leadership") stay words. The seed keeps it, and bundles and mutations
// that break it are refused with the rule said.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../src/data/bundle/problems.js";
import { readDefaultBundle } from "../../src/data/geography.js";
import { rankWordsRule } from "../../src/writes/rules.js";
import { importPaths, rowCounts } from "../support/bundle.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { expectRefused, gid, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const tibetQuote = "Tibet led growth on the back of large infrastructure projects";

describe("rank words", () => {
  it("Tibet's 'led' and Hefei's 'leading' are both words: no rank, the words in the note", async () => {
    const { data, errors } = await graph.query(`{
      tibet: entity(name: "Tibet") { rankings { rank note certainty ranking { key } } }
      hefei: entity(name: "Hefei") { rankings { rank note certainty ranking { key } } } }`);
    expect(errors).toBeUndefined();
    const growth = data!.tibet.rankings.find((entry: any) => entry.ranking.key === "provincial-gdp-growth-2025");
    expect(growth).toMatchObject({ rank: null, certainty: "STATED_LOOSELY" });
    expect(growth.note).toMatch(/\bled growth\b/);
    const hub = data!.hefei.rankings.find((entry: any) => entry.ranking.key === "nev-production-hubs-2025");
    expect(hub).toMatchObject({ rank: null, certainty: "STATED_LOOSELY" });
    expect(hub.note).toMatch(/\bleading NEV production hub\b/);
  });

  it("no entry of the seed stated in words carries a rank", async () => {
    const bundle = await readDefaultBundle();
    const entries = (bundle.rankings ?? []).flatMap((ranking) => ranking.entries ?? []);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) if (entry.certainty === "STATED_LOOSELY") expect(entry.rank ?? null).toBeNull();
  });

  it("a bundle giving a rank to words is refused, with the rule, and nothing is written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rank-words-"));
    const file = join(dir, "ranked-words.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({
        type: "rankingEntry",
        ranking: "provincial-gdp-growth-2025",
        entity: "gansu",
        key: "gansu-growth-ranked",
        rank: 2,
        quote: "Gansu expanded through resource-driven industry",
        certainty: "STATED_LOOSELY",
      })}\n`,
    );
    const before = await rowCounts(graph.db.prisma);
    const result = await importPaths(graph.db.prisma, [file]);
    expect(result.written).toBe(false);
    expect(result.problems.map(formatProblem)).toEqual([expect.stringContaining(`rank: ${rankWordsRule}`)]);
    expect(await rowCounts(graph.db.prisma)).toEqual(before);
  });

  it("a mutation giving a rank to words is a ValidationError on input.rank", async () => {
    const token = await graph.token(["graph:write"]);
    const input = {
      ranking: gid("Ranking", "provincial-gdp-growth-2025"),
      entity: gid("Province", "sichuan"),
      rank: 1,
      quote: tibetQuote,
      certainty: "STATED_LOOSELY",
    };
    const refused = await expectRefused(
      graph,
      () =>
        mutate(
          graph,
          token,
          `mutation($input: CreateRankingEntryInput!) { createRankingEntry(input: $input) { ${resultFields} } }`,
          { input },
        ),
      "ValidationError",
      [["input", "rank"]],
    );
    expect(refused.message).toMatch(/only in words/);
  });
});
