// Pages of edges around many entities in one statement: a LATERAL page per anchor entity, the
// entity at the far end returned in the same row. Hot and fixed-shape, so written as SQL: one
// statement per traversal level, whatever the number of anchors or the degree of a hub, and one for
// several levels when the level above knows what the levels beneath will ask (`EdgeQuery.next`).
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import type { SqlReader, Table } from "../db/sql-reader.js";
import {
  columnNames,
  columnPicker,
  entityPicker,
  prefixedEntityColumns,
  relationshipColumns,
  relationshipPicker,
  widestShape,
  type RowShape,
} from "./entity-rows.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { readPointingTable, type PointedJoin, type PointedRows } from "./pointed-joins.js";

export type Direction = "OUTGOING" | "INCOMING" | "BOTH";

export interface EdgeQuery {
  types?: readonly string[] | null;
  direction: Direction;
  /** Only edges whose far end is of one of these kinds. */
  otherKinds?: readonly EntityKind[] | null;
  /** Only edges certainly valid on this day (see `edgeConditions`); open ends allowed. */
  asOf?: Date | null;
  /** With `asOf`: also edges that may have been valid then (a bounded start that may lie before it). */
  asOfPossible?: boolean;
  /**
   * Each far end once, by the first (lowest id) of its matching relationships: for fields that list
   * entities, not relationships (a place's policies, where one policy may be both issued by and apply
   * to the place). Decided in the statement, so pages, cursors (that relationship's id) and counts
   * all see the same edges.
   */
  distinctOthers?: boolean;
  /** Page size; null loads every matching edge (bounded typed traversals). */
  limit: number | null;
  /** Relationship id after which the page starts. */
  afterId?: number | null;
  /**
   * Relationship id before which the page ends: the page is the `limit` edges just before it, read
   * backwards (`hasNextPage` then says more lie before them). Such a page reads nothing ahead.
   */
  beforeId?: number | null;
  /** Only the columns the selection reads (src/reads/entity-rows.ts); whole rows by default. */
  shapes?: EdgeShapes;
  /**
   * Pages the far ends of this page will be asked for (src/schema/read-ahead/edge-fields.ts), read in the same
   * statement and handed back as `EdgePage.ahead`.
   */
  next?: readonly PageAsked[];
  /**
   * What the relationships point at (their ends, source, type) to read in the page's own statement
   * (src/reads/pointed-joins.ts), handed to `loadEdgePages`'s `keep`. A statement that reads levels
   * ahead leaves them to the loaders.
   */
  pointed?: readonly PointedJoin[];
}

/**
 * A page to read ahead around far ends (or looked-up entities), of these kinds only when the field
 * asking for it sits under a type condition (`... on Company { brands }`): no other far end will
 * ask, and none gets a page it might later be taken to have.
 */
export interface PageAsked {
  query: EdgeQuery;
  /** null: every kind. */
  kinds: readonly EntityKind[] | null;
}

/** The shape of each row an edge holds: its relationship's and its far end's. */
export interface EdgeShapes {
  relationship: RowShape;
  other: RowShape;
}

const wholeShapes: EdgeShapes = { relationship: "whole", other: "whole" };

export interface Edge {
  relationship: Relationship;
  /** OUTGOING when the anchor is the relationship's `from`. */
  direction: "OUTGOING" | "INCOMING";
  other: Entity;
}

export interface EdgePage {
  edges: Edge[];
  hasNextPage: boolean;
  /** The shapes its rows were read in: only whole far ends may stand in for the entity loader's rows. */
  shapes: EdgeShapes;
  /** The pages of its far ends that its query's `next` asked for, read in the same statement. */
  ahead: PageAhead[];
}

/** A page read ahead for a far end: exactly what `loadEdgePages(…, [anchorId], query)` would read. */
export interface PageAhead {
  anchorId: number;
  query: EdgeQuery;
  page: EdgePage;
}

/** What a count depends on: not the page's size or start. */
export type EdgeCountQuery = Omit<EdgeQuery, "limit" | "afterId" | "beforeId" | "shapes" | "next">;

