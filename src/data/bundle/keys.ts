// Keys: how a bundle names its rows and how one row points at another. Entities, sources,
// indicators and rankings carry kebab-case keys; facts (relationships, observations, ranking
// entries, policy figures) may carry any key, and without one get the key the seed has always
// derived from what they connect, so a fact keeps its key from one load to the next.
import { EntityKind } from "../../generated/prisma/enums.js";
import { kebabCase, normalizeName, slugify } from "../../names.js";

/** A reference to an entity: its key, or its kind and one of its names (`CITY:Chongqing`, `CITY:重庆`). */
export type EntityRef = { key: string } | { kind: EntityKind; name: string };

const kinds = new Set<string>(Object.values(EntityKind));

export function parseEntityRef(text: string): EntityRef | null {
  if (kebabCase.test(text)) return { key: text };
  const colon = text.indexOf(":");
  if (colon < 1) return null;
  const kind = text.slice(0, colon);
  const name = text.slice(colon + 1).trim();
  return kinds.has(kind) && normalizeName(name) ? { kind: kind as EntityKind, name } : null;
}

/** Keys to try, in order, for a new entity that came without one. */
export function* keyCandidates(kind: EntityKind, name: string): Generator<string> {
  const base = slugify(name) || kind.toLowerCase();
  yield base;
  const withKind = `${base}-${kind.toLowerCase().replace(/_/g, "-")}`;
  yield withKind;
  for (let n = 2; ; n++) yield `${withKind}-${n}`;
}
