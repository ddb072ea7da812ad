// The parameters of the query mix, picked from the data itself with SQL, deterministically: the same
// database gives the same entities, so every run and every system asks the same questions.
import pg from "pg";
import { normalizeName } from "../src/names.js";

export interface EntityRef {
  id: number;
  key: string;
  kind: string;
  name: string;
}

export interface PathPair {
  from: EntityRef;
  to: EntityRef;
  length: number;
}

export interface Fixtures {
  /** lookup by id and by name: a city two thirds of the way through the cities, with a name only it answers to. */
  lookup: EntityRef;
  /** traversal: the median province by cities among those with at least 20, whose LOCATED_IN in-edges all come from cities. */
  province: EntityRef & { cities: number };
  /** connection page deep in the list: the 20 cities after the one at `position` in (name, id) order. */
  page: { after: EntityRef; position: number; of: number; size: number };
  /** neighbourhood depth 2 (limit 100) around an entity of small degree. */
  neighborhood: EntityRef & { degree: number };
  /** shortest path between two entities 2 hops apart with exactly one shortest path. */
  paths: PathPair;
  /** the same, 3 hops apart; null when the run does not ask the 3-hop path (it is the slowest to pick). */
  deepPaths: PathPair | null;
  /** search: the lookup entity's name with one letter dropped (a typo). */
  search: SearchCase;
  /** the lookup entity's name as it is. */
  searchExact: SearchCase;
  /** its first letters, as typed so far (three fifths of the name, at least four). */
  searchPrefix: SearchCase;
  /** a real city's Chinese name (the seed's geography is part of every generated graph). */
  searchChinese: SearchCase;
  counts: { entities: number; relationships: number; observations: number; cities: number };
}

export interface SearchCase {
  text: string;
  expect: string;
}

const entityColumns = `e.id, e.key, e.kind::text AS kind, e.name`;

async function one<T extends pg.QueryResultRow>(
  client: pg.ClientBase,
  sql: string,
  values: unknown[] = [],
): Promise<T> {
  const { rows } = await client.query<T>(sql, values);
  if (!rows[0]) throw new Error(`No fixture found by: ${sql.replace(/\s+/g, " ").slice(0, 160)}`);
  return rows[0];
}

function typo(name: string): string {
  // Drop the third letter of the first word ("Chongqing" -> "Chngqing" would be too far; the third
  // letter keeps the start intact): a one-letter typo that trigram similarity still finds.
  const first = name.split(" ")[0]!;
  const at = Math.min(3, first.length - 1);
  return name.slice(0, at) + name.slice(at + 1);
}

export async function selectFixtures(databaseUrl: string, options: { deepPaths?: boolean } = {}): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts = await one<{ entities: number; relationships: number; observations: number; cities: number }>(
      client,
      `SELECT (SELECT count(*) FROM "Entity")::int AS entities, (SELECT count(*) FROM "Relationship")::int AS relationships,
              (SELECT count(*) FROM "Observation")::int AS observations, (SELECT count(*) FROM "Entity" WHERE kind = 'CITY')::int AS cities`,
    );

    // Lookup: walk cities from two thirds of the way in id order until one has a name no other entity answers to.
    const candidates = await client.query<EntityRef>(
      `SELECT ${entityColumns} FROM "Entity" e WHERE e.kind = 'CITY' ORDER BY e.id OFFSET $1 LIMIT 200`,
      [Math.floor((counts.cities * 2) / 3)],
    );
    let lookup: EntityRef | null = null;
    for (const row of candidates.rows) {
      const owners = await one<{ n: number }>(
        client,
        `SELECT count(DISTINCT "entityId")::int AS n FROM "Alias" WHERE normalized = $1`,
        [normalizeName(row.name)],
      );
      if (owners.n === 1) {
        lookup = row;
        break;
      }
    }
    if (!lookup) throw new Error("No city with a unique name found for the lookups.");

    const province = await one<EntityRef & { cities: number }>(
      client,
      `WITH eligible AS (
         SELECT ${entityColumns}, count(*) FILTER (WHERE c.kind = 'CITY')::int AS cities, count(*)::int AS located
         FROM "Entity" e JOIN "Relationship" r ON r."toId" = e.id AND r."typeKey" = 'LOCATED_IN' JOIN "Entity" c ON c.id = r."fromId"
         WHERE e.kind = 'PROVINCE' GROUP BY e.id HAVING count(*) FILTER (WHERE c.kind = 'CITY') >= 20
       ), usable AS (SELECT * FROM eligible WHERE cities = located)
       SELECT id, key, kind, name, cities FROM usable ORDER BY cities, key
       OFFSET (SELECT count(*) / 2 FROM usable) LIMIT 1`,
    );

    const position = Math.floor(counts.cities * 0.8);
    const after = await one<EntityRef>(
      client,
      `SELECT ${entityColumns} FROM "Entity" e WHERE e.kind = 'CITY' ORDER BY e.name, e.id OFFSET $1 LIMIT 1`,
      [position - 1],
    );

    // Neighbourhood: an entity of 3 to 60 edges (so depth 1 is never truncated), two thirds of the way in id order.
    const neighborhood = await one<EntityRef & { degree: number }>(
      client,
      `WITH degrees AS (
         SELECT id, count(*)::int AS degree FROM (
           SELECT "fromId" AS id FROM "Relationship" UNION ALL SELECT "toId" FROM "Relationship" WHERE "toId" <> "fromId") ends
         GROUP BY id HAVING count(*) BETWEEN 3 AND 60)
       SELECT ${entityColumns}, d.degree FROM degrees d JOIN "Entity" e ON e.id = d.id
       ORDER BY e.id OFFSET (SELECT count(*) * 2 / 3 FROM degrees) LIMIT 1`,
    );

    const chinese = await one<{ key: string; nameZh: string }>(
      client,
      `SELECT key, "nameZh" FROM "Entity" WHERE kind = 'CITY' AND "nameZh" IS NOT NULL AND key NOT LIKE 'gen-%' ORDER BY key LIMIT 1`,
    );

    const [paths, deepPaths] = await pickPaths(client, lookup, options.deepPaths ?? true);
    if (!paths) throw new Error(`No entity with a unique shortest path of 2 hops from ${lookup.key} found.`);
    if (!deepPaths && (options.deepPaths ?? true))
      throw new Error(`No entity with a unique shortest path of 3 hops from ${lookup.key} found.`);

    return {
      lookup,
      province,
      page: { after, position, of: counts.cities, size: 20 },
      neighborhood,
      paths,
      deepPaths,
      search: { text: typo(lookup.name), expect: lookup.key },
      searchExact: { text: lookup.name, expect: lookup.key },
      searchPrefix: {
        text: lookup.name.slice(0, Math.max(4, Math.ceil(lookup.name.length * 0.6))),
        expect: lookup.key,
      },
      searchChinese: { text: chinese.nameZh, expect: chinese.key },
      counts,
    };
  } finally {
    await client.end();
  }
}