const otherPrefix = "other.";
const pickAnchor = columnPicker<number>("anchorId");
const pickDirection = columnPicker<Edge["direction"]>("edgeDirection");

/**
 * Relationships of these types. One type is compared with `=`, so that the (end, type, id) index
 * yields edges in id order and a page stops early; `= ANY` reads every edge of the type and sorts.
 */
export function typeCondition(types: readonly string[]): Prisma.Sql {
  return types.length === 1
    ? Prisma.sql`r."typeKey" = ${types[0]}`
    : Prisma.sql`r."typeKey" = ANY(${[...types]}::text[])`;
}

/** Which edges a walk may follow (neighbourhoods, paths): of these types, valid on that date. */
export interface EdgeFilter {
  types?: readonly string[] | null;
  asOf?: Date | null;
  asOfPossible?: boolean;
}

/** The last day of a stored partial date's period ("2025" ends on 2025-12-31). */
const periodEnd = (date: string, precision: string) =>
  `(CASE ${precision} WHEN 'YEAR' THEN (${date} + interval '1 year' - interval '1 day')::date
    WHEN 'MONTH' THEN (${date} + interval '1 month' - interval '1 day')::date ELSE ${date} END)`;

/**
 * When a relationship's start is certain by `asOf`: an EXACT start on or before it (from the first
 * day of its period, as dates always counted); a NOT_AFTER start whose whole period has passed; a
 * NOT_BEFORE start once the source reporting it had been published (the article's date is the
 * latest it can have begun), in full. With `possible`, any start that may lie on or before `asOf`:
 * every NOT_AFTER start, and the others from their first day.
 */
function startCondition(alias: string, asOf: Date, possible: boolean): Prisma.Sql {
  const r = Prisma.raw(alias);
  if (possible)
    return Prisma.sql`(${r}."validFrom" IS NULL OR ${r}."validFromBound" = 'NOT_AFTER' OR ${r}."validFrom" <= ${asOf}::date)`;
  const fromEnd = Prisma.raw(periodEnd(`${alias}."validFrom"`, `${alias}."validFromPrecision"::text`));
  const publishedEnd = Prisma.raw(periodEnd(`s."publishedOn"`, `s."publishedPrecision"::text`));
  return Prisma.sql`(${r}."validFrom" IS NULL
    OR (${r}."validFromBound" = 'EXACT' AND ${r}."validFrom" <= ${asOf}::date)
    OR (${r}."validFromBound" = 'NOT_AFTER' AND ${fromEnd} <= ${asOf}::date)
    OR (${r}."validFromBound" = 'NOT_BEFORE' AND ${r}."validFrom" <= ${asOf}::date
      AND EXISTS (SELECT 1 FROM "Source" s WHERE s.id = ${r}."sourceId" AND s."publishedOn" IS NOT NULL
        AND ${publishedEnd} <= ${asOf}::date)))`;
}

/** The condition on `r` (or another alias of a relationship) that `filter` sets. */
export function edgeConditions(filter: EdgeFilter, alias = "r"): Prisma.Sql {
  const r = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (filter.types?.length)
    parts.push(
      alias === "r" ? typeCondition(filter.types) : Prisma.sql`${r}."typeKey" = ANY(${[...filter.types]}::text[])`,
    );
  if (filter.asOf) {
    parts.push(startCondition(alias, filter.asOf, filter.asOfPossible === true));
    parts.push(Prisma.sql`(${r}."validTo" IS NULL OR ${r}."validTo" >= ${filter.asOf}::date)`);
  }
  return Prisma.join(parts, " AND ");
}

/** No earlier relationship of the query links the anchor to the same far end `o` (`distinctOthers`). */
function firstLink(query: EdgeCountQuery): Prisma.Sql {
  const ends = directions(query).map((direction) =>
    direction === "OUTGOING"
      ? Prisma.sql`(f."fromId" = p.anchor AND f."toId" = o.id)`
      : Prisma.sql`(f."toId" = p.anchor AND f."fromId" = o.id)`,
  );
  return Prisma.sql`NOT EXISTS (SELECT 1 FROM "Relationship" f WHERE f.id < r.id AND (${Prisma.join(ends, " OR ")}) AND ${edgeConditions(query, "f")})`;
}

