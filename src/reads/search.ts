// Ranked search over names, aliases and descriptions with PostgreSQL's own tools: exact and prefix
// matches, trigram similarity (pg_trgm: typos, "Chong qing"), and full-text search on descriptions.
// One statement, the same on PGlite and on a server.
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
): Promise<{ hits: SearchHit[]; total: number }> {
  const rows = await sql.query<HitRow>(searchStatement(text, options));
  return {
    total: rows[0]?.total ?? 0,
    hits: rows.map(({ entity, score, matched, matchedField }) => ({
      score,
      matched,
      matchedField,
      entity: { ...entity, createdAt: new Date(entity.createdAt), updatedAt: new Date(entity.updatedAt) },
    })),
  };
}

/**
 * The one statement of a search. Each of its filters can use an index: the trigram indexes on the
 * aliases' normalized and compact forms, and the expression index on the descriptions' tsvector
 * (prisma/migrations/20261206190000_entity_description_search), whose expression this must repeat.
 */
export function searchStatement(text: string, options: SearchOptions): Prisma.Sql {
  const q = normalizeName(text);
  const c = compactName(text);
  const like = `%${q.replace(/[\\%_]/g, "\\$&")}%`;
  const kinds = options.kinds?.length
    ? Prisma.sql`AND e.kind::text = ANY(${[...options.kinds]}::text[])`
    : Prisma.empty;
  return Prisma.sql`
    WITH alias_hits AS (
      SELECT a."entityId", a.name AS matched, CASE WHEN a."primary" THEN 'NAME' ELSE 'ALIAS' END AS field,
        GREATEST(
          CASE WHEN a.normalized = ${q} THEN 1.0
               WHEN a.compact = ${c} AND ${c} <> '' THEN 0.97
               WHEN a.normalized LIKE ${like.slice(1)} THEN 0.9
               WHEN a.normalized LIKE ${like} THEN 0.8
               ELSE 0 END,
          similarity(a.compact, ${c}) * 0.9,
          word_similarity(${q}, a.normalized) * 0.85
        ) AS score
      FROM "Alias" a
      WHERE a.normalized LIKE ${like} OR a.compact % ${c} OR ${q} <% a.normalized
    ),
    description_hits AS (
      SELECT e.id AS "entityId", left(e.description, 240) AS matched, 'DESCRIPTION' AS field,
        0.3 + 0.4 * ts_rank(to_tsvector('simple', e.description), plainto_tsquery('simple', ${q})) AS score
      FROM "Entity" e
      WHERE e.description IS NOT NULL AND to_tsvector('simple', e.description) @@ plainto_tsquery('simple', ${q})
    ),
    best AS (
      SELECT DISTINCT ON ("entityId") "entityId", matched, field, score
      FROM (SELECT * FROM alias_hits UNION ALL SELECT * FROM description_hits) hits
      WHERE score >= 0.3
      ORDER BY "entityId", score DESC, field = 'NAME' DESC
    )
    SELECT round(b.score::numeric, 3)::float8 AS score, b.matched, b.field AS "matchedField",
      count(*) OVER ()::int AS total, to_jsonb(e) AS entity
    FROM best b JOIN "Entity" e ON e.id = b."entityId"
    WHERE true ${kinds}
    ORDER BY b.score DESC, e.id
    LIMIT ${options.limit} OFFSET ${options.offset}`;
}
