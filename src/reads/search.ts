// Ranked search over names, aliases and descriptions with PostgreSQL's own tools: exact and prefix
// matches, trigram similarity (pg_trgm: typos, "Chong qing"), and full-text search on descriptions.
// One statement, the same on PGlite and on a server, its work bounded by the page asked for.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { compactName, normalizeName } from "../names.js";
import { originOf, type SqlReader } from "../db/sql-reader.js";
import { searchIndexOf, type Proposals } from "./search-index.js";

export type MatchedField = "NAME" | "ALIAS" | "DESCRIPTION";

export interface SearchHit {
  entity: Entity;
  score: number;
  matched: string;
  matchedField: MatchedField;
}

interface HitRow {
  score: number;
  matched: string;
  matchedField: MatchedField;
  entity: Omit<Entity, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };
}

export interface SearchOptions {
  kinds?: readonly EntityKind[] | null;
  limit: number;
  offset: number;
}

/** Matches counted exactly up to this many; beyond, `total` is a lower bound (`exact` false). */
export const exactTotalUpTo = 100;

/** How far the proposals must go for the page to be provably the full ranking's (see searchStatement). */
export type Reach = "bounded" | "ordered" | "unbounded";

interface StatementRow extends Partial<HitRow> {
  total: number;
  exact: boolean;
  /** Null when the proposals provably hold the page; else the reach that would. */
  retry: Reach | null;
  /** With the index's proposals: log rows of changes the index had not applied (then the answer is dropped). */
  unseen?: number;
  /** With the index's proposals: the oldest transaction running when the statement ran. */
  horizon?: string;
}

/** The per-replica index's proposals for a statement, and its mark in the change log to check it against. */
interface Indexed {
  proposals: Proposals;
  mark: { horizon: string; applied: string[] };
}

/** Where a search's candidates come from: the per-replica index, or the statement's own ways. */
export type SearchWith = "index" | "statement";

/** Tries with the index before a search goes to the statement that finds its own candidates. */
const indexedAttempts = 3;

/**
 * One page of the ranking. `using`: the per-replica index (search-index.ts) to find each way's
 * candidates, or the statement alone (tests/reads/search-index.test.ts holds the two to one answer);
 * the service's choice is SEARCH_INDEX (`Context.searchWith`).
 */
export async function searchEntities(
  sql: SqlReader,
  text: string,
  options: SearchOptions,
  using: SearchWith,
): Promise<{ hits: SearchHit[]; total: number; exact: boolean }> {
  const rows =
    (using === "index" ? await indexedSearch(sql, text, options) : null) ?? (await statementSearch(sql, text, options));
  const summary = rows[0]!;
  return {
    total: summary.total,
    exact: summary.exact,
    hits: rows.flatMap(({ entity, score, matched, matchedField }) =>
      entity && score !== undefined && matched !== undefined && matchedField
        ? [
            {
              score,
              matched,
              matchedField,
              entity: { ...entity, createdAt: new Date(entity.createdAt), updatedAt: new Date(entity.updatedAt) },
            },
          ]
        : [],
    ),
  };
}

/**
 * Builds this process's search index for the database now rather than on the first search (a server
 * started with SEARCH_INDEX); resolves to the number of aliases it holds.
 */
export async function buildSearchIndex(sql: SqlReader): Promise<number> {
  const index = searchIndexOf(originOf(sql));
  await index.prepare(sql, []);
  return index.aliasCount;
}

/**
 * The search with the per-replica index (search-index.ts) proposing each way's candidates. Null when the
 * index could not be brought up to date in a few tries (writes arriving faster than it applies them).
 */
async function indexedSearch(sql: SqlReader, text: string, options: SearchOptions): Promise<StatementRow[] | null> {
  const index = searchIndexOf(originOf(sql));
  const q = normalizeName(text);
  const c = compactName(text);
  const k = Math.max(exactTotalUpTo, options.offset + options.limit) + 1;
  // Whether the index was current for the statement that answered; when not, it catches up first.
  const settled = ([summary]: StatementRow[]) =>
    index.settle(sql, { unseen: summary!.unseen!, horizon: summary!.horizon! });
  attempts: for (let attempt = 0; attempt < indexedAttempts; attempt++) {
    await index.prepare(sql, [q, c]);
    const proposals = index.propose(
      q,
      c,
      options.kinds?.length ? [...options.kinds] : null,
      k,
      options.offset + options.limit,
    );
    const indexed: Indexed = { proposals, mark: index.mark() };
    // Prepared: with the candidates given, every part of the plan is an index lookup by id (or the
    // description's full-text index), right for any values; planning it cost 1.6 ms of every search.
    let rows = await sql.query<StatementRow>(searchStatement(text, options, "bounded", indexed), { prepare: true });
    if (!(await settled(rows))) continue;
    // Rare: the substring and description ways ordered (the same proposals: the index's substrings
    // are already by entity), or every match ranked, which needs no index.
    for (let retry = rows[0]?.retry; retry; retry = rows[0]?.retry) {
      if (retry === "unbounded") return statementSearch(sql, text, options, retry);
      rows = await sql.query<StatementRow>(searchStatement(text, options, retry, indexed), { prepare: true });
      if (!(await settled(rows))) continue attempts;
    }
    return rows;
  }
  return null;
}

