// Where-clauses for finding things by what people call them, shared by resolvers and loaders.
import type { Prisma } from "../generated/prisma/client.js";
import { normalizeName } from "../names.js";

/**
 * An entity by name or alias (any case, English, Chinese or pinyin) or by its stable key, or by the
 * key of an entity merged into it.
 */
export function entityNamed(name: string): Prisma.EntityWhereInput {
  return { OR: [{ aliases: { some: { normalized: normalizeName(name) } } }, { key: name.trim() }, { redirects: { some: { key: name.trim() } } }] };
}

/** An indicator by key, English name or Chinese name, any case. */
export function indicatorNamed(name: string): Prisma.IndicatorWhereInput {
  const text = name.trim();
  return { OR: [{ key: text }, { name: { equals: text, mode: "insensitive" } }, { nameZh: text }] };
}
