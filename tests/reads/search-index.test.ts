// The per-replica search index (src/reads/search-index.ts) changes how search finds candidates, never
// what it answers: pg_trgm's measures computed in the index equal PostgreSQL's; a page found with the
// index equals the page of the statement that finds its own candidates, on the seed graph and on a
// generated one; and a write through any writer is seen by the very next search, on every instance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import type { Prisma } from "../../src/generated/prisma/client.js";
import type { EntityKind } from "../../src/generated/prisma/enums.js";
import { generateGraph } from "../../src/data/generate/generate.js";
import { normalizeName } from "../../src/names.js";
import { exactTotalUpTo, searchEntities, searchStatement } from "../../src/reads/search.js";
import { readCharClasses, SearchIndex } from "../../src/reads/search-index.js";
import {
  type CharClasses,
  similarity,
  trigramSequence,
  trigramSet,
  unknownChars,
  wordSimilarity,
} from "../../src/reads/trigrams.js";
import type { QueryOptions, SqlReader } from "../../src/db/sql-reader.js";
import { importPaths, fixture } from "../support/bundle.js";
import { startTestGraph, testDatabaseUrl, type TestGraph } from "../support/graph.js";
import { createCity, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
let admin: string;

beforeAll(async () => {
  graph = await startTestGraph({ server: { searchIndex: true } });
  admin = await graph.token(["graph:write", "graph:admin"], "search-index");
}, 120_000);
afterAll(async () => {
  await graph?.close();
});

const indexedStatements = () =>
  graph.statements.filter((sql) => sql.includes("AS w(way, proposals, entities, filled)")).length;

/** Queries made from the graph's own names: whole names, prefixes, typos, substrings, Chinese characters, words. */
async function queriesFrom(where: string, count: number): Promise<string[]> {
  const aliases = await graph.db.prisma.$queryRawUnsafe<{ name: string; lang: string }[]>(
    `SELECT a.name, a.lang FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId" WHERE ${where}
     ORDER BY md5(a.id::text) LIMIT ${count}`,
  );
  const queries = new Set<string>([
    "district",
    "city",
    "a",
    "ch",
    "重",
    "重庆",
    "市",
    "VAT refund",
    "ng",
    "Chong qing",
    // Substrings with no three word characters in a row: candidates from no trigram's list.
    "g q",
    "y d",
    "i'a",
    "重 庆",
  ]);
  for (const { name, lang } of aliases) {
    const chars = [...name];
    queries.add(name);
    if (lang === "zh") {
      queries.add(chars.slice(0, 1).join(""));
      queries.add(chars.slice(1, 3).join(""));
      queries.add(chars.slice(0, -1).join(""));
      continue;
    }
    queries.add(chars.slice(0, 3).join(""));
    queries.add(chars.slice(0, Math.ceil(chars.length / 2)).join(""));
    const typo = Math.floor(chars.length / 2);
    queries.add([...chars.slice(0, typo), ...chars.slice(typo + 1)].join(""));
    queries.add([...chars.slice(0, typo), chars[typo + 1], chars[typo], ...chars.slice(typo + 2)].join(""));
    queries.add(name.replace(/\s+/g, ""));
    queries.add(chars.slice(2, 6).join(""));
    const last = name.split(/\s+/).at(-1);
    if (last) queries.add(last);
  }
  return [...queries].filter((text) => text.trim());
}

const page = (result: Awaited<ReturnType<typeof searchEntities>>) =>
  result.hits.map((hit) => ({
    id: hit.entity.id,
    score: hit.score,
    matched: hit.matched,
    field: hit.matchedField,
  }));

async function expectSameAnswer(sql: SqlReader, text: string, limit: number, offset = 0, kinds?: EntityKind[]) {
  const options = { limit, offset, kinds };
  const plain = await searchEntities(sql, text, options, "statement");
  const indexed = await searchEntities(sql, text, options, "index");
  expect({ text, offset, kinds, page: page(indexed) }).toEqual({ text, offset, kinds, page: page(plain) });
  expect({ text, exact: indexed.exact }).toEqual({ text, exact: plain.exact });
  if (plain.exact) expect({ text, total: indexed.total }).toEqual({ text, total: plain.total });
  else {
    // A lower bound, as documented: never above the count of every match, never below the page.
    const [every] = await sql.query<{ total: number }>(searchStatement(text, options, "unbounded"));
    expect({ text, total: indexed.total <= every!.total }).toEqual({ text, total: true });
    expect({ text, total: indexed.total >= offset + indexed.hits.length }).toEqual({ text, total: true });
  }
}

/** The page's entity keys for a query, through the index, as a client asks. */
async function searchKeys(query: string, kinds?: EntityKind[], on = graph) {
  const before = indexedStatements();
  const { data, errors } = await on.query<{ search: { edges: { node: { entity: { key: string } } }[] } }>(
    `query($q: String!, $kinds: [EntityKind!]) { search(query: $q, kinds: $kinds, first: 10) { edges { node { entity { key } } } } }`,
    { q: query, kinds },
  );
  expect(errors).toBeUndefined();
  // The server was started with the index (SEARCH_INDEX): its answer came through it.
  if (on === graph) expect(indexedStatements(), `"${query}" through the index`).toBeGreaterThan(before);
  return data!.search.edges.map((edge) => edge.node.entity.key);
}

describe("pg_trgm's measures, computed by the index", () => {
  it("equal PostgreSQL's similarity and word_similarity, Chinese and odd characters included", async () => {
    const queries = [
      ...(await queriesFrom("true", 40)),
      "Ça-va Straße",
      "ǅemal 東京 ①",
      "x",
      "ab",
      "St. Louis 2",
      "İstanbul",
    ];
    const aliases = await graph.db.prisma.$queryRawUnsafe<{ normalized: string; compact: string }[]>(
      `SELECT normalized, compact FROM "Alias" ORDER BY md5(id::text) LIMIT 400`,
    );
    const texts = [
      ...aliases.map((a) => a.normalized),
      ...aliases.map((a) => a.compact),
      "Ça-va Straße",
      "ǅemal 東京 ①",
    ];
    const classes: CharClasses = new Map();
    await readCharClasses(graph.db.sql, unknownChars(classes, [...queries, ...texts]), classes);
    const rows = await graph.db.prisma.$queryRawUnsafe<{ q: string; t: string; sim: number; words: number }[]>(
      `SELECT q, t, similarity(t, q)::float8 AS sim, word_similarity(q, t)::float8 AS words
       FROM unnest($1::text[]) q, unnest($2::text[]) t`,
      queries.map(normalizeName),
      texts,
    );
    expect(rows.length).toBe(queries.length * texts.length);
    let matches = 0;
    for (const { q, t, sim, words } of rows) {
      const js = {
        sim: similarity(trigramSet(t, classes), trigramSet(q, classes)),
        words: wordSimilarity(new Set(trigramSequence(q, classes)), trigramSequence(t, classes)),
      };
      if (js.sim !== sim || js.words !== words) expect({ q, t, ...js }).toEqual({ q, t, sim, words });
      if (sim >= 0.3) matches++;
    }
    expect(matches).toBeGreaterThan(100);
  }, 120_000);
});

describe("the index's page is the statement's page", () => {
  it("on the seed graph: names, prefixes, typos, substrings, Chinese, kinds, later pages", async () => {
    const texts = await queriesFrom("true", 24);
    expect(texts.length).toBeGreaterThan(100);
    graph.resetStatements();
    for (const [i, text] of texts.entries()) {
      await expectSameAnswer(graph.db.sql, text, 10);
      if (i % 5 === 0) await expectSameAnswer(graph.db.sql, text, 5, 20);
      if (i % 7 === 0) await expectSameAnswer(graph.db.sql, text, 10, 0, ["CITY", "COMPANY"]);
    }
    // Every one was answered with the index's proposals, not by falling back.
    expect(indexedStatements()).toBeGreaterThanOrEqual(texts.length);
  }, 300_000);

  it("proves a page of a common query from the first proposals of each way: one statement", async () => {
    // "district" matches some 2,800 names: each way proposes only its first matches naming the page's
    // end, which must be enough to prove the page without looking further.
    for (const [limit, offset] of [
      [10, 0],
      [5, 20],
    ] as const) {
      graph.resetStatements();
      const result = await searchEntities(graph.db.sql, "district", { limit, offset }, "index");
      const statements = graph.statements.filter((sql) => sql.includes("alias_hits AS ("));
      expect({ limit, offset, statements: statements.length, indexed: indexedStatements() }).toEqual({
        limit,
        offset,
        statements: 1,
        indexed: 1,
      });
      expect({ exact: result.exact, hits: result.hits.length }).toEqual({ exact: false, hits: limit });
      expect(result.total).toBeGreaterThan(exactTotalUpTo);
    }
  });

  it("on a generated graph, loaded by COPY after the index was built", async () => {
    await searchEntities(graph.db.sql, "warm", { limit: 10, offset: 0 }, "index");
    await generateGraph(graph.db.prisma, { entities: 2_000, relationships: 2_000, observations: 0, seed: 11 });
    const texts = await queriesFrom(`e.key LIKE 'gen%'`, 20);
    for (const [i, text] of texts.entries()) {
      await expectSameAnswer(graph.db.sql, text, 10);
      if (i % 4 === 0) await expectSameAnswer(graph.db.sql, text, 10, 30);
    }
  }, 300_000);
});

describe("building the index", () => {
  it("lets the event loop turn while it indexes, rather than holding it for the whole build", async () => {
    // Turns of the event loop counted from the build's last answer from the database to its end:
    // all that remains then is the indexing itself, which would otherwise run in one stretch.
    let answered = false;
    let turnsAfter = 0;
    let building = true;
    const db = graph.db.sql;
    const sql: SqlReader = {
      ...db,
      async query<Row>(statement: Prisma.Sql, options?: QueryOptions) {
        answered = false;
        const rows = await db.query<Row>(statement, options);
        answered = true;
        return rows;
      },
      async table(statement, options) {
        answered = false;
        const table = await db.table(statement, options);
        answered = true;
        return table;
      },
    };
    const tick = () => {
      if (answered) turnsAfter++;
      if (building) setImmediate(tick);
    };
    setImmediate(tick);
    const index = new SearchIndex();
    await index.prepare(sql, []);
    building = false;
    const aliases = index.aliasCount;
    expect(aliases).toBeGreaterThan(10_000);
    // A pause every 8,192 aliases in each of two passes, and after each kind of list.
    expect(turnsAfter).toBeGreaterThanOrEqual(2 * Math.floor(aliases / 8_192) + 2);
  });
});

describe("the index is never stale", () => {
  // Each write below is made after a search has loaded the index, and checked by the very next search.
  it("sees an entity and an alias created through GraphQL, and an alias respelt", async () => {
    await searchKeys("warm up");
    const city = await createCity(graph, admin, "Quuxbridge");
    expect(await searchKeys("Quuxbridge")).toContain(city.key);
    expect(await searchKeys("Zorvathel Crossing")).not.toContain(city.key);
    const alias = await mutate(
      graph,
      admin,
      `mutation($e: ID!) { createAlias(entity: $e, name: "Zorvathel Crossing") { ${resultFields} } }`,
      { e: city.id },
    );
    expect(alias.__typename).toBe("CreateAliasSuccess");
    expect(await searchKeys("Zorvathel Crossing")).toContain(city.key);
    expect(await searchKeys("Zorvathel Crosing")).toContain(city.key);
    const respelt = await mutate(
      graph,
      admin,
      `mutation($e: ID!) { updateAlias(entity: $e, name: "Zorvathel Crossing", newName: "Yimbleford") { ${resultFields} } }`,
      { e: city.id },
    );
    expect(respelt.__typename).toBe("UpdateAliasSuccess");
    expect(await searchKeys("Zorvathel Crossing")).not.toContain(city.key);
    expect(await searchKeys("Yimbleford")).toContain(city.key);
  });

  it("sees a delete, its revert, and a merge", async () => {
    await searchKeys("warm up");
    const city = await createCity(graph, admin, "Wexhollow");
    expect(await searchKeys("Wexhollow")).toEqual([city.key]);
    const deleted = await mutate(
      graph,
      admin,
      `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} ... on DeleteEntitySuccess { changes { id } } } }`,
      { id: city.id },
    );
    expect(deleted.__typename).toBe("DeleteEntitySuccess");
    expect(await searchKeys("Wexhollow")).toEqual([]);
    const changes = deleted.changes as { id: string }[];
    const reverted = await mutate(graph, admin, `mutation($id: ID!) { revertChange(id: $id) { ${resultFields} } }`, {
      id: changes.at(-1)!.id,
    });
    expect(reverted.__typename).toBe("RevertChangeSuccess");
    expect(await searchKeys("Wexhollow")).toEqual([city.key]);

    const survivor = await createCity(graph, admin, "Pellmoor");
    expect(await searchKeys("Wexhollow")).toEqual([city.key]);
    const merged = await mutate(
      graph,
      admin,
      `mutation($s: ID!, $d: ID!) { mergeEntities(survivor: $s, duplicate: $d) { ${resultFields} } }`,
      { s: survivor.id, d: city.id },
    );
    expect(merged.__typename).toBe("MergeEntitiesSuccess");
    expect(await searchKeys("Wexhollow")).toEqual([survivor.key]);
  });

  it("sees an import of a bundle, a change of kind and a write in plain SQL", async () => {
    await searchKeys("warm up");
    expect(await searchKeys("Lanting Motors")).not.toContain("lanting-motors");
    await importPaths(graph.db.prisma, [fixture("ndjson", "graph.ndjson")]);
    expect(await searchKeys("Lanting Motors")).toContain("lanting-motors");
    expect(await searchKeys("兰亭")).toContain("lanting-motors");
    expect(await searchKeys("Lanting Motors", ["COMPANY"])).toContain("lanting-motors");
    await graph.db.prisma.entity.update({ where: { key: "lanting-motors" }, data: { kind: "ORGANIZATION" } });
    expect(await searchKeys("Lanting Motors", ["COMPANY"])).not.toContain("lanting-motors");
    expect(await searchKeys("Lanting Motors", ["ORGANIZATION"])).toContain("lanting-motors");
    await graph.db.prisma.$executeRawUnsafe(
      `UPDATE "Alias" SET normalized = 'quintessa works', compact = 'quintessaworks'
       WHERE "entityId" = (SELECT id FROM "Entity" WHERE key = 'lanting-motors') AND normalized = 'lanting'`,
    );
    expect(await searchKeys("Quintessa Works")).toContain("lanting-motors");
  });

  describe.runIf(testDatabaseUrl)("with a second server on the same PostgreSQL database", () => {
    let other: Database;
    let otherGraph: TestGraph;

    beforeAll(async () => {
      const [row] = await graph.db.prisma.$queryRawUnsafe<{ name: string }[]>(
        `SELECT current_database()::text AS name`,
      );
      const url = new URL(testDatabaseUrl!);
      url.pathname = `/${row!.name}`;
      other = await openDatabase({ databaseUrl: url.toString() });
      const { createServer } = await import("../../src/server.js");
      const { queryServer } = await import("../support/graph.js");
      const yoga = createServer(other, { searchIndex: true });
      otherGraph = {
        ...graph,
        db: other,
        yoga,
        query: (query, variables, options) => queryServer(yoga, query, variables, options),
      };
      await searchKeys("warm up", undefined, otherGraph);
    });
    afterAll(async () => {
      await otherGraph?.yoga.dispose();
      await other?.close();
    });

    it("each sees the other's writes at its next search", async () => {
      const here = await createCity(graph, admin, "Frostenvale");
      expect(await searchKeys("Frostenvale", undefined, otherGraph)).toEqual([here.key]);
      const there = await createCity(otherGraph, admin, "Glimmerholt");
      expect(await searchKeys("Glimmerholt")).toEqual([there.key]);
      await graph.db.prisma.entity.delete({ where: { key: there.key } });
      expect(await searchKeys("Glimmerholt", undefined, otherGraph)).toEqual([]);
    });
  });
});