/** The search with each way finding its candidates through PostgreSQL's indexes: the fallback, and the unbounded ranking. */
async function statementSearch(
  sql: SqlReader,
  text: string,
  options: SearchOptions,
  reach: Reach = "bounded",
): Promise<StatementRow[]> {
  let rows = await sql.query<StatementRow>(searchStatement(text, options, reach));
  // Rare: a page reaching below the scores a substring or a description can give while those ways
  // had more than k (then they propose in order too), or a way's k proposals crowded onto fewer
  // entities than the page (then every match is ranked).
  for (let retry = rows[0]?.retry; retry; retry = rows[0]?.retry)
    rows = await sql.query<StatementRow>(searchStatement(text, options, retry));
  return rows;
}

/**
 * The one statement of a search, its work bounded by the page asked for rather than by how many names
 * resemble the query: each way of matching proposes at most k aliases, through its own index, and
 * only the entities they name are scored and ranked.
 * - the same name, and a prefix (typing as you go): the btree on `normalized`, whose
 *   text_pattern_ops class serves both;
 * - a typo or other spacing: the trigram index on `compact` (`%`, pg_trgm's similarity threshold);
 * - words within a longer name: the trigram index on `normalized` (`<%`);
 * - a substring: the same trigram index from three characters on; one or two characters beyond
 *   ASCII (two Chinese characters are a whole word, and "重庆" must find 日本国驻重庆总领事馆) through
 *   the index of such pieces, `search_grams` (prisma/migrations/20261207090000_search_short_substrings);
 *   one or two Latin letters read the aliases in turn until k match, which common pairs do at once;
 * - words of a description: the full-text expression index
 *   (prisma/migrations/20261206190000_entity_description_search), whose expression this repeats.
 *
 * Why the page is the one that ranking every match would give (ranked by score, then entity id; an
 * entity's score is the best, over its matching aliases and its description, of every measure):
 * - The same, prefix, typo and words ways propose in the order of the part of the score they stand
 *   for, ties by entity id: 1; 0.9; for the typo way the best of 0.97 (the same letters without
 *   spaces), 0.9 x similarity and 0.85 x word similarity, since a name it finds may score by word
 *   similarity under the words way's threshold (`<%`, 0.6) and so be proposed by no other way
 *   (an equal compact name reaches it through `%`: similarity 1, as pg_trgm finds trigrams in any
 *   letters or digits, Chinese included on a UTF-8 locale); 0.85 x word similarity. Say an entity E of the true page takes its score s from way W,
 *   and W filled its k without E: each entity W proposed has a measure at least s, so a score at
 *   least s, and an id below E's where equal: each ranks above E. If those are at least as many as
 *   the page's end (offset + limit), E is not on the page: a contradiction. So when every filled
 *   ordered way names that many entities, every entity of the page was proposed, and by the way its
 *   score comes from. (Ordering by score alone is not enough: ties fall in any order, and "Ab Ab"
 *   scores 0.97 for "abab" while "Ababab", a prefix, scores 0.9 at the same similarity of 1.)
 * - The substring and description ways propose in no order, as ordering them would read every match
 *   (every alias containing "ng"). Their measures are at most 0.8 and 0.7, so a match they left out
 *   cannot reach the page when the page's last proposed entity scores above that.
 * - A proposed entity is scored over all its matching aliases, not only the proposed one, so its score
 *   and its `matched` are those of the full ranking.
 * When a filled way proves neither, `retry` says how far to go, and searchEntities asks again:
 * "ordered" (the substring and description ways ordered too, by entity and by rank: then every way
 * proves the page as the ordered ones do) or "unbounded" (every match ranked). k also covers `exactTotalUpTo` matches: when no way filled its k, every match was
 * proposed and the count is exact; otherwise it is a lower bound.
 *
 * A way is "filled" when it may have left matches out: here, when it reached its k. The index's
 * proposals (search-index.ts) say so themselves: when some way has k matches, the count is a lower
 * bound whatever the others propose, so each way proposes only its first matches naming the page's
 * end in entities (the proof above needs no more), and the index adds the entities it knows to match
 * (`atLeast`) to the count's lower bound.
 */