/**
 * One direction of the edges around `p.anchor`, far end joined. Each direction is its own branch so
 * that PostgreSQL walks an index in id order and stops at the page size, even around a hub.
 */
function branch(
  direction: "OUTGOING" | "INCOMING",
  query: EdgeCountQuery,
  columns: Prisma.Sql,
  tail: Prisma.Sql,
  types: readonly string[] | null | undefined = query.types,
): Prisma.Sql {
  const [anchorColumn, otherColumn] = direction === "OUTGOING" ? ["fromId", "toId"] : ["toId", "fromId"];
  const parts = [Prisma.sql`r.${Prisma.raw(`"${anchorColumn}"`)} = p.anchor`];
  // A self-loop is reported once, as outgoing.
  if (direction === "INCOMING" && query.direction === "BOTH") parts.push(Prisma.sql`r."fromId" <> p.anchor`);
  if (types?.length || query.asOf) parts.push(edgeConditions({ ...query, types }));
  if (query.otherKinds?.length) parts.push(Prisma.sql`o.kind::text = ANY(${[...query.otherKinds]}::text[])`);
  if (query.distinctOthers) parts.push(firstLink(query));
  return Prisma.sql`SELECT ${columns} FROM "Relationship" r JOIN "Entity" o ON o.id = r.${Prisma.raw(`"${otherColumn}"`)}
    WHERE ${Prisma.join(parts, " AND ")} ${tail}`;
}

function directions(query: EdgeCountQuery): ("OUTGOING" | "INCOMING")[] {
  return query.direction === "BOTH" ? ["OUTGOING", "INCOMING"] : [query.direction];
}

/** One page per anchor, both directions merged, in id order; each row carries `columns`. */
function pageSql(query: EdgeQuery, columns: (direction: "OUTGOING" | "INCOMING") => Prisma.Sql): Prisma.Sql {
  const limit = query.limit === null ? Prisma.empty : Prisma.sql`LIMIT ${query.limit + 1}`;
  const backward = query.beforeId != null;
  const order = Prisma.raw(backward ? "DESC" : "");
  const range = backward ? Prisma.sql`AND r.id < ${query.beforeId}` : Prisma.sql`AND r.id > ${query.afterId ?? 0}`;
  // Several types read one by one: the (anchor, type, id) index gives each type's edges in id order,
  // so every branch stops at the page and the merge reads no further; walked for all the types at
  // once, the edges come in no order, and a hub's (a province's 6,902 policy links) were all read
  // and sorted for a page of ten. One branch per direction and type, then.
  const typeGroups = query.types && query.types.length > 1 ? query.types.map((type) => [type]) : [query.types];
  const branches = directions(query).flatMap((direction) =>
    typeGroups.map((types) =>
      branch(direction, query, columns(direction), Prisma.sql`${range} ORDER BY r.id ${order} ${limit}`, types),
    ),
  );
  // The branches are merged into one page; a single one is the page already.
  return branches.length === 1
    ? branches[0]!
    : Prisma.sql`SELECT * FROM (${Prisma.join(
        branches.map((b) => Prisma.sql`(${b})`),
        " UNION ALL ",
      )}) edges ORDER BY id ${order} ${limit}`;
}

const edgeColumns = (shapes: EdgeShapes) => (direction: "OUTGOING" | "INCOMING") =>
  Prisma.sql`${relationshipColumns("r", shapes.relationship)}, ${direction}::text AS "edgeDirection", ${prefixedEntityColumns("o", otherPrefix, shapes.other)}`;

