// What validation needs to know about the database: which keys exist, which names an entity
// answers to, what a cited source says. Batched by key (one statement per few thousand keys), so
// checking a million references costs a few hundred statements, not a million. The seed is
// checked against nothing (`emptyLookup`): every reference must be inside the bundle.
import type { Prisma } from "../../generated/prisma/client.js";
import type { EntityKind, SourceKind } from "../../generated/prisma/enums.js";

export interface StoredName {
  normalized: string;
  key: string;
  kind: EntityKind;
  primary: boolean;
}

export interface Lookup {
  /** False for the seed: nothing stored is consulted, and messages say "unknown" rather than "neither in the bundle nor in the database". */
  readonly database: boolean;
  entities(keys: string[]): Promise<Map<string, { kind: EntityKind }>>;
  /** Keys merged into another entity (EntityRedirect), with the key and kind they now lead to. */
  redirects(keys: string[]): Promise<Map<string, { target: string; kind: EntityKind }>>;
  /** Aliases with these normalised names, and the entity each belongs to. */
  names(normalized: string[]): Promise<StoredName[]>;
  divisionCodes(codes: string[]): Promise<Map<string, string>>;
  sources(keys: string[]): Promise<Map<string, { kind: SourceKind; body: string }>>;
  indicators(keys: string[]): Promise<Set<string>>;
  relationTypes(keys: string[]): Promise<Set<string>>;
  /** Rankings with the key of the source their entries cite by default. */
  rankings(keys: string[]): Promise<Map<string, { source: string }>>;
}

export const emptyLookup: Lookup = {
  database: false,
  entities: async () => new Map(),
  redirects: async () => new Map(),
  names: async () => [],
  divisionCodes: async () => new Map(),
  sources: async () => new Map(),
  indicators: async () => new Set(),
  relationTypes: async () => new Set(),
  rankings: async () => new Map(),
};

const chunkSize = 5000;

async function chunked<T>(values: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += chunkSize) rows.push(...(await query(unique.slice(i, i + chunkSize))));
  return rows;
}

export function databaseLookup(tx: Prisma.TransactionClient): Lookup {
  return {
    database: true,
    async entities(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string; kind: EntityKind }[]>`
        SELECT key, kind::text AS kind FROM "Entity" WHERE key = ANY(${chunk}::text[])`,
      );
      return new Map(rows.map((row) => [row.key, { kind: row.kind }]));
    },
    async redirects(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string; target: string; kind: EntityKind }[]>`
        SELECT r.key, e.key AS target, e.kind::text AS kind FROM "EntityRedirect" r JOIN "Entity" e ON e.id = r."targetId"
        WHERE r.key = ANY(${chunk}::text[])`,
      );
      return new Map(rows.map((row) => [row.key, { target: row.target, kind: row.kind }]));
    },
    async names(normalized) {
      return chunked(
        normalized,
        (chunk) => tx.$queryRaw<StoredName[]>`
        SELECT a.normalized, e.key, e.kind::text AS kind, a."primary" FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId"
        WHERE a.normalized = ANY(${chunk}::text[])`,
      );
    },
    async divisionCodes(codes) {
      const rows = await chunked(
        codes,
        (chunk) => tx.$queryRaw<{ code: string; key: string }[]>`
        SELECT "divisionCode" AS code, key FROM "Entity" WHERE "divisionCode" = ANY(${chunk}::text[])`,
      );
      return new Map(rows.map((row) => [row.code, row.key]));
    },
    async sources(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string; kind: SourceKind; body: string }[]>`
        SELECT key, kind::text AS kind, body FROM "Source" WHERE key = ANY(${chunk}::text[])`,
      );
      return new Map(rows.map((row) => [row.key, { kind: row.kind, body: row.body }]));
    },
    async indicators(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string }[]>`SELECT key FROM "Indicator" WHERE key = ANY(${chunk}::text[])`,
      );
      return new Set(rows.map((row) => row.key));
    },
    async relationTypes(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string }[]>`SELECT key FROM "RelationType" WHERE key = ANY(${chunk}::text[])`,
      );
      return new Set(rows.map((row) => row.key));
    },
    async rankings(keys) {
      const rows = await chunked(
        keys,
        (chunk) => tx.$queryRaw<{ key: string; source: string }[]>`
        SELECT r.key, s.key AS source FROM "Ranking" r JOIN "Source" s ON s.id = r."sourceId" WHERE r.key = ANY(${chunk}::text[])`,
      );
      return new Map(rows.map((row) => [row.key, { source: row.source }]));
    },
  };
}
