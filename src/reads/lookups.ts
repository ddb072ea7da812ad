// Finding things by what people call them, shared by resolvers and loaders.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { GraphDatabase } from "../db/database.js";
import { normalizeName } from "../names.js";
import { likeLiteral } from "./like.js";
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
 * every `<kind>(name:)` field looks one up. One prepared statement: the candidates come from index
 * lookups united (the same test as one Prisma where-clause, an OR over two relation filters, makes
 * PostgreSQL walk every entity, milliseconds per lookup on a large graph), with their rows and the
 * pages `ahead` asks for around them. Related rows a selection wants beneath the entity (aliases,
 * mentions, …) are plugin-prisma's to read.
 */
export async function findEntityNamed(
  db: GraphDatabase,
  name: string,
  variant: EntityVariant,
  ahead?: PagesAhead,
): Promise<Entity | null> {
  const key = name.trim();
  const candidates = Prisma.sql`SELECT * FROM "Entity" WHERE id IN (
    SELECT "entityId" FROM "Alias" WHERE normalized = ${normalizeName(name)}
    UNION SELECT id FROM "Entity" WHERE key = ${key}
    UNION SELECT "targetId" FROM "EntityRedirect" WHERE key = ${key})`;
  if (ahead?.asked.length) {
    const { entities, ahead: pages } = await loadEntitiesAhead(db.sql, candidates, ahead.asked);
    ahead.keep(pages);
    return entities.find((row) => variant.matches(row)) ?? null;
  }
  const rows = await db.sql.query<Entity>(Prisma.sql`${candidates} ORDER BY id`, { prepare: true });
  return rows.find((row) => variant.matches(row)) ?? null;
}

/** An indicator by key, English name or Chinese name, any case. */
export function indicatorNamed(name: string): Prisma.IndicatorWhereInput {
  const text = name.trim();
  return { OR: [{ key: text }, { name: { equals: likeLiteral(text), mode: "insensitive" } }, { nameZh: text }] };
}
