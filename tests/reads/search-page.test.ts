// Bounded search (src/reads/search.ts) must answer the page that scoring every alias and description
// answers: the same entities, in the same order, with the same scores. Checked over queries generated
// from the seed graph's own names and descriptions, and over rows made to defeat a way's bound.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EntityKind } from "../../src/generated/prisma/enums.js";
import { compactName, normalizeName } from "../../src/names.js";
import { searchEntities } from "../../src/reads/search.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;

interface Row {
  id: number;
  score: number;
  matched: string;
}

/** The documented ranking, nothing bounded: every matching alias and description scored, best per entity. */
async function reference(text: string, limit: number, offset: number, kinds?: EntityKind[]) {
  const q = normalizeName(text);
  const escaped = q.replace(/[\\%_]/g, "\\$&");
  return graph.db.prisma.$queryRawUnsafe<(Row & { total: number })[]>(
    `WITH q AS (SELECT $1::text AS q, $2::text AS c, $3::text AS e),
     scored AS (
       SELECT a."entityId", a.name AS matched, CASE WHEN a."primary" THEN 'NAME' ELSE 'ALIAS' END AS field,
         GREATEST(
           CASE WHEN a.normalized = q.q THEN 1.0 WHEN a.compact = q.c AND q.c <> '' THEN 0.97
                WHEN a.normalized LIKE q.e || '%' THEN 0.9 WHEN a.normalized LIKE '%' || q.e || '%' THEN 0.8 ELSE 0 END,
           similarity(a.compact, q.c) * 0.9, word_similarity(q.q, a.normalized) * 0.85) AS score
       FROM "Alias" a, q
       WHERE a.normalized LIKE '%' || q.e || '%' OR a.compact % q.c OR q.q <% a.normalized
       UNION ALL
       SELECT e.id, left(e.description, 240), 'DESCRIPTION',
         0.3 + 0.4 * ts_rank(to_tsvector('simple', e.description), plainto_tsquery('simple', q.q))
       FROM "Entity" e, q
       WHERE e.description IS NOT NULL AND to_tsvector('simple', e.description) @@ plainto_tsquery('simple', q.q)),
     best AS (
       SELECT DISTINCT ON ("entityId") s.* FROM scored s JOIN "Entity" k ON k.id = s."entityId"
       WHERE s.score >= 0.3 AND ($4::text[] IS NULL OR k.kind::text = ANY($4::text[]))
       ORDER BY "entityId", score DESC, field = 'NAME' DESC, matched)
     SELECT "entityId" AS id, round(score::numeric, 3)::float8 AS score, matched, count(*) OVER ()::int AS total
     FROM best ORDER BY best.score DESC, "entityId" LIMIT $5 OFFSET $6`,
    q,
    compactName(text),
    escaped,
    kinds ?? null,
    limit,
    offset,
  );
}

async function bounded(text: string, limit: number, offset: number, kinds?: EntityKind[]) {
  const result = await searchEntities(graph.db.sql, text, { kinds, limit, offset }, "index");
  return {
    ...result,
    rows: result.hits.map((hit): Row => ({ id: hit.entity.id, score: hit.score, matched: hit.matched })),
  };
}

async function expectSamePage(text: string, limit: number, offset = 0, kinds?: EntityKind[]) {
  const [want, got] = await Promise.all([reference(text, limit, offset, kinds), bounded(text, limit, offset, kinds)]);
  expect({ text, offset, rows: got.rows }).toEqual({ text, offset, rows: want.map(({ total, ...row }) => row) });
  // The count never claims more than there is, and is exact when it says so.
  const total = want[0]?.total;
  if (total !== undefined) {
    if (got.exact) expect(got.total).toBe(total);
    else expect(got.total).toBeLessThanOrEqual(total);
  }
  return got;
}

async function createEntities(rows: { key: string; name: string; aliases?: string[] }[]) {
  for (const row of rows) {
    await graph.db.prisma.entity.create({
      data: {
        key: row.key,
        kind: "COMPANY",
        name: row.name,
        aliases: {
          create: [row.name, ...(row.aliases ?? [])].map((name, i) => ({
            name,
            normalized: normalizeName(name),
            compact: compactName(name),
            lang: "en",
            primary: i === 0,
          })),
        },
      },
    });
  }
}