/**
 * Targets two and three hops from `from`, each with exactly one shortest path, so that every system
 * must return the same path. Candidates come from a breadth-first walk (both directions); each is
 * checked by counting the paths of length 1, 2 and 3 between the two ends, meeting in the middle
 * (paths as ours counts them: edge sequences that visit no node twice).
 */
async function pickPaths(
  client: pg.ClientBase,
  from: EntityRef,
  deep: boolean,
): Promise<[PathPair | null, PathPair | null]> {
  const neighbours = `SELECT DISTINCT x FROM (
      SELECT r."toId" AS x FROM "Relationship" r WHERE r."fromId" = ANY($1::int[])
      UNION ALL SELECT r."fromId" FROM "Relationship" r WHERE r."toId" = ANY($1::int[])) n`;
  const seen = new Set<number>([from.id]);
  const levels: number[][] = [[from.id]];
  for (let depth = 1; depth <= 3; depth++) {
    // Around hubs the frontier explodes; a sample of it is enough to find candidates.
    const { rows } = await client.query<{ x: number }>(`${neighbours} ORDER BY x LIMIT 20000`, [
      levels[depth - 1]!.slice(0, 2000),
    ]);
    levels.push(rows.map((r) => r.x).filter((x) => !seen.has(x)));
    for (const x of levels[depth]!) seen.add(x);
  }
  const ends = (id: string) => `SELECT r.id AS e, CASE WHEN r."fromId" = ${id} THEN r."toId" ELSE r."fromId" END AS n
      FROM "Relationship" r WHERE r."fromId" = ${id} UNION ALL
      SELECT r.id, r."fromId" FROM "Relationship" r WHERE r."toId" = ${id} AND r."fromId" <> ${id}`;
  const countSql = `WITH a AS (${ends("$1::int")}), d AS (${ends("$2::int")})
    SELECT (SELECT count(*) FROM d)::int AS degree,
      (SELECT count(*) FROM a WHERE n = $2::int)::int AS l1,
      (SELECT count(*) FROM a JOIN d ON a.n = d.n WHERE a.n NOT IN ($1::int, $2::int))::int AS l2,
      (SELECT count(*) FROM a JOIN d ON a.n <> d.n
         JOIN "Relationship" r ON r."fromId" = a.n AND r."toId" = d.n
         WHERE a.n NOT IN ($1::int, $2::int) AND d.n NOT IN ($1::int, $2::int))::int
      + (SELECT count(*) FROM a JOIN d ON a.n <> d.n
         JOIN "Relationship" r ON r."fromId" = d.n AND r."toId" = a.n
         WHERE a.n NOT IN ($1::int, $2::int) AND d.n NOT IN ($1::int, $2::int))::int AS l3`;
  const found: (PathPair | null)[] = [];
  for (const length of deep ? [2, 3] : [2]) {
    const level = levels[length]!;
    const step = Math.max(1, Math.floor(level.length / 200));
    let pair: PathPair | null = null;
    for (let i = 0; i < level.length && !pair; i += step) {
      const to = level[i]!;
      const c = (await client.query<{ degree: number; l1: number; l2: number; l3: number }>(countSql, [from.id, to]))
        .rows[0]!;
      const unique = length === 3 ? c.l1 === 0 && c.l2 === 0 && c.l3 === 1 : c.l1 === 0 && c.l2 === 1;
      if (unique && c.degree <= 200) {
        pair = {
          from,
          to: await one<EntityRef>(client, `SELECT ${entityColumns} FROM "Entity" e WHERE e.id = $1`, [to]),
          length,
        };
      }
    }
    found.push(pair);
  }
  return [found[0] ?? null, found[1] ?? null];
}