export function searchStatement(
  text: string,
  options: SearchOptions,
  reach: Reach = "bounded",
  indexed?: Indexed,
): Prisma.Sql {
  const q = normalizeName(text);
  const c = compactName(text);
  const escaped = q.replace(/[\\%_]/g, "\\$&");
  const end = options.offset + options.limit;
  // LIMIT NULL is no limit: the unbounded statement ranks every match and its count is exact.
  const k = reach === "unbounded" ? null : Math.max(exactTotalUpTo, end) + 1;
  // The unordered ways, ordered: the substring way by entity (its measure is one number), the
  // description way by its rank. Each then reads all its matches, which the first try avoids.
  const ordered = reach !== "bounded";
  const kinds = options.kinds?.length ? [...options.kinds] : null;
  // One or two characters beyond ASCII ("重庆") are in the grams index (its migration says why): the
  // same aliases as LIKE, found through an index rather than by reading aliases until k match.
  const length = [...q].length;
  const contains =
    (length === 1 || length === 2) && /[^\x00-\x7f]/u.test(q)
      ? Prisma.sql`search_grams(a.normalized) @> ARRAY[${q}]::text[]`
      : Prisma.sql`a.normalized LIKE ${`%${escaped}%`}`;
  // With kinds, each way looks only at aliases of entities of those kinds, so a page of companies is
  // not crowded out by the cities nearest the query.
  const ofKinds = kinds
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Entity" ke WHERE ke.id = a."entityId" AND ke.kind::text = ANY(${kinds}::text[]))`
    : Prisma.empty;
  return Prisma.sql`
    WITH ${
      indexed
        ? Prisma.empty
        : Prisma.sql`proposed AS (
      (SELECT a.id, a."entityId", 'same' AS way FROM "Alias" a WHERE a.normalized = ${q} ${ofKinds}
        ORDER BY a."entityId" LIMIT ${k})
      UNION (SELECT a.id, a."entityId", 'prefix' FROM "Alias" a WHERE a.normalized LIKE ${`${escaped}%`} ${ofKinds}
        ORDER BY a."entityId" LIMIT ${k})
      UNION (SELECT a.id, a."entityId", 'typo' FROM "Alias" a WHERE a.compact % ${c} ${ofKinds}
        ORDER BY GREATEST(CASE WHEN a.compact = ${c} THEN 0.97 ELSE 0 END, similarity(a.compact, ${c}) * 0.9,
          word_similarity(${q}, a.normalized) * 0.85) DESC, a."entityId" LIMIT ${k})
      UNION (SELECT a.id, a."entityId", 'words' FROM "Alias" a WHERE ${q} <% a.normalized ${ofKinds}
        ORDER BY word_similarity(${q}, a.normalized) DESC, a."entityId" LIMIT ${k})
      UNION (SELECT a.id, a."entityId", 'substring' FROM "Alias" a WHERE ${contains} ${ofKinds}
        ${ordered ? Prisma.sql`ORDER BY a."entityId"` : Prisma.empty} LIMIT ${k})
    ),`
    }
    alias_hits AS (${
      indexed
        ? // The index scored each proposed entity's matching aliases as below (search-index.ts):
          // only their names are read here, by primary key.
          Prisma.sql`
      SELECT a."entityId", a.name AS matched, CASE WHEN a."primary" THEN 'NAME' ELSE 'ALIAS' END AS field, s.score
      FROM unnest(${indexed.proposals.scored.aliasIds}::int[], ${indexed.proposals.scored.scores}::float8[]) AS s(id, score)
      JOIN "Alias" a ON a.id = s.id`
        : Prisma.sql`
      SELECT a."entityId", a.name AS matched, CASE WHEN a."primary" THEN 'NAME' ELSE 'ALIAS' END AS field,
        GREATEST(
          CASE WHEN a.normalized = ${q} THEN 1.0
               WHEN a.compact = ${c} AND ${c} <> '' THEN 0.97
               WHEN a.normalized LIKE ${`${escaped}%`} THEN 0.9
               WHEN a.normalized LIKE ${`%${escaped}%`} THEN 0.8
               ELSE 0 END,
          a.similarity * 0.9,
          a.words * 0.85
        ) AS score
      -- Each proposed entity's aliases through the (entityId, normalized) index: matched against every
      -- alias instead, the planner's bitmap rechecks thousands of trigram candidates.
      -- (OFFSET 0 keeps the planner from merging the lookup back into such a scan.) Each measure is
      -- computed once, for the match and the score: \`%\` and \`<%\` are these measures against pg_trgm's
      -- thresholds (their defaults until pg_trgm is loaded; no float4 lies between a threshold and its
      -- shown setting).
      FROM (SELECT DISTINCT "entityId" FROM proposed) p
      CROSS JOIN LATERAL (
        SELECT x.*, similarity(x.compact, ${c}) AS similarity, word_similarity(${q}, x.normalized) AS words
        FROM "Alias" x WHERE x."entityId" = p."entityId" OFFSET 0
      ) a
      WHERE a.normalized LIKE ${`%${escaped}%`}
        OR a.similarity >= coalesce(nullif(current_setting('pg_trgm.similarity_threshold', true), '')::float8, 0.3)
        OR a.words >= coalesce(nullif(current_setting('pg_trgm.word_similarity_threshold', true), '')::float8, 0.6)
    `
    }
    ),
    described AS (
      SELECT e.id, e.description FROM "Entity" e
      WHERE e.description IS NOT NULL AND to_tsvector('simple', e.description) @@ plainto_tsquery('simple', ${q})
        ${kinds ? Prisma.sql`AND e.kind::text = ANY(${kinds}::text[])` : Prisma.empty}
      ${
        ordered
          ? Prisma.sql`ORDER BY ts_rank(to_tsvector('simple', e.description), plainto_tsquery('simple', ${q})) DESC, e.id`
          : Prisma.empty
      }
      LIMIT ${k}
    ),
    description_hits AS (
      SELECT e.id AS "entityId", left(e.description, 240) AS matched, 'DESCRIPTION' AS field,
        0.3 + 0.4 * ts_rank(to_tsvector('simple', e.description), plainto_tsquery('simple', ${q})) AS score
      FROM described e
    ),
    best AS (
      SELECT DISTINCT ON ("entityId") "entityId", matched, field, score
      FROM (SELECT * FROM alias_hits UNION ALL SELECT * FROM description_hits) hits
      WHERE score >= 0.3
      ORDER BY "entityId", score DESC, field = 'NAME' DESC, matched
    ),
    ways AS (${
      indexed
        ? // The index's proposals, each way's k chosen as the statement's own ways would choose them,
          // counted there.
          Prisma.sql`
      SELECT * FROM unnest(${indexed.proposals.ways.way}::text[], ${indexed.proposals.ways.proposals}::bigint[],
        ${indexed.proposals.ways.entities}::bigint[], ${indexed.proposals.ways.filled}::boolean[])
        AS w(way, proposals, entities, filled)`
        : Prisma.sql`
      SELECT way, count(*) AS proposals, count(DISTINCT "entityId") AS entities, count(*) >= ${k} AS filled
      FROM proposed GROUP BY way`
    }
      UNION ALL SELECT 'description', count(*), count(*), count(*) >= ${k} FROM described
    ),
    -- The score of the page's last entity, the bar a match left out by an unordered way must stay under.
    last AS (SELECT score FROM best ORDER BY score DESC, "entityId" OFFSET ${Math.max(end - 1, 0)} LIMIT 1),
    summary AS (
      SELECT greatest((SELECT count(*)::int FROM best), ${indexed?.proposals.atLeast ?? 0}::int) AS total,
        -- A way that left matches out: the count is then a lower bound.
        NOT EXISTS (SELECT 1 FROM ways WHERE filled) AS exact,
        CASE
          WHEN EXISTS (SELECT 1 FROM ways WHERE filled AND entities < ${end}
            AND (${ordered} OR way NOT IN ('substring', 'description'))) THEN 'unbounded'
          WHEN ${ordered} THEN NULL
          WHEN EXISTS (SELECT 1 FROM ways WHERE filled AND NOT CASE way
            WHEN 'substring' THEN coalesce((SELECT score FROM last) > 0.8, false)
            WHEN 'description' THEN coalesce((SELECT score FROM last) > 0.7, false)
            ELSE true END) THEN 'ordered'
        END AS retry${
          indexed
            ? Prisma.sql`,
        -- Changes the index had not applied when it proposed: the answer is then dropped (search-index.ts).
        (SELECT count(*)::int FROM "SearchChange"
          WHERE xid >= ${indexed.mark.horizon}::xid8 AND NOT (id = ANY(${indexed.mark.applied}::bigint[]))) AS unseen,
        pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`
            : Prisma.empty
        }
    ),
    -- The page first, then its entities: each row's JSON built for the page, not for every match.
    page AS (
      SELECT b.* FROM best b ORDER BY b.score DESC, b."entityId" LIMIT ${options.limit} OFFSET ${options.offset}
    )
    SELECT s.*, round(p.score::numeric, 3)::float8 AS score, p.matched,
      p.field AS "matchedField", to_jsonb(e) AS entity
    FROM summary s
    LEFT JOIN (page p JOIN "Entity" e ON e.id = p."entityId") ON true
    ORDER BY p.score DESC, p."entityId"`;
}