// Either form of the statement: with its own ways, or with the index's proposals.
const searchStatements = () => graph.statements.filter((sql) => sql.includes("alias_hits AS (")).length;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  graph = await startTestGraph();
  // The best of several measures: "Ab Ab" is spelt "abab" without its space (0.97), while 150
  // "Ababab" are prefixes (0.9) and, to pg_trgm, exactly as similar to "abab" as "Ab Ab" is (the same
  // trigrams). A typo way that keeps the k most similar, ties in any order, can drop the best match.
  await createEntities(range(150).map((i) => ({ key: `adversary-ababab-${i}`, name: "Ababab" })));
  await createEntities([{ key: "adversary-ab-ab", name: "Ab Ab" }]);
  // Ties at one score are ranked by entity: 400 names with a common prefix, each created after the
  // ones that sort after it, so the prefix index's order is the reverse of the ranking's.
  await createEntities(
    range(400).map((i) => ({ key: `adversary-zzpfx-${i}`, name: `Zzpfx ${String(999 - i).padStart(3, "0")}` })),
  );
  // One entity with 150 aliases that all start with the query: k proposals from one way may be fewer
  // than k entities.
  await createEntities([
    {
      key: "adversary-qqalias-many",
      name: "Qqalias Holding",
      aliases: range(150).map((i) => `Qqalias ${String(i).padStart(3, "0")}`),
    },
  ]);
  await createEntities(range(40).map((i) => ({ key: `adversary-qqalias-${i}`, name: `Qqalias Unit ${i}` })));
}, 120_000);

afterAll(async () => {
  await graph?.close();
});

describe("bounded search answers the page of the unbounded ranking", () => {
  it("keeps the best match when the typo way's ties outnumber its k", async () => {
    const got = await expectSamePage("abab", 5);
    expect(got.rows[0]?.matched).toBe("Ab Ab");
  });

  it("breaks ties by entity, whatever order a way's index reads them in", async () => {
    graph.resetStatements();
    await expectSamePage("zzpfx", 5);
    // Proven from the bounded proposals alone: one search statement.
    expect(searchStatements()).toBe(1);
    await expectSamePage("zzpfx", 10, 40);
    await expectSamePage("Zzpfx 9", 20, 0);
  });

  it("looks further when a way's k proposals hold fewer entities than the page", async () => {
    graph.resetStatements();
    await expectSamePage("qqalias", 20);
    // The prefix way's k aliases are one entity's: not proven, so the unbounded statement follows.
    expect(searchStatements()).toBe(2);
    await expectSamePage("qqalias", 10, 15);
    await expectSamePage("qqalias u", 5);
  });

  it("agrees on queries made from the seed graph's names and descriptions", async () => {
    const aliases = await graph.db.prisma.$queryRawUnsafe<{ name: string; lang: string }[]>(
      `SELECT a.name, a.lang FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId"
       WHERE e.key NOT LIKE 'adversary-%' ORDER BY md5(a.id::text) LIMIT 16`,
    );
    const words = await graph.db.prisma.$queryRawUnsafe<{ word: string }[]>(
      `SELECT word FROM (SELECT DISTINCT w AS word FROM "Entity" e, regexp_split_to_table(lower(e.description), '[^a-z]+') w
       WHERE length(w) > 4) words ORDER BY md5(word) LIMIT 8`,
    );
    const queries = new Set<string>(["district", "city", "a", "ch", "重", "重庆", "市", "VAT refund", "industrial"]);
    for (const { name, lang } of aliases) {
      const chars = [...name];
      queries.add(name);
      if (lang === "zh") {
        queries.add(chars.slice(0, 1).join(""));
        queries.add(chars.slice(1, 3).join(""));
        continue;
      }
      queries.add(chars.slice(0, 1).join("")); // as you type
      queries.add(chars.slice(0, 3).join(""));
      queries.add(chars.slice(0, Math.ceil(chars.length / 2)).join(""));
      const typo = Math.floor(chars.length / 2);
      queries.add([...chars.slice(0, typo), ...chars.slice(typo + 1)].join("")); // a letter left out
      queries.add([...chars.slice(0, typo), chars[typo + 1], chars[typo], ...chars.slice(typo + 2)].join("")); // swapped
      queries.add(chars.slice(2, 5).join("")); // a substring
      const last = name.split(/\s+/).at(-1);
      if (last) queries.add(last); // a word of a longer name
    }
    for (const { word } of words) queries.add(word);
    const texts = [...queries].filter((text) => text.trim());
    expect(texts.length).toBeGreaterThan(80);
    for (const [i, text] of texts.entries()) {
      await expectSamePage(text, 10);
      if (i % 4 === 0) await expectSamePage(text, 5, 20);
    }
    for (const text of texts.slice(0, 12)) await expectSamePage(text, 10, 0, ["CITY", "COMPANY"]);
  }, 300_000);
});
