// Where-clauses for finding things by what people call them, shared by resolvers and loaders.
import { Prisma } from "../generated/prisma/client.js";
import type { SqlReader } from "./sql-reader.js";
import { normalizeName } from "../names.js";

/**
 * The entities a name, alias (any case, English, Chinese or pinyin), key, or key of an entity merged
 * away answers to, as a where-clause on their ids. Found first with one statement of index lookups:
 * the same test as one Prisma where-clause (an OR over two relation filters) makes PostgreSQL walk
 * every entity, milliseconds per lookup on a large graph.
 */
export async function entityNamed(sql: SqlReader, name: string): Promise<Prisma.EntityWhereInput> {
  const key = name.trim();
  const rows = await sql.query<{ id: number }>(Prisma.sql`
    SELECT "entityId" AS id FROM "Alias" WHERE normalized = ${normalizeName(name)}
    UNION SELECT id FROM "Entity" WHERE key = ${key}
    UNION SELECT "targetId" FROM "EntityRedirect" WHERE key = ${key}`);
  return { id: { in: rows.map((row) => row.id) } };
}

/** An indicator by key, English name or Chinese name, any case. */
export function indicatorNamed(name: string): Prisma.IndicatorWhereInput {
  const text = name.trim();
  return { OR: [{ key: text }, { name: { equals: text, mode: "insensitive" } }, { nameZh: text }] };
}
