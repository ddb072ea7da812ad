// Where-clauses for finding things by what people call them, shared by resolvers and loaders.
import { Prisma } from "../generated/prisma/client.js";
import type { GraphDatabase } from "./database.js";
import { normalizeName } from "../names.js";

/**
 * The entity `name` answers to (a name or alias in any case, English, Chinese or pinyin; a key; the
 * key of an entity merged away) among those matching `where`, the oldest when several do, read with
 * the selection a resolver's `query` asks for: the one way every `<kind>(name:)` field looks one up.
 * The candidates' ids come first, from one statement of index lookups: the same test as one Prisma
 * where-clause (an OR over two relation filters) makes PostgreSQL walk every entity, milliseconds
 * per lookup on a large graph.
 */
export async function findEntityNamed<Query extends Omit<Prisma.EntityFindFirstArgs, "where" | "orderBy">>(
  db: GraphDatabase,
  name: string,
  where: Prisma.EntityWhereInput,
  query?: Query,
) {
  const key = name.trim();
  const rows = await db.sql.query<{ id: number }>(Prisma.sql`
    SELECT "entityId" AS id FROM "Alias" WHERE normalized = ${normalizeName(name)}
    UNION SELECT id FROM "Entity" WHERE key = ${key}
    UNION SELECT "targetId" FROM "EntityRedirect" WHERE key = ${key}`);
  if (!rows.length) return null;
  const named = { id: { in: rows.map((row) => row.id) } };
  return db.prisma.entity.findFirst({ ...query, where: { AND: [where, named] }, orderBy: { id: "asc" } });
}

/** An indicator by key, English name or Chinese name, any case. */
export function indicatorNamed(name: string): Prisma.IndicatorWhereInput {
  const text = name.trim();
  return { OR: [{ key: text }, { name: { equals: text, mode: "insensitive" } }, { nameZh: text }] };
}
