// Dataloaders for what plugin-prisma cannot batch: edge pages (LATERAL SQL), sources of an entity
// (a union over every fact table), and rows reached from raw SQL results.
import DataLoader from "dataloader";
import { loadDegrees, type DegreeRow } from "./aggregates.js";
import {
  countEdges,
  loadEdgePages,
  loadEntitiesAhead,
  type EdgeCountQuery,
  type EdgePage,
  type EdgeQuery,
  type PageAhead,
  type PageAsked,
} from "./edges.js";
import { loadSourcesOfEntities } from "./provenance.js";
import {
  type ChildList,
  countHistories,
  countIndicatorObservations,
  entityRankingEntries,
  groupBy,
  loadHistoryPages,
  parentIds,
  type ChildPageQuery,
} from "./child-pages.js";
import type { GraphDatabase } from "../db/database.js";
import { narrowShape, type RowShape } from "./entity-rows.js";
import { readRows, rowsWhereSql, type SqlReader } from "../db/sql-reader.js";
import {
  Prisma,
  type Change,
  type Entity,
  type Indicator,
  type Observation,
  type PolicyDetail,
  type RankingEntry,
  type RelationType,
  type Source,
} from "../generated/prisma/client.js";
import { indicatorNamed } from "./lookups.js";
import {
  keyColumn,
  type ParentTable,
  type PointedJoin,
  type PointedKeys,
  type PointedRows,
  type PointedTable,
  type PointingModel,
  readPointing,
  readPointingBeneath,
} from "./pointed-joins.js";
import { type ListPageQuery, type ListQuery, listPageSql } from "./list-pages.js";

