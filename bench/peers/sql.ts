// Hand-written SQL shared by the peers. The floor runs all of it through `pg`; the naive and textbook
// peers run only the two statements an ORM cannot express (trigram search, recursive paths) through
// Prisma's raw queries and read everything else through Prisma. Search is the statement our service
// builds (src/reads/search.ts), imported, so the peers answer the same ranking. Paths are found by our
// own rounds of statements (src/reads/paths.ts).
import { createHash } from "node:crypto";
import { searchStatement, type Reach } from "../../src/reads/search.js";

/** A row of our search statement as the peers read it: the page's hits, and the count on every row. */
export interface SearchRow {
  entity: { id: number };
  score: number;
  matchedField: string;
  total: number;
  exact: boolean;
  retry: Reach | null;
}

/**
 * Our search itself (src/reads/search.ts): its statement and, when that statement cannot prove its
 * page, the same retries `searchEntities` makes, so the floor and the naive and textbook peers ask
 * PostgreSQL exactly what we ask and differ from us only in what surrounds it. `run` sends one
 * statement; its text depends on the query (a substring way from three characters), so the name it
 * is prepared under carries its hash.
 */
export async function runSearch<Row extends { retry?: Reach | null }>(
  text: string,
  limit: number,
  run: (statement: { name: string; text: string; values: unknown[] }) => Promise<Row[]>,
): Promise<Row[]> {
  const send = (reach?: Reach) => {
    const statement = searchStatement(text, { limit, offset: 0 }, reach);
    const name = `search_${createHash("sha1").update(statement.text).digest("hex").slice(0, 12)}`;
    return run({ name, text: statement.text, values: statement.values });
  };
  let rows = await send();
  for (let retry = rows[0]?.retry; retry; retry = rows[0]?.retry) rows = await send(retry);
  return rows;
}

/** The relationships of found paths with both ends and the labels of their type. $1 relationship ids. */
export const pathStepsSql = `
  SELECT r.id, r.key, r."typeKey", r."fromId", r."toId", t.label, t."inverseLabel",
    f.key AS "fromKey", f.name AS "fromName", o.key AS "toKey", o.name AS "toName"
  FROM "Relationship" r
  JOIN "RelationType" t ON t.key = r."typeKey"
  JOIN "Entity" f ON f.id = r."fromId"
  JOIN "Entity" o ON o.id = r."toId"
  WHERE r.id = ANY($1::int[])`;

/**
 * One level of a neighbourhood: the edges around the frontier ($1) not seen yet ($2), lowest ids first,
 * at most $3, with the far end and the type's label. Same rule as src/reads/subgraph.ts.
 */
export const neighborhoodLevelSql = `
  SELECT e.id, e.key, e."typeKey", e."fromId", e."toId", e."otherId",
    o.key AS "otherKey", o.name AS "otherName", o.kind::text AS "otherKind", t.label
  FROM (
    SELECT DISTINCT ON (e.id) e.*
    FROM unnest($1::int[]) AS f(id) CROSS JOIN LATERAL (
      (SELECT r.id, r.key, r."typeKey", r."fromId", r."toId", r."toId" AS "otherId" FROM "Relationship" r
        WHERE r."fromId" = f.id AND NOT (r.id = ANY($2::int[])) ORDER BY r.id LIMIT $3)
      UNION ALL
      (SELECT r.id, r.key, r."typeKey", r."fromId", r."toId", r."fromId" AS "otherId" FROM "Relationship" r
        WHERE r."toId" = f.id AND NOT (r.id = ANY($2::int[])) ORDER BY r.id LIMIT $3)
    ) e
    ORDER BY e.id
    LIMIT $3
  ) e
  JOIN "Entity" o ON o.id = e."otherId"
  JOIN "RelationType" t ON t.key = e."typeKey"
  ORDER BY e.id`;

/**
 * Province -> first $2 cities (by LOCATED_IN edge id) -> first $3 outgoing relationships of each
 * (by id) -> their targets, in one statement. $1 the province key.
 */
export const traversalSql = `
  WITH province AS (SELECT id, name FROM "Entity" WHERE key = $1),
  cities AS (
    SELECT r.id AS rid, c.id, c.name
    FROM province p
    JOIN "Relationship" r ON r."toId" = p.id AND r."typeKey" = 'LOCATED_IN'
    JOIN "Entity" c ON c.id = r."fromId" AND c.kind = 'CITY'
    ORDER BY r.id
    LIMIT $2
  )
  SELECT p.name AS province, c.rid, c.name AS city, e.type, e.target, e.id AS eid
  FROM province p
  LEFT JOIN cities c ON true
  LEFT JOIN LATERAL (
    SELECT r."typeKey" AS type, t.name AS target, r.id
    FROM "Relationship" r JOIN "Entity" t ON t.id = r."toId"
    WHERE r."fromId" = c.id
    ORDER BY r.id
    LIMIT $3
  ) e ON true
  ORDER BY c.rid, e.id`;

/**
 * A page of cities by (name, id) after the city whose key is $1; $2 rows (page size + 1). The cursor
 * row's values come from scalar subqueries, which PostgreSQL evaluates once and uses as index bounds
 * on ("kind", "name") (a join with the cursor row would scan every city before it).
 */
export const citiesAfterSql = `
  SELECT e.key, e.name
  FROM "Entity" e
  WHERE e.kind = 'CITY'
    AND e.name >= (SELECT name FROM "Entity" WHERE key = $1)
    AND (e.name, e.id) > (SELECT name, id FROM "Entity" WHERE key = $1)
  ORDER BY e.name, e.id
  LIMIT $2`;

export const entityByKeySql = `SELECT id, key, name, "nameZh", kind::text AS kind FROM "Entity" WHERE key = $1`;

/** Any entity by normalized alias ($1) or key ($2), lowest id first: the rule of `entity(name:)`. */
export const entityByNameSql = `
  SELECT e.key, e.name, e.kind::text AS kind FROM "Entity" e
  WHERE e.id = (SELECT min(id) FROM (
    SELECT a."entityId" AS id FROM "Alias" a WHERE a.normalized = $1
    UNION ALL
    SELECT x.id FROM "Entity" x WHERE x.key = $2) ids)`;