/** The pages a level's rows fill, one per anchor, empty until its rows are read. */
function emptyPages(anchorIds: Iterable<number>, shapes: EdgeShapes): Map<number, EdgePage> {
  const pages = new Map<number, EdgePage>();
  for (const id of anchorIds) pages.set(id, { edges: [], hasNextPage: false, shapes, ahead: [] });
  return pages;
}

/** Fills `pages` from the rows of `table` that `rows` selects, in the page's shapes, then cuts each page to the limit. */
function fillPages(table: Table, rows: Iterable<unknown[]>, pages: Map<number, EdgePage>, query: EdgeQuery): void {
  const shapes = query.shapes ?? wholeShapes;
  const [anchorOf, directionOf, relationshipOf, otherOf] = [
    pickAnchor(table),
    pickDirection(table),
    relationshipPicker(shapes.relationship)(table),
    entityPicker(otherPrefix, shapes.other)(table),
  ];
  for (const row of rows) {
    pages
      .get(anchorOf(row))!
      .edges.push({ relationship: relationshipOf(row), direction: directionOf(row), other: otherOf(row) });
  }
  if (query.limit === null) return;
  for (const page of pages.values()) {
    if (page.edges.length > query.limit) {
      page.edges.length = query.limit;
      page.hasNextPage = true;
    }
  }
}

/** The names of the columns `edgeColumns` gives each row, with its anchor's id first. */
const edgeColumnNames = (shapes: EdgeShapes) => [
  "anchorId",
  ...columnNames("Relationship", shapes.relationship),
  "edgeDirection",
  ...columnNames("Entity", shapes.other).map((column) => otherPrefix + column),
];

/** A page per anchor; `keep` takes the rows `query.pointed` brought. */
export async function loadEdgePages(
  sql: SqlReader,
  anchorIds: readonly number[],
  query: EdgeQuery,
  keep: (pointed: readonly PointedRows[]) => void = () => {},
): Promise<EdgePage[]> {
  const backward = query.beforeId != null;
  if (query.next?.length && !backward) return loadEdgePagesAhead(sql, anchorIds, query);
  const shapes = query.shapes ?? wholeShapes;
  const statement = Prisma.sql`
    SELECT p.anchor AS "anchorId", e.*
    FROM unnest(${[...anchorIds]}::int[]) AS p(anchor)
    CROSS JOIN LATERAL (${pageSql(query, edgeColumns(shapes))}) e
    ORDER BY p.anchor, e.id ${Prisma.raw(backward ? "DESC" : "")}`;
  let table: Table;
  if (query.pointed?.length) {
    const read = await readPointingTable(sql, statement, edgeColumnNames(shapes), query.pointed, { prepare: true });
    keep(read.pointed);
    table = read.table;
    // The union keeps no order: each anchor's edges are put back in the order they were read.
    const idOf = columnPicker<number>("id")(table);
    table.rows.sort(backward ? (a, b) => idOf(b) - idOf(a) : (a, b) => idOf(a) - idOf(b));
  } else {
    table = await sql.table(statement, { prepare: true });
  }
  const pages = emptyPages(anchorIds, shapes);
  fillPages(table, table.rows, pages, query);
  // Read nearest first, so that the cut keeps the edges just before the cursor; shown in id order.
  if (backward) for (const page of pages.values()) page.edges.reverse();
  return anchorIds.map((id) => pages.get(id)!);
}

/** A query of a statement that reads several levels, the level whose far ends anchor it, and of which kinds. */
interface Level extends PageAsked {
  parent: number | null;
}

function levelsOf({ query, kinds }: PageAsked, parent: number | null = null, levels: Level[] = []): Level[] {
  const index = levels.push({ query, kinds, parent }) - 1;
  for (const next of query.next ?? []) levelsOf(next, index, levels);
  return levels;
}

const ofKinds = (kinds: readonly EntityKind[] | null) => (entity: Pick<Entity, "kind">) =>
  !kinds || kinds.includes(entity.kind);

