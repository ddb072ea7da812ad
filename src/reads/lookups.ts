// Finding things by what people call them, shared by resolvers and loaders.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { GraphDatabase } from "../db/database.js";
import { normalizeName } from "../names.js";
import { likeLiteral } from "./like.js";
import { needsRelatedRows } from "./entity-rows.js";
import type { EntityVariant } from "./entity-variants.js";
import { loadEntitiesAhead, type PageAhead, type PageAsked } from "./edges.js";

/** The pages a selection will ask around the entity found (src/schema/read-ahead/edge-fields.ts), and where to keep them. */
export interface PagesAhead {
  asked: readonly PageAsked[];
  keep(pages: readonly PageAhead[]): void;
}

/**
 * The entity `name` answers to (a name or alias in any case, English, Chinese or pinyin; a key; the
 * key of an entity merged away) among those of `variant`, the oldest when several do: the one way
 * every `<kind>(name:)` field looks one up. The candidates come from index lookups united in one
 * statement: the same test as one Prisma where-clause (an OR over two relation filters) makes
 * PostgreSQL walk every entity, milliseconds per lookup on a large graph.
 *
 * `query` is the selection plugin-prisma asks for. When it wants related rows (aliases, mentions, …)
 * Prisma reads the candidates with them; otherwise their rows come in the same statement, which
 * spares a second round trip and Prisma's per-query compilation, and with them the pages `ahead`
 * asks for.
 */
export async function findEntityNamed<Query extends Omit<Prisma.EntityFindFirstArgs, "where" | "orderBy">>(
  db: GraphDatabase,
  name: string,
  variant: EntityVariant,
  query?: Query,
  ahead?: PagesAhead,
) {
  const key = name.trim();
  const named = Prisma.sql`
    SELECT "entityId" AS id FROM "Alias" WHERE normalized = ${normalizeName(name)}
    UNION SELECT id FROM "Entity" WHERE key = ${key}
    UNION SELECT "targetId" FROM "EntityRedirect" WHERE key = ${key}`;
  if (!needsRelatedRows(query)) {
    const candidates = Prisma.sql`SELECT * FROM "Entity" WHERE id IN (${named})`;
    if (ahead?.asked.length) {
      const { entities, ahead: pages } = await loadEntitiesAhead(db.sql, candidates, ahead.asked);
      ahead.keep(pages);
      return entities.find((row) => variant.matches(row)) ?? null;
    }
    const rows = await db.sql.query<Entity>(Prisma.sql`${candidates} ORDER BY id`, { prepare: true });
    return rows.find((row) => variant.matches(row)) ?? null;
  }
  const ids = await db.sql.query<{ id: number }>(named, { prepare: true });
  if (!ids.length) return null;
  const where = { AND: [variant.where, { id: { in: ids.map((row) => row.id) } }] };
  return db.prisma.entity.findFirst({ ...query, where, orderBy: { id: "asc" } });
}

/** An indicator by key, English name or Chinese name, any case. */
export function indicatorNamed(name: string): Prisma.IndicatorWhereInput {
  const text = name.trim();
  return { OR: [{ key: text }, { name: { equals: likeLiteral(text), mode: "insensitive" } }, { nameZh: text }] };
}
