// Page sizes for every connection, with explicit errors instead of the silent clamping Pothos does,
// and the one way a connection pages through rows by id cursor (src/schema/cursors.ts).
import type { Context } from "../context.js";
import { UserInputError } from "../errors.js";
import { countList, type ListQuery, loadListPage } from "../reads/list-pages.js";
import type { ParentTable } from "../reads/pointed-joins.js";
import { cursorId, idCursor } from "./cursors.js";
import { DEFAULT_PAGE_SIZE } from "./page-size.js";
import { childListAhead } from "./read-ahead/child-lists.js";
import type { FieldSelection } from "./read-ahead/per-selection.js";

export const MAX_PAGE_SIZE = 100;
/** Entities a plain list of linked entities answers at most without `first` (src/schema/relationships.ts, linkedField). */
export const LINKED_LIST_MAX = 500;

interface PageArgs {
  first?: number | null;
  last?: number | null;
}

/** Validates `first`/`last` and returns the page size to load. */
export function pageSize(args: PageArgs): number {
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value == null) continue;
    if (value < 0 || value > MAX_PAGE_SIZE) {
      throw new UserInputError(
        `Argument "${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}.`,
        "PAGE_SIZE_OUT_OF_RANGE",
        {
          argument: name,
          min: 0,
          max: MAX_PAGE_SIZE,
        },
      );
    }
  }
  return args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
}

/** Pothos' `maxSize` hook runs before any query: the place to reject an out-of-range page. */
export function checkedMaxSize(args: PageArgs): number {
  pageSize(args);
  return MAX_PAGE_SIZE;
}

export interface RowPageArgs extends PageArgs {
  after?: string | null;
  before?: string | null;
}

/** A page of rows asked for by a connection's arguments: forwards from `after`, or backwards from `before`. */
export interface RowPage {
  /** Rows the page holds at most. */
  limit: number;
  backward: boolean;
  /** The id of the row the page continues from (itself excluded). */
  cursorId?: number;
  /** Rows to read, one more than the page holds to tell whether more follow; negative backwards. */
  take: number;
}

/** The page a connection's arguments ask for: one direction at a time, sizes and cursors checked. */
export function rowPage(args: RowPageArgs): RowPage {
  const limit = pageSize(args);
  const backward = args.last != null || args.before != null;
  if (backward && (args.first != null || args.after != null)) {
    throw new UserInputError(
      "Page forwards (first, after) or backwards (last, before), not both at once.",
      "BAD_USER_INPUT",
    );
  }
  const cursor = backward ? args.before : args.after;
  return {
    limit,
    backward,
    cursorId: cursor ? cursorId(cursor) : undefined,
    take: backward ? -(limit + 1) : limit + 1,
  };
}

/** The connection of rows read for `page` (in list order, at most one more than it holds). */
export function rowConnection<Row extends { id: number }>(rows: readonly Row[], page: RowPage) {
  const more = rows.length > page.limit;
  const kept = page.backward ? rows.slice(more ? 1 : 0) : rows.slice(0, page.limit);
  return edgesConnection(
    kept.map((node) => new Edge(node.id, node)),
    page,
    more,
  );
}

/**
 * An edge of a page: its node, and its cursor, encoded only when asked for. One class for every edge,
 * its cursor a getter of the prototype: an object literal with a getter made a new function for each
 * edge of each page.
 */
class Edge<Node> {
  constructor(
    /** The id of the row the cursor names. */
    readonly id: number,
    readonly node: Node,
  ) {}

  get cursor(): string {
    return idCursor(this.id);
  }
}

/**
 * The connection of a page's `edges`, each with the id of the row its cursor names, `more` telling
 * whether rows lie past the page in its direction. Past a cursor lies at least the row it names.
 */
export function pageConnection<Node>(
  edges: readonly { id: number; node: Node }[],
  page: Pick<RowPage, "backward" | "cursorId">,
  more: boolean,
) {
  return edgesConnection(
    edges.map(({ id, node }) => new Edge(id, node)),
    page,
    more,
  );
}

function edgesConnection<Node>(edges: Edge<Node>[], page: Pick<RowPage, "backward" | "cursorId">, more: boolean) {
  const fromCursor = page.cursorId !== undefined;
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: page.backward ? more : fromCursor,
      hasNextPage: page.backward ? fromCursor : more,
    },
  };
}

/** The root lists whose page can bring a list beneath its items in the same statement. */
const parentTables: ReadonlySet<string> = new Set<ParentTable>(["Entity", "Indicator", "Ranking", "Source"]);
const isParentList = (list: ListQuery): list is ListQuery & { table: ParentTable } => parentTables.has(list.table);

/**
 * A page of a root list (src/reads/list-pages.ts) as its connection, in one prepared statement
 * whatever the filter or the selection; the count only when asked. When its items' selection (`info`)
 * asks for a list of their own that can be read with the page (src/schema/read-ahead/child-lists.ts),
 * that list comes in the same statement.
 */
export async function listConnection<Row extends { id: number }>(
  ctx: Pick<Context, "sql" | "loaders">,
  args: RowPageArgs,
  list: ListQuery,
  info?: FieldSelection,
) {
  const page = rowPage(args);
  const query = { cursorId: page.cursorId, take: page.take };
  const parents = isParentList(list) ? list : null;
  const ahead = info && parents ? childListAhead(info, ["edges", "node"]) : null;
  const rows =
    parents && ahead
      ? await ctx.loaders.listPageWith<Row, unknown>(parents, query, page.limit, ahead.list, ahead.joins)
      : await loadListPage<Row>(ctx.sql, list, query);
  return { ...rowConnection(rows, page), totalCount: () => countList(ctx.sql, list) };
}