/** Every column any level reads: one column list serves every level's rows. */
function widest(levels: readonly Level[]): EdgeShapes {
  const shapes = levels.map((level) => level.query.shapes ?? wholeShapes);
  return {
    relationship: widestShape(
      "Relationship",
      shapes.map((shape) => shape.relationship),
    ),
    other: widestShape(
      "Entity",
      shapes.map((shape) => shape.other),
    ),
  };
}

/**
 * A page per anchor and, in the same statement, the pages `query.next` asks of their far ends (and
 * so on down). Every page is read as `loadEdgePages` would read it alone, so each can stand in for
 * that read; a far end with no edges gets its empty page.
 */
async function loadEdgePagesAhead(sql: SqlReader, anchorIds: readonly number[], query: EdgeQuery): Promise<EdgePage[]> {
  const { pages } = await readLevels(sql, levelsOf({ query, kinds: null }), { anchorIds });
  return anchorIds.map((id) => pages[0]!.get(id)!);
}

/** Entities (by key or by name), and the pages around them read in the same statement. */
export interface EntitiesAhead {
  entities: Entity[];
  ahead: PageAhead[];
}

/**
 * The entities `roots` selects (whole rows, `SELECT * FROM "Entity" …`), in id order, and in the same
 * statement the pages `asked` around those of its kinds (and their `next`, down): the start of a
 * traversal and its levels at once.
 */
export async function loadEntitiesAhead(
  sql: SqlReader,
  roots: Prisma.Sql,
  asked: readonly PageAsked[],
): Promise<EntitiesAhead> {
  const levels: Level[] = [];
  for (const page of asked) levelsOf(page, null, levels);
  const { entities, pages } = await readLevels(sql, levels, { roots });
  entities.sort((a, b) => a.id - b.id);
  const ahead = levels.flatMap(({ query, kinds, parent }, index) =>
    parent === null
      ? entities
          .filter(ofKinds(kinds))
          .map((entity) => ({ anchorId: entity.id, query, page: pages[index]!.get(entity.id)! }))
      : [],
  );
  return { entities, ahead };
}

const rootPrefix = "root.";
const pickRoot = entityPicker(rootPrefix);

/**
 * Reads `levels` in one statement, each a CTE whose anchors are the far ends its parent's pages keep
 * (as far as those pages go), the top levels anchored at `anchorIds`, or at the entities `roots` selects,
 * which come back too, under `root.` names in rows of their own. Each level's pages, with the pages
 * read for their far ends as their `ahead`.
 */
