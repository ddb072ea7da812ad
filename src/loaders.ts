// Dataloaders for what plugin-prisma cannot batch: edge pages (LATERAL SQL), sources of an entity
// (a union over every fact table), and rows reached from raw SQL results.
import DataLoader from "dataloader";
import { loadDegrees } from "./db/aggregates.js";
import { countEdges, loadEdgePages, loadEntitiesAhead, type EdgeCountQuery, type EdgePage, type EdgeQuery, type PageAhead, type PageAsked } from "./db/edges.js";
import { loadSourcesOfEntities } from "./db/provenance.js";
import type { GraphDatabase } from "./db/database.js";
import { readRows, type SqlReader } from "./db/sql-reader.js";
import { Prisma, type Entity, type Indicator, type Observation, type RelationType, type Source } from "./generated/prisma/client.js";
import { indicatorNamed } from "./db/lookups.js";

/** A loader of whole rows of `table` by a unique column, one prepared statement per batch (`readRows`). */
function rowLoader<Row, Key extends keyof Row & string>(sql: SqlReader, table: Prisma.ModelName, column: Key, type: "int" | "text") {
  return new DataLoader<Row[Key], Row | null>(async (keys) => {
    const rows = await readRows<Row>(sql, table, column, keys as readonly (number | string)[], type);
    const byKey = new Map(rows.map((row) => [row[column], row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

// A loader's key is the JSON of its query; a query object asked again (every parent of a list asks
// with the same one, src/schema/edge-fields.ts) is not serialised again.
const keys = new WeakMap<object, string>();
function keyOf(query: object): string {
  let key = keys.get(query);
  if (!key) keys.set(query, (key = JSON.stringify(query)));
  return key;
}

export function createLoaders({ prisma, sql }: GraphDatabase) {
  // One loader per distinct query shape, so anchors asking the same question share a statement.
  const edgeLoaders = new Map<string, DataLoader<number, EdgePage>>();
  const edgeCountLoaders = new Map<string, DataLoader<number, number>>();
  const entityAheadLoaders = new Map<string, DataLoader<string, Entity | null>>();
  const seriesLoaders = new Map<string, DataLoader<number, (Observation & { indicator: Indicator })[]>>();
  const edgeLoader = (query: EdgeQuery) => {
    const shape = keyOf(query);
    let loader = edgeLoaders.get(shape);
    if (!loader) {
      loader = new DataLoader((ids) => loadEdgePages(sql, ids, query));
      edgeLoaders.set(shape, loader);
    }
    return loader;
  };
  /** Keeps a page read ahead (`EdgePage.ahead`) as the answer to asking for it; a page already asked for stays. */
  const primeEdges = (ahead: PageAhead) => void edgeLoader(ahead.query).prime(ahead.anchorId, ahead.page);
  return {
    edges: (anchorId: number, query: EdgeQuery): Promise<EdgePage> => edgeLoader(query).load(anchorId),
    primeEdges,
    edgeCount(anchorId: number, query: EdgeCountQuery): Promise<number> {
      const { types, direction, otherKinds, asOf } = query;
      const shape = JSON.stringify({ types, direction, otherKinds, asOf });
      let loader = edgeCountLoaders.get(shape);
      if (!loader) {
        loader = new DataLoader((ids) => countEdges(sql, ids, { types, direction, otherKinds, asOf }));
        edgeCountLoaders.set(shape, loader);
      }
      return loader.load(anchorId);
    },
    entity: rowLoader<Entity, "id">(sql, "Entity", "id", "int"),
    entityByKey: rowLoader<Entity, "key">(sql, "Entity", "key", "text"),
    /**
     * Entities by key with the pages `asked` around them read in the same statement
     * (src/schema/edge-fields.ts): those pages are kept by the edges loader.
     */
    entityByKeyAhead(asked: readonly PageAsked[]): DataLoader<string, Entity | null> {
      const shape = keyOf(asked);
      let loader = entityAheadLoaders.get(shape);
      if (!loader) {
        loader = new DataLoader(async (keys) => {
          const roots = Prisma.sql`SELECT * FROM "Entity" WHERE key = ANY(${[...keys]}::text[])`;
          const { entities, ahead } = await loadEntitiesAhead(sql, roots, asked);
          ahead.forEach(primeEdges);
          const byKey = new Map(entities.map((entity) => [entity.key, entity]));
          return keys.map((key) => byKey.get(key) ?? null);
        });
        entityAheadLoaders.set(shape, loader);
      }
      return loader;
    },
    /** The entity a merged-away key now leads to; asked only after a lookup by key found nothing. */
    redirectTarget: new DataLoader<string, Entity | null>(async (keys) => {
      const rows = await prisma.entityRedirect.findMany({ where: { key: { in: [...keys] } }, include: { target: true } });
      const map = new Map(rows.map((row) => [row.key, row.target]));
      return keys.map((key) => map.get(key) ?? null);
    }),
    source: rowLoader<Source, "id">(sql, "Source", "id", "int"),
    relationType: rowLoader<RelationType, "key">(sql, "RelationType", "key", "text"),
    /** Observations of one indicator (key or name) per entity, oldest first. */
    series(indicator: string): DataLoader<number, (Observation & { indicator: Indicator })[]> {
      let loader = seriesLoaders.get(indicator);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const rows = await prisma.observation.findMany({
            where: { entityId: { in: [...ids] }, indicator: indicatorNamed(indicator) },
            orderBy: [{ periodStart: "asc" }, { id: "asc" }],
            include: { indicator: true },
          });
          return ids.map((id) => rows.filter((row) => row.entityId === id));
        });
        seriesLoaders.set(indicator, loader);
      }
      return loader;
    },
    degrees: new DataLoader((ids: readonly number[]) => loadDegrees(sql, ids)),
    sourcesOfEntity: new DataLoader<number, Source[]>((ids) => loadSourcesOfEntities(sql, ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
