// The search statement's filters each match an index (src/reads/search.ts). On the seed graph a scan is
// cheaper than any index, so scans are turned off for the plan: an index that still goes unused
// cannot serve the statement's expression, and every search would read the whole table on a large graph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactName, normalizeName } from "../../src/names.js";
import { searchStatement } from "../../src/reads/search.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

async function planOf(text: string): Promise<string> {
  const statement = searchStatement(text, { limit: 10, offset: 0 });
  const rows = await graph.db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    // Nor a full walk of the primary key, its stand-in for a scan on a table this small.
    await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
    return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${statement.text}`, ...statement.values);
  });
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("search statement", () => {
  it("finds descriptions through the full-text index, never by scanning every entity", async () => {
    const plan = await planOf("industrial transformation");
    expect(plan).toContain("Entity_description_fts_idx");
    expect(plan).not.toMatch(/Seq Scan on "Entity"/);
  });

  it("finds names and aliases through the trigram indexes", async () => {
    const plan = await planOf("Chongqing");
    expect(plan).toContain("Alias_normalized_trgm_idx");
    expect(plan).toContain("Alias_compact_trgm_idx");
    expect(plan).not.toMatch(/Seq Scan on "Alias"/);
  });

  it("finds one or two Chinese characters through the grams index, never by walking the aliases", async () => {
    const plan = await planOf("重庆");
    expect(plan).toContain("Alias_grams_idx");
    expect(plan).not.toMatch(/Seq Scan on "Alias"/);
  });

  it("the grams index finds exactly the aliases that contain a short query", async () => {
    // Every short query that can reach the index: each one- and two-character piece of a name that is not plain ASCII.
    const pieces = await graph.db.prisma.$queryRawUnsafe<{ q: string }[]>(
      `SELECT DISTINCT substr(a.normalized, i, n) AS q FROM "Alias" a, generate_series(1, 2) n,
         generate_series(1, length(a.normalized) - n + 1) i
       WHERE a.lang = 'zh' AND substr(a.normalized, i, n) ~ '[^\\x01-\\x7f]' ORDER BY q LIMIT 120`,
    );
    expect(pieces.length).toBeGreaterThan(100);
    const [disagreeing] = await graph.db.prisma.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM unnest($1::text[]) q
       WHERE (SELECT array_agg(id ORDER BY id) FROM "Alias" WHERE search_grams(normalized) @> ARRAY[q])
         IS DISTINCT FROM (SELECT array_agg(id ORDER BY id) FROM "Alias" WHERE strpos(normalized, q) > 0)`,
      pieces.map((piece) => piece.q),
    );
    expect(disagreeing!.count).toBe(0);
  });

  it("the words found in a description are what the index finds", async () => {
    const response = await graph.query(
      `{ search(query: "industrial transformation", first: 20) { edges { node { matchedField entity { name } } } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.search.edges.some((edge: any) => edge.node.matchedField === "DESCRIPTION")).toBe(true);
  });
});

// What the bounded statement must agree with: every alias and description scored, nothing skipped.
async function exhaustiveCount(text: string): Promise<number> {
  const [row] = await graph.db.prisma.$queryRawUnsafe<{ total: number }[]>(
    `WITH q AS (SELECT $1::text AS q, $2::text AS c),
     scored AS (
       SELECT a."entityId", GREATEST(
         CASE WHEN a.normalized = q.q THEN 1.0 WHEN a.compact = q.c AND q.c <> '' THEN 0.97
              WHEN a.normalized LIKE q.q || '%' THEN 0.9 WHEN a.normalized LIKE '%' || q.q || '%' THEN 0.8 ELSE 0 END,
         similarity(a.compact, q.c) * 0.9, word_similarity(q.q, a.normalized) * 0.85) AS score
       FROM "Alias" a, q
       WHERE a.normalized LIKE '%' || q.q || '%' OR a.compact % q.c OR q.q <% a.normalized
       UNION ALL
       SELECT e.id, 0.3 + 0.4 * ts_rank(to_tsvector('simple', e.description), plainto_tsquery('simple', q.q))
       FROM "Entity" e, q WHERE to_tsvector('simple', e.description) @@ plainto_tsquery('simple', q.q))
     SELECT count(DISTINCT "entityId")::int AS total FROM scored WHERE score >= 0.3`,
    normalizeName(text),
    compactName(text),
  );
  return row!.total;
}

describe("search's count", () => {
  it.each(["chongqing", "Chongquing", "seres", "重庆", "重", "VAT refund"])(
    "is exact for %s, as counted by scoring every alias and description",
    async (text) => {
      const response = await graph.query(
        `query($q: String!) { search(query: $q, first: 5) { totalCount totalCountExact } }`,
        {
          q: text,
        },
      );
      expect(response.data!.search).toEqual({ totalCount: await exhaustiveCount(text), totalCountExact: true });
    },
  );

  it("says when it stopped counting: a query matching hundreds counts at least 100 and says it is not exact", async () => {
    const response = await graph.query(`{ search(query: "district", first: 5) { totalCount totalCountExact } }`);
    expect(await exhaustiveCount("district")).toBeGreaterThan(100);
    expect(response.data!.search.totalCountExact).toBe(false);
    expect(response.data!.search.totalCount).toBeGreaterThanOrEqual(100);
  });

  it("proposes a bounded number of candidates per way, each through its index", async () => {
    const plan = await planOf("Chongquing");
    expect(plan).toMatch(/Index Cond: \(compact % 'chongquing'::text\)/);
    expect(plan).toMatch(/Index Cond: \(normalized %> 'chongquing'::text\)/);
    expect(plan).toMatch(
      /Index Cond: \(\(normalized ~>=~ 'chongquing'::text\) AND \(normalized ~<~ 'chongquinh'::text\)\)/,
    );
    // Every way ends in LIMIT k: what the statement scores does not grow with the graph.
    expect(plan.match(/-> {2}Limit/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