async function readLevels(
  sql: SqlReader,
  levels: readonly Level[],
  top: { anchorIds: readonly number[] } | { roots: Prisma.Sql },
): Promise<{ entities: Entity[]; pages: Map<number, EdgePage>[] }> {
  const shapes = widest(levels);
  const columns = edgeColumns(shapes);
  const root = "roots" in top ? Prisma.sql`root AS (${top.roots})` : null;
  const ctes = levels.map(({ query, kinds, parent }, index) => {
    const anchors =
      parent !== null
        ? farEndsSql(`l${parent}`, levels[parent]!.query.limit, kinds)
        : "roots" in top
          ? Prisma.sql`(SELECT id FROM root${kinds ? Prisma.sql` WHERE kind::text = ANY(${[...kinds]}::text[])` : Prisma.empty})`
          : Prisma.sql`unnest(${[...top.anchorIds]}::int[])`;
    return Prisma.sql`${Prisma.raw(`l${index}`)} AS (
      SELECT p.anchor AS "anchorId", e.* FROM ${anchors} AS p(anchor) CROSS JOIN LATERAL (${pageSql(query, columns)}) e)`;
  });
  // The entities' rows and the edges' rows side by side, each part's columns empty in the other's
  // rows. The entities come first: UNION types a column from its parts left to right, and a column
  // that is NULL in the first two parts would be typed text.
  const parts = levels.map((_level, index) =>
    Prisma.raw(
      `SELECT ${index} AS "level", l${index}.*${
        root
          ? columnNames("Entity", "whole")
              .map(() => ", NULL")
              .join("")
          : ""
      } FROM l${index}`,
    ),
  );
  if (root) {
    const edgeNames = edgeColumnNames(shapes);
    parts.unshift(
      Prisma.sql`SELECT -1 AS "level", ${Prisma.raw(edgeNames.map((name) => `NULL AS "${name}"`).join(", "))}, ${prefixedEntityColumns("root", rootPrefix)} FROM root`,
    );
  }
  const table = await sql.table(
    Prisma.sql`WITH ${Prisma.join(root ? [root, ...ctes] : ctes, ", ")}
    ${Prisma.join(parts, " UNION ALL ")}
    ORDER BY "level", "anchorId", id`,
    { prepare: true },
  );

  const levelOf = columnPicker<number>("level")(table);
  const rowsOf = levels.map((): unknown[][] => []);
  const entities: Entity[] = [];
  const rootOf = root ? pickRoot(table) : null;
  for (const row of table.rows) {
    const level = levelOf(row);
    if (level < 0) entities.push(rootOf!(row));
    else rowsOf[level]!.push(row);
  }
  const pages: Map<number, EdgePage>[] = [];
  levels.forEach(({ query, kinds, parent }, index) => {
    // A level's anchors are as its CTE chose them: the far ends its parent's pages kept, or the
    // entities found, of its kinds.
    const wanted = ofKinds(kinds);
    const anchors =
      parent !== null
        ? new Set(
            [...pages[parent]!.values()].flatMap((page) =>
              page.edges.filter((edge) => wanted(edge.other)).map((edge) => edge.other.id),
            ),
          )
        : "roots" in top
          ? entities.filter(wanted).map((entity) => entity.id)
          : top.anchorIds;
    const levelPages = emptyPages(anchors, query.shapes ?? wholeShapes);
    fillPages(table, rowsOf[index]!, levelPages, query);
    pages.push(levelPages);
    if (parent === null) return;
    for (const page of pages[parent]!.values()) {
      for (const edge of page.edges) {
        if (wanted(edge.other))
          page.ahead.push({ anchorId: edge.other.id, query, page: levelPages.get(edge.other.id)! });
      }
    }
  });
  return { entities, pages };
}

/** The distinct far ends of a level's pages (of `kinds`), each page cut to its limit as `fillPages` cuts it. */
function farEndsSql(level: string, limit: number | null, kinds: readonly EntityKind[] | null): Prisma.Sql {
  const ofKind = kinds ? Prisma.sql`"other.kind"::text = ANY(${[...kinds]}::text[])` : null;
  if (limit === null)
    return Prisma.sql`(SELECT DISTINCT "other.id" FROM ${Prisma.raw(level)}${ofKind ? Prisma.sql` WHERE ${ofKind}` : Prisma.empty})`;
  return Prisma.sql`(SELECT DISTINCT ranked."other.id" FROM (
      SELECT "other.id", "other.kind", row_number() OVER (PARTITION BY "anchorId" ORDER BY id) AS rank FROM ${Prisma.raw(level)}) ranked
    WHERE ranked.rank <= ${limit}${ofKind ? Prisma.sql` AND ${ofKind}` : Prisma.empty})`;
}

/**
 * How many edges match around each anchor. Asked only when a client selects `totalCount`: around a
 * hub it reads every matching edge, which a page never does.
 */
export async function countEdges(
  sql: SqlReader,
  anchorIds: readonly number[],
  query: EdgeCountQuery,
): Promise<number[]> {
  const counts = directions(query).map(
    (direction) => Prisma.sql`(${branch(direction, query, Prisma.sql`count(*)::int`, Prisma.empty)})`,
  );
  const rows = await sql.query<{ anchorId: number; total: number }>(
    Prisma.sql`
    SELECT p.anchor AS "anchorId", ${Prisma.join(counts, " + ")} AS total FROM unnest(${[...anchorIds]}::int[]) AS p(anchor)`,
    { prepare: true },
  );
  const totals = new Map(rows.map((row) => [row.anchorId, row.total]));
  return anchorIds.map((id) => totals.get(id) ?? 0);
}