/** A loader of whole rows of `table` by a unique column, one prepared statement per batch (`readRows`). */
function rowLoader<Row, Key extends keyof Row & string>(
  sql: SqlReader,
  table: Prisma.ModelName,
  column: Key,
  type: "int" | "text",
  columns?: readonly string[],
) {
  return new DataLoader<Row[Key], Row | null>(async (keys) => {
    const rows = await readRows<Row>(sql, table, column, keys as readonly (number | string)[], type, columns);
    const byKey = new Map(rows.map((row) => [row[column], row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

// A loader's key is the JSON of its query; a query object asked again (every parent of a list asks
// with the same one, src/schema/read-ahead/edge-fields.ts) is not serialised again.
const keys = new WeakMap<object, string>();
function keyOf(query: object): string {
  let key = keys.get(query);
  if (!key) keys.set(query, (key = JSON.stringify(query)));
  return key;
}

/** The part of a loader's key that names the rows read with its rows. */
const joinsKey = (joins: readonly PointedJoin[]) =>
  joins.length ? `+${joins.map(({ table, column }) => `${table}.${column}`).join(",")}` : "";

/** The loader of `shape` in `loaders`, made on first use. */
function loaderOf<Shape, Key, Value>(
  loaders: Map<Shape, DataLoader<Key, Value>>,
  shape: Shape,
  make: () => DataLoader<Key, Value>,
): DataLoader<Key, Value> {
  let loader = loaders.get(shape);
  if (!loader) loaders.set(shape, (loader = make()));
  return loader;
}

export type { PointedKeys, PointedTable } from "./pointed-joins.js";

/**
 * One request's loaders. A class, and each loader made when first asked for: most requests ask for
 * one or two, and a lookup by id spent more CPU making a closure-built set of them than in its loader.
 */
export class Loaders {
  // One loader per distinct query shape, so anchors asking the same question share a statement.
  readonly #edges = new Map<string, DataLoader<number, EdgePage>>();
  readonly #edgeCounts = new Map<string, DataLoader<number, number>>();
  readonly #entitiesAhead = new Map<string, DataLoader<string, Entity | null>>();
  readonly #series = new Map<string, DataLoader<number, (Observation & { indicator: Indicator })[]>>();
  readonly #narrowEntitiesByKey = new Map<RowShape, DataLoader<string, Entity | null>>();
  #entity?: DataLoader<number, Entity | null>;
  #entityByKey?: DataLoader<string, Entity | null>;
  #redirectTarget?: DataLoader<string, Entity | null>;
  #source?: DataLoader<number, Source | null>;
  #relationType?: DataLoader<string, RelationType | null>;
  #degrees?: DataLoader<number, DegreeRow[]>;
  #sourcesOfEntity?: DataLoader<number, Source[]>;
  readonly #rowsBy = new Map<string, DataLoader<number, { id: number }[]>>();
  readonly #rowById = new Map<string, DataLoader<number, unknown>>();
  #policyDetail?: DataLoader<number, PolicyDetail | null>;
  // Rows beneath every parent asked with the same query (src/reads/child-pages.ts), by reader and query.
  readonly #childLoaders = new Map<string, DataLoader<number, unknown[]>>();
  #historyCount?: DataLoader<number, number>;
  #indicatorObservationCount?: DataLoader<number, number>;
  // Rows read ahead for the objects a list's items point at (`preload`), by table and id.
  readonly #known = new Map<PointedTable, Map<number | string, unknown>>();

  constructor(private readonly db: Pick<GraphDatabase, "prisma" | "sql">) {}

  edges(anchorId: number, query: EdgeQuery): Promise<EdgePage> {
    return this.#edgeLoader(query).load(anchorId);
  }

  /** Keeps a page read ahead (`EdgePage.ahead`) as the answer to asking for it; a page already asked for stays. */
  primeEdges(ahead: PageAhead): void {
    this.#edgeLoader(ahead.query).prime(ahead.anchorId, ahead.page);
  }

  #edgeLoader(query: EdgeQuery): DataLoader<number, EdgePage> {
    return loaderOf(
      this.#edges,
      keyOf(query),
      () => new DataLoader((ids) => loadEdgePages(this.db.sql, ids, query, (pointed) => this.#remember(pointed))),
    );
  }

  edgeCount(anchorId: number, query: EdgeCountQuery): Promise<number> {
    const { types, direction, otherKinds, asOf, asOfPossible, distinctOthers } = query;
    const counted = { types, direction, otherKinds, asOf, asOfPossible, distinctOthers };
    return loaderOf(
      this.#edgeCounts,
      JSON.stringify(counted),
      () => new DataLoader((ids) => countEdges(this.db.sql, ids, counted)),
    ).load(anchorId);
  }

  get entity(): DataLoader<number, Entity | null> {
    return (this.#entity ??= rowLoader<Entity, "id">(this.db.sql, "Entity", "id", "int"));
  }

  get entityByKey(): DataLoader<string, Entity | null> {
    return (this.#entityByKey ??= rowLoader<Entity, "key">(this.db.sql, "Entity", "key", "text"));
  }

  /**
   * Entities by key read in `shape` (src/schema/read-ahead/row-selection.ts), with their keys and what tells
   * their type. A narrow row is typed as a whole one and is never kept by another loader: it only
   * reaches the fields its selection was checked for.
   */
  entityByKeyIn(shape: RowShape): DataLoader<string, Entity | null> {
    if (shape === "whole") return this.entityByKey;
    return loaderOf(this.#narrowEntitiesByKey, shape, () => {
      const columns = narrowShape("Entity", [...shape, "key", "adminLevel"]);
      return rowLoader<Entity, "key">(this.db.sql, "Entity", "key", "text", columns === "whole" ? undefined : columns);
    });
  }

  /**
   * Entities by key with the pages `asked` around them read in the same statement
   * (src/schema/read-ahead/edge-fields.ts): those pages are kept by the edges loader.
   */
  entityByKeyAhead(asked: readonly PageAsked[]): DataLoader<string, Entity | null> {
    return loaderOf(
      this.#entitiesAhead,
      keyOf(asked),
      () =>
        new DataLoader(async (keys) => {
          const roots = Prisma.sql`SELECT * FROM "Entity" WHERE key = ANY(${[...keys]}::text[])`;
          const { entities, ahead } = await loadEntitiesAhead(this.db.sql, roots, asked);
          for (const page of ahead) this.primeEdges(page);
          const byKey = new Map(entities.map((entity) => [entity.key, entity]));
          return keys.map((key) => byKey.get(key) ?? null);
        }),
    );
  }

  /** The entity a merged-away key now leads to; asked only after a lookup by key found nothing. */
  get redirectTarget(): DataLoader<string, Entity | null> {
    return (this.#redirectTarget ??= new DataLoader(async (keys) => {
      const rows = await this.db.prisma.entityRedirect.findMany({
        where: { key: { in: [...keys] } },
        include: { target: true },
      });
      const map = new Map(rows.map((row) => [row.key, row.target]));
      return keys.map((key) => map.get(key) ?? null);
    }));
  }

  get source(): DataLoader<number, Source | null> {
    return (this.#source ??= rowLoader<Source, "id">(this.db.sql, "Source", "id", "int"));
  }

  get relationType(): DataLoader<string, RelationType | null> {
    return (this.#relationType ??= rowLoader<RelationType, "key">(this.db.sql, "RelationType", "key", "text"));
  }

  /** Observations of one indicator (key or name) per entity, oldest first. */
  series(indicator: string): DataLoader<number, (Observation & { indicator: Indicator })[]> {
    return loaderOf(
      this.#series,
      indicator,
      () =>
        new DataLoader(async (ids) => {
          const rows = await this.db.prisma.observation.findMany({
            where: { entityId: { in: [...ids] }, indicator: indicatorNamed(indicator) },
            orderBy: [{ periodStart: "asc" }, { id: "asc" }],
            include: { indicator: true },
          });
          return ids.map((id) => rows.filter((row) => row.entityId === id));
        }),
    );
  }

  get degrees(): DataLoader<number, DegreeRow[]> {
    return (this.#degrees ??= new DataLoader((ids) => loadDegrees(this.db.sql, ids)));
  }

  /**
   * The rows of `table` whose `column` is the key asked (an entity's aliases by `entityId`), each
   * key's rows in id order: the related rows beneath every item of a list in one prepared statement,
   * with the rows they point at through `joins` (kept for `pointedRow`).
   */
  rowsBy<Row extends { id: number }>(
    table: Prisma.ModelName,
    column: string,
    joins: readonly PointedJoin[] = [],
  ): DataLoader<number, Row[]> {
    return loaderOf(
      this.#rowsBy,
      `${table}.${column}${joinsKey(joins)}`,
      () =>
        new DataLoader(async (keys: readonly number[]) => {
          const rows = joins.length
            ? await this.#readPointing<Row & Record<string, unknown>>(
                rowsWhereSql(table, column, keys, "int"),
                table as PointingModel,
                joins,
                { prepare: true },
              )
            : await readRows<Row & Record<string, unknown>>(this.db.sql, table, column, keys, "int");
          return groupBy(
            keys,
            rows.sort((a, b) => a.id - b.id),
            (row) => row[column] as number,
          );
        }),
    ) as unknown as DataLoader<number, Row[]>;
  }

  /**
   * The rows of `list` beneath each parent, with the rows they point at through `joins` (kept for
   * `pointedRow`): parents asking for the same list with the same joins share a statement.
   */
  childList<Row>(list: ChildList<Row>, joins: readonly PointedJoin[] = []): DataLoader<number, Row[]> {
    const loader = loaderOf(
      this.#childLoaders,
      `${list.key}${joinsKey(joins)}`,
      () =>
        new DataLoader(async (ids: readonly number[]) => {
          const rows = await this.#readPointing<Row>(list.sql(parentIds(ids)), list.model, joins, {
            extra: list.extra,
            prepare: true,
          });
          return list.group(ids, rows);
        }),
    );
    return loader as DataLoader<number, Row[]>;
  }

  /**
   * A page of a root list (src/reads/list-pages.ts) and, in the same statement, `child` beneath each
   * of the page's first `limit` rows in the direction read (the page reads one more, to tell whether
   * more follow), with the rows they point at through `joins`. The rows beneath are kept as the
   * answers of `childList(child, joins)` for those parents alone, which their field then asks for:
   * one statement where the page and the rows beneath it were two.
   */
  async listPageWith<Parent extends { id: number }, Row>(
    list: ListQuery & { table: ParentTable },
    page: ListPageQuery,
    limit: number,
    child: ChildList<Row>,
    joins: readonly PointedJoin[],
  ): Promise<Parent[]> {
    const read = await readPointingBeneath<Parent, Row>(
      this.db.sql,
      { table: list.table, column: child.parentColumn, sql: listPageSql(list, page, true) },
      child.sql(Prisma.sql`ARRAY(SELECT id FROM parents WHERE abs(ordinal) <= ${limit})`),
      child.model,
      joins,
      { extra: child.extra, prepare: true },
    );
    this.#remember(read.pointed);
    // The ordinal counts in the direction read (negated backwards): its size is the place from the cursor.
    const ids = read.parents.filter(({ ordinal }) => Math.abs(ordinal) <= limit).map(({ row }) => row.id);
    const groups = child.group(ids, read.rows);
    const loader = this.childList(child, joins);
    ids.forEach((id, i) => {
      loader.prime(id, groups[i]!);
    });
    return read.parents.map(({ row }) => row);
  }

  /** Rows of a child statement, the rows they point at through `joins` kept for `pointedRow`. */
  async #readPointing<Row>(
    child: Prisma.Sql,
    model: PointingModel,
    joins: readonly PointedJoin[],
    options?: Parameters<typeof readPointing>[4],
  ): Promise<Row[]> {
    const { rows, pointed } = await readPointing<Row>(this.db.sql, child, model, joins, options);
    this.#remember(pointed);
    return rows;
  }

  #remember(pointed: readonly PointedRows[]): void {
    for (const { table, rows } of pointed) {
      const known = this.#knownOf(table);
      const key = keyColumn(table);
      for (const row of rows) known.set((row as Record<string, number | string>)[key]!, row);
    }
  }

  /** One row of `table` by id (an observation's indicator, an entry's ranking). */
  rowById<Row>(table: Prisma.ModelName): DataLoader<number, Row | null> {
    return loaderOf(this.#rowById, table, () =>
      rowLoader<{ id: number }, "id">(this.db.sql, table, "id", "int"),
    ) as unknown as DataLoader<number, Row | null>;
  }

  /**
   * Reads the rows of `table` with these ids through their loaders (one statement for every caller
   * of the same tick) and keeps them for `pointedRow`: the objects every item of a list points at
   * (its observations' indicators and sources), read before the items are answered, so that each
   * item's field answers at once rather than through a promise per item.
   */
  async preload<Table extends PointedTable>(table: Table, ids: Iterable<PointedKeys[Table]>): Promise<void> {
    const known = this.#knownOf(table);
    const wanted = [...new Set(ids)].filter((id) => !known.has(id));
    if (!wanted.length) return;
    const rows = await this.#pointedLoader(table).loadMany(wanted);
    wanted.forEach((id, i) => {
      const row = rows[i];
      if (row && !(row instanceof Error)) known.set(id, row);
    });
  }

  /**
   * Keeps a whole row already at hand for `pointedRow`: the parent a list hangs from (a ranking, for
   * its entries), which every item of the list points back at, so that `preload` need not read it.
   */
  keep<Table extends PointedTable>(table: Table, id: PointedKeys[Table], row: unknown): void {
    this.#knownOf(table).set(id, row);
  }

  #knownOf(table: PointedTable): Map<number | string, unknown> {
    let known = this.#known.get(table);
    if (!known) this.#known.set(table, (known = new Map()));
    return known;
  }

  /** The row of `table` with this id: at once when `preload` read it, else through its loader. */
  pointedRow<Row, Table extends PointedTable = PointedTable>(table: Table, id: PointedKeys[Table]): Row | Promise<Row> {
    const known = this.#known.get(table)?.get(id);
    // Every pointer is a foreign key: the row exists while the one pointing at it does.
    return (known ?? this.#pointedLoader(table).load(id)) as Row | Promise<Row>;
  }

  #pointedLoader(table: PointedTable): DataLoader<number | string, unknown> {
    const loader =
      table === "Entity"
        ? this.entity
        : table === "Source"
          ? this.source
          : table === "RelationType"
            ? this.relationType
            : this.rowById(table);
    return loader as DataLoader<number | string, unknown>;
  }

  /** An entity's ranking entries, of one topic or all (`null`). */
  entityRankingEntries(
    entityId: number,
    topic: string | null,
    joins: readonly PointedJoin[] = [],
  ): Promise<RankingEntry[]> {
    return this.childList(entityRankingEntries(topic), joins).load(entityId);
  }

  /** A policy's own details, by its entity id. */
  get policyDetail(): DataLoader<number, PolicyDetail | null> {
    return (this.#policyDetail ??= rowLoader<PolicyDetail, "entityId">(this.db.sql, "PolicyDetail", "entityId", "int"));
  }

  /** A page of an entity's history (src/reads/child-pages.ts), every entity of a list in one statement. */
  historyPage(entityId: number, page: ChildPageQuery): Promise<Change[]> {
    return this.#childRows("historyPage", page, (ids) => loadHistoryPages(this.db.sql, ids, page)).load(entityId);
  }

  get historyCount(): DataLoader<number, number> {
    return (this.#historyCount ??= new DataLoader((ids) => countHistories(this.db.sql, ids)));
  }

  get indicatorObservationCount(): DataLoader<number, number> {
    return (this.#indicatorObservationCount ??= new DataLoader((ids) => countIndicatorObservations(this.db.sql, ids)));
  }

  /** The loader of `reader`'s rows for one `query`, made on first use: parents asking alike share a statement. */
  #childRows<Row>(
    reader: string,
    query: unknown,
    load: (ids: readonly number[]) => Promise<Row[][]>,
  ): DataLoader<number, Row[]> {
    const loader = loaderOf(this.#childLoaders, `${reader}:${JSON.stringify(query)}`, () => new DataLoader(load));
    return loader as DataLoader<number, Row[]>;
  }

  get sourcesOfEntity(): DataLoader<number, Source[]> {
    return (this.#sourcesOfEntity ??= new DataLoader((ids) => loadSourcesOfEntities(this.db.sql, ids)));
  }
}

export function createLoaders(db: Pick<GraphDatabase, "prisma" | "sql">): Loaders {
  return new Loaders(db);
}
