// Ranked search over names, aliases and descriptions with PostgreSQL's own tools: exact and prefix
// matches, trigram similarity (pg_trgm: typos, "Chong qing"), and full-text search on descriptions.
// One statement, the same on PGlite and on a server, its work bounded by the page asked for.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { compactName, normalizeName } from "../names.js";
import type { SqlReader } from "../db/sql-reader.js";

export type MatchedField = "NAME" | "ALIAS" | "DESCRIPTION";

export interface SearchHit {
  entity: Entity;
  score: number;
  matched: string;
  matchedField: MatchedField;
}

interface HitRow {
  exact: boolean;
  score: number;
  matched: string;
  matchedField: MatchedField;
  total: number;
  entity: Omit<Entity, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };
}

export interface SearchOptions {
  kinds?: readonly EntityKind[] | null;
  limit: number;
  offset: number;
}

export async function searchEntities(
  sql: SqlReader,
  text: string,
  options: SearchOptions,
): Promise<{ hits: SearchHit[]; total: number; exact: boolean }> {
  const rows = await sql.query<HitRow>(searchStatement(text, options));
  return {
    total: rows[0]?.total ?? 0,
    // No row at all: nothing matched, or the page lies past the last match; either way none is missed.
    exact: rows[0]?.exact ?? true,
    hits: rows.map(({ entity, score, matched, matchedField }) => ({
      score,
      matched,
      matchedField,
      entity: { ...entity, createdAt: new Date(entity.createdAt), updatedAt: new Date(entity.updatedAt) },
    })),
  };
}

/** Matches counted exactly up to this many; beyond, `total` is a lower bound (`exact` false). */
export const exactTotalUpTo = 100;

/**
 * The one statement of a search, its work bounded by the page asked for rather than by how many names
 * resemble the query: each way of matching proposes at most k candidates, through its own index, and
 * only those are scored and ranked.
 * - the same name, and a prefix (typing as you go): the btree on `normalized`, whose
 *   text_pattern_ops class serves both;
 * - a typo or other spacing: the trigram index on `compact` (`%`, pg_trgm's similarity threshold),
 *   the most similar k;
 * - words within a longer name: the trigram index on `normalized` (`<%`), the most similar k;
 * - a substring: the same trigram index from three characters on; one or two characters beyond
 *   ASCII (two Chinese characters are a whole word, and "重庆" must find 日本国驻重庆总领事馆) through
 *   the index of such pieces, `search_grams` (prisma/migrations/20261207090000_search_short_substrings);
 *   one or two Latin letters read the aliases in turn until k match, which common pairs do at once;
 * - words of a description: the full-text expression index
 *   (prisma/migrations/20261206190000_entity_description_search), whose expression this repeats;
 *   its first k matches in no particular order, so when more match, the count says it is not exact.
 * k is enough for the page asked and for `exactTotalUpTo` more: a match no way proposed ranks, in
 * the way that would have found it, below k that it did propose, so when no way filled its k,
 * nothing was missed and the count is exact; otherwise it is a lower bound.
 */
export function searchStatement(text: string, options: SearchOptions): Prisma.Sql {
  const q = normalizeName(text);
  const c = compactName(text);
  const escaped = q.replace(/[\\%_]/g, "\\$&");
  const k = Math.max(exactTotalUpTo, options.offset + options.limit) + 1;
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
    WITH proposed AS (
      (SELECT a.id, 'same' AS way FROM "Alias" a WHERE a.normalized = ${q} ${ofKinds} LIMIT ${k})
      UNION (SELECT a.id, 'prefix' FROM "Alias" a WHERE a.normalized LIKE ${`${escaped}%`} ${ofKinds} LIMIT ${k})
      UNION (SELECT a.id, 'typo' FROM "Alias" a WHERE a.compact % ${c} ${ofKinds}
        ORDER BY similarity(a.compact, ${c}) DESC LIMIT ${k})
      UNION (SELECT a.id, 'words' FROM "Alias" a WHERE ${q} <% a.normalized ${ofKinds}
        ORDER BY word_similarity(${q}, a.normalized) DESC LIMIT ${k})
      UNION (SELECT a.id, 'substring' FROM "Alias" a WHERE ${contains} ${ofKinds} LIMIT ${k})
    ),
    alias_hits AS (
      SELECT a."entityId", a.name AS matched, CASE WHEN a."primary" THEN 'NAME' ELSE 'ALIAS' END AS field,
        GREATEST(
          CASE WHEN a.normalized = ${q} THEN 1.0
               WHEN a.compact = ${c} AND ${c} <> '' THEN 0.97
               WHEN a.normalized LIKE ${`${escaped}%`} THEN 0.9
               WHEN a.normalized LIKE ${`%${escaped}%`} THEN 0.8
               ELSE 0 END,
          similarity(a.compact, ${c}) * 0.9,
          word_similarity(${q}, a.normalized) * 0.85
        ) AS score
      FROM "Alias" a WHERE a.id IN (SELECT id FROM proposed)
    ),
    described AS (
      SELECT e.id, e.description FROM "Entity" e
      WHERE e.description IS NOT NULL AND to_tsvector('simple', e.description) @@ plainto_tsquery('simple', ${q})
        ${kinds ? Prisma.sql`AND e.kind::text = ANY(${kinds}::text[])` : Prisma.empty}
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
      ORDER BY "entityId", score DESC, field = 'NAME' DESC
    ),
    -- A way that filled its k with matches may have left some out: the count is then a lower bound.
    full_ways AS (
      SELECT count(*) >= ${k} AS filled FROM proposed GROUP BY way
      UNION ALL SELECT count(*) >= ${k} FROM described
    ),
    -- The page first, then its entities: each row's JSON built for the page, not for every match.
    page AS (
      SELECT b.*, count(*) OVER ()::int AS total FROM best b
      ORDER BY b.score DESC, b."entityId"
      LIMIT ${options.limit} OFFSET ${options.offset}
    )
    SELECT round(p.score::numeric, 3)::float8 AS score, p.matched, p.field AS "matchedField", p.total,
      NOT EXISTS (SELECT 1 FROM full_ways WHERE filled) AS exact,
      to_jsonb(e) AS entity
    FROM page p JOIN "Entity" e ON e.id = p."entityId"
    ORDER BY p.score DESC, p."entityId"`;
}
