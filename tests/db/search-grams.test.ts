// search_grams, the expression of "Alias_grams_idx", is PL/pgSQL since 20261207160000: the SQL
// function before it, not inlinable, cost about 2 s of a first start building the index over the
// seed's aliases (docs/performance.md, "Memory and start-up"). The grams must be the ones the SQL
// definition gave, or the index would answer short searches differently (tests/reads/search.test.ts
// checks the index against strpos on the seed).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
});
afterAll(() => graph?.close());

// The first definition (prisma/migrations/20261207090000_search_short_substrings), as it was.
const original = String.raw`
  SELECT CASE WHEN t ~ '[^\x01-\x7f]' THEN (
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
      SELECT substr(t, i, n) AS g FROM generate_series(1, 2) n, generate_series(1, length(t) - n + 1) i
    ) grams WHERE g ~ '[^\x01-\x7f]'
  ) ELSE '{}' END`;

const texts = [
  "",
  "a",
  "ab",
  "chongqing",
  "重",
  "重庆",
  "重庆重庆",
  "中华人民共和国",
  "a重b",
  "ab 庆 cd 庆",
  "é",
  "café crème",
  "渝 a",
  "ß",
];

it("is PL/pgSQL, whose plans PostgreSQL keeps between calls", async () => {
  const [row] = await graph.db.prisma.$queryRawUnsafe<{ language: string }[]>(
    `SELECT l.lanname::text AS language FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'search_grams'`,
  );
  expect(row!.language).toBe("plpgsql");
});

it("gives the same grams as the SQL definition did, for every text", async () => {
  const rows = await graph.db.prisma.$queryRawUnsafe<{ t: string; now: string[]; before: string[] }[]>(
    `SELECT t, (SELECT array_agg(g ORDER BY g) FROM unnest(search_grams(t)) g) AS now,
            (SELECT array_agg(g ORDER BY g) FROM unnest((${original})) g) AS before
     FROM unnest($1::text[]) t`,
    texts,
  );
  expect(rows).toHaveLength(texts.length);
  for (const row of rows) expect(row.now, row.t).toEqual(row.before);
  // Each gram once, as the index's keys are.
  const [repeats] = await graph.db.prisma.$queryRawUnsafe<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM unnest($1::text[]) t
     WHERE cardinality(search_grams(t)) <> (SELECT count(DISTINCT g) FROM unnest(search_grams(t)) g)`,
    texts,
  );
  expect(repeats!.count).toBe(0);
});
