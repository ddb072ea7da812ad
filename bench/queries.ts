// The query mix: for each query, the request each system gets (its own equivalent of ours, in its own
// schema) and a canonical form of the answer, so that answers can be compared across systems. Where a
// peer has no equivalent the query is "n/a" for it, with the reason; where its closest equivalent is
// not the same request shape, the note says how it differs.
import { normalizeName } from "../src/names.js";
import type { EntityRef, Fixtures, PathPair, SearchCase } from "./fixtures.js";
import { typeNameOfKind } from "../src/schema/type-names.js";
import type { EntityKind } from "../src/generated/prisma/enums.js";

export const systems = ["ours", "ours-cached", "postgraphile", "pothos-textbook", "naive", "floor"] as const;
export type SystemName = (typeof systems)[number];

export const systemTitles: Record<SystemName, string> = {
  ours: "ours (Yoga + Pothos + Prisma), response cache off",
  "ours-cached": "ours with its response cache on (in memory), every request after the first a hit",
  postgraphile: "PostGraphile 5 (amber)",
  "pothos-textbook": "Pothos textbook (Yoga + Pothos + plugin-prisma + plugin-relay, as documented)",
  naive: "naive (Yoga + Prisma, no batching)",
  floor: "floor (pg, no GraphQL)",
};

export const queryNames = [
  "lookup_id",
  "lookup_name",
  "traversal",
  "connection_deep",
  "neighborhood",
  "paths",
  "paths_deep",
  "search",
  "search_exact",
  "search_prefix",
  "search_chinese",
] as const;
export type QueryName = (typeof queryNames)[number];

export const queryTitles: Record<QueryName, string> = {
  lookup_id: "lookup by id",
  lookup_name: "lookup by name",
  traversal: "3-level traversal",
  connection_deep: "connection page, deep",
  neighborhood: "neighbourhood, depth 2",
  paths: "shortest path",
  paths_deep: "shortest path, 3 hops",
  search: "search, typo",
  search_exact: "search, exact name",
  search_prefix: "search, prefix",
  search_chinese: "search, Chinese",
};

/** What a system is asked: POST `path` (relative to its base URL) with this JSON body. */
export interface HttpRequest {
  path: string;
  body: string;
}

/** Per-system values found at start-up (PostGraphile's node ids and cursor). */
export type SystemContext = Record<string, string>;

export interface SystemQuery {
  /** How this system's request differs from ours, when it does. */
  note?: string;
  request(fixtures: Fixtures, context: SystemContext): HttpRequest;
  /** The answer in a form every system shares; throws when the body is not an answer. */
  canonical(body: any, fixtures: Fixtures): unknown;
}

export type QueryPlan = SystemQuery | { na: string };

// ---------------------------------------------------------------------------------------------
// Helpers

/** Our global ids: base64("<Type>:<key>"). */
export const ourId = (entity: Pick<EntityRef, "kind" | "key">) =>
  Buffer.from(`${typeNameOfKind[entity.kind as EntityKind]}:${entity.key}`).toString("base64");
const keyOfOurId = (id: string) =>
  Buffer.from(id, "base64")
    .toString("utf8")
    .replace(/^[^:]+:/, "");
/** The textbook peer's global ids: plugin-relay's default, base64("Entity:<key>"). */
const textbookId = (entity: Pick<EntityRef, "key">) => Buffer.from(`Entity:${entity.key}`).toString("base64");
/** Our cursor for a cities page: plugin-prisma's cursor over the id column. */
export const ourCityCursor = (id: number) => Buffer.from(`GPC:N:${id}`).toString("base64");

export const graphql = (query: string, variables: Record<string, unknown>): HttpRequest => ({
  path: "/graphql",
  body: JSON.stringify({ query: query.replace(/\s+/g, " ").trim(), variables }),
});
const floor = (name: QueryName, variables: Record<string, unknown>): HttpRequest => ({
  path: `/${name}`,
  body: JSON.stringify(variables),
});

/** The data of a GraphQL answer; a GraphQL error or a missing answer fails verification. */
export function data(body: any): any {
  if (!body || typeof body !== "object") throw new Error(`not a JSON object: ${JSON.stringify(body)?.slice(0, 200)}`);
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 400)}`);
  if (body.error) throw new Error(`error: ${body.error}`);
  if (!("data" in body)) throw new Error(`no data: ${JSON.stringify(body).slice(0, 200)}`);
  return body.data;
}

const sortRows = <T>(rows: T[]) =>
  rows
    .map((r) => JSON.stringify(r))
    .sort()
    .map((r) => JSON.parse(r) as T);

// Canonical shapes.
type Lookup = { key: string; name: string; kind: string; nameZh?: string | null };
type Traversal = { province: string; cities: { name: string; relationships: [string, string][] }[] };
type Page = { hasNextPage: boolean; items: [string, string][] };
type Subgraph = {
  truncated: boolean;
  nodes: [string, string, string, number][];
  edges: [string, string, string, string, string][];
};
type Paths = { length: number; steps: [string, string, string, string][] }[];
type Search = { totalCount: number | "a lower bound"; hits: [string, number, string][] };

const lookup = (e: any, withZh: boolean): Lookup | null =>
  e ? { key: e.key, name: e.name, kind: e.kind, ...(withZh ? { nameZh: e.nameZh ?? null } : {}) } : null;

function subgraph(
  truncated: boolean,
  nodes: [string, string, string, number][],
  edges: [string, string, string, string, string][],
): Subgraph {
  return { truncated, nodes: sortRows(nodes), edges: sortRows(edges) };
}

/**
 * A search's count as the answers are compared: exact counts as they are; past 100 matches the count
 * is a lower bound, which a server with the search index (SEARCH_INDEX) may put elsewhere than the
 * statement alone (docs/api.md), so only its being one is compared.
 */
const searchCount = (s: { totalCount: number; totalCountExact: boolean }): number | "a lower bound" =>
  s.totalCountExact ? s.totalCount : "a lower bound";

/** A peer's own `search` field, answering `hits` rather than edges (naive, pothos-textbook). */
function searchHitsPlan(pick: (f: Fixtures) => SearchCase, note: string): QueryPlan {
  return {
    note,
    request: (f) =>
      graphql(
        `query Search($q: String!) { search(query: $q, first: 10) { totalCount totalCountExact hits { score matchedField entity { key name kind } } } }`,
        { q: pick(f).text },
      ),
    canonical: (b): Search => {
      const s = data(b).search;
      return {
        totalCount: searchCount(s),
        hits: s.hits.map((h: any) => [h.entity.key, h.score, h.matchedField]),
      };
    },
  };
}

/** One kind of search (typo, exact, prefix, Chinese): the same plans, another text. */
function searchPlans(pick: (f: Fixtures) => SearchCase): Record<Exclude<SystemName, "ours-cached">, QueryPlan> {
  return {
    ours: {
      request: (f) =>
        graphql(
          `query Search($q: String!) { search(query: $q, first: 10) { totalCount totalCountExact edges { node { score matchedField entity { key name kind } } } } }`,
          { q: pick(f).text },
        ),
      canonical: (b): Search => {
        const s = data(b).search;
        return {
          totalCount: searchCount(s),
          hits: s.edges.map((e: any) => [e.node.entity.key, e.node.score, e.node.matchedField]),
        };
      },
    },
    postgraphile: { na: "no trigram or full-text search without a custom SQL function or plugin" },
    "pothos-textbook": searchHitsPlan(
      pick,
      "our search statement through $queryRawUnsafe, then each hit's entity through prismaField (findUnique, batched by Prisma)",
    ),
    naive: searchHitsPlan(pick, "our search statement through $queryRawUnsafe, then one findUnique per hit"),
    floor: {
      request: (f) => floor("search", { query: pick(f).text, first: 10 }),
      canonical: (b): Search => {
        const s = data(b);
        return { totalCount: searchCount(s), hits: s.hits.map((h: any) => [h.entity.key, h.score, h.matchedField]) };
      },
    },
  };
}

/** The shortest path between the two ends `pair` picks, as each system asks for it. */
/** The 3-hop pair, picked only when the run asks paths_deep (bench/fixtures.ts). */
function deepPair(f: Fixtures): PathPair {
  if (!f.deepPaths) throw new Error("No 3-hop path was picked: this run does not ask paths_deep.");
  return f.deepPaths;
}

function pathsPlans(pair: (f: Fixtures) => PathPair): Record<Exclude<SystemName, "ours-cached">, QueryPlan> {
  return {
    ours: {
      request: (f) =>
        graphql(
          `query Paths($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 4, first: 1) {
             length steps { label from { key name } to { key name } relationship { id } } } }`,
          { from: ourId(pair(f).from), to: ourId(pair(f).to) },
        ),
      canonical: (b): Paths =>
        data(b).paths.map((p: any) => ({
          length: p.length,
          steps: p.steps.map((s: any) => [s.from.key, s.label, s.to.key, keyOfOurId(s.relationship.id)]),
        })),
    },
    postgraphile: { na: "no path finding without a custom SQL function or plugin" },
    "pothos-textbook": {
      note: "our rounds of path statements (src/reads/paths.ts) through $queryRaw, then the steps' entities and relationships through prismaField and their labels through a DataLoader",
      request: (f) =>
        graphql(
          `query Paths($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 4, first: 1) {
             length steps { label from { key name } to { key name } relationship { key } } } }`,
          { from: textbookId(pair(f).from), to: textbookId(pair(f).to) },
        ),
      canonical: (b): Paths =>
        data(b).paths.map((p: any) => ({
          length: p.length,
          steps: p.steps.map((s: any) => [s.from.key, s.label, s.to.key, s.relationship.key]),
        })),
    },
    naive: {
      note: "our rounds of path statements (src/reads/paths.ts) through $queryRaw, then one Prisma call per step field",
      request: (f) =>
        graphql(
          `query Paths($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 4, first: 1) {
             length steps { label from { key name } to { key name } relationship { key } } } }`,
          { from: pair(f).from.key, to: pair(f).to.key },
        ),
      canonical: (b): Paths =>
        data(b).paths.map((p: any) => ({
          length: p.length,
          steps: p.steps.map((s: any) => [s.from.key, s.label, s.to.key, s.relationship.key]),
        })),
    },
    floor: {
      request: (f) => floor("paths", { from: pair(f).from.key, to: pair(f).to.key, maxDepth: 4, first: 1 }),
      canonical: (b): Paths =>
        data(b).map((p: any) => ({
          length: p.length,
          steps: p.steps.map((s: any) => [s.from.key, s.label, s.to.key, s.relationship.key]),
        })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostGraphile: the neighbourhood is assembled by the client from nested in/out edges, with the same
// rule as ours (lowest edge ids first, `limit` edges in all, level by level).

const pglEdge = `rowId key typeKey fromId toId relationTypeByTypeKey { label }`;
const pglEntity = `rowId key kind name`;
const pglLevel = (inner: string) => `
  out: relationshipsByFromId(orderBy: PRIMARY_KEY_ASC, first: $per) { nodes { ${pglEdge} other: entityByToId { ${pglEntity} ${inner} } } }
  in: relationshipsByToId(orderBy: PRIMARY_KEY_ASC, first: $per) { nodes { ${pglEdge} other: entityByFromId { ${pglEntity} ${inner} } } }`;
const pglNeighborhoodQuery = `query Neighborhood($id: ID!, $per: Int!) { entity(id: $id) { ${pglEntity} ${pglLevel(pglLevel(""))} } }`;

interface PglEntity {
  rowId: number;
  key: string;
  kind: string;
  name: string;
  out?: { nodes: PglRow[] };
  in?: { nodes: PglRow[] };
}
interface PglRow {
  rowId: number;
  key: string;
  typeKey: string;
  fromId: number;
  toId: number;
  relationTypeByTypeKey: { label: string };
  other: PglEntity;
}

function assemblePglNeighborhood(start: PglEntity, depth: number, limit: number): Subgraph {
  const nodes = new Map<number, { entity: PglEntity; depth: number }>([[start.rowId, { entity: start, depth: 0 }]]);
  const edges = new Map<number, PglRow>();
  let frontier: PglEntity[] = [start];
  let truncated = false;
  for (let level = 1; level <= depth && frontier.length; level++) {
    const remaining = limit - edges.size;
    if (remaining <= 0) {
      truncated = true;
      break;
    }
    const candidates = new Map<number, { row: PglRow; other: PglEntity }>();
    for (const node of frontier) {
      if (!node.out || !node.in) throw new Error(`the nested query stops before level ${level}`);
      for (const row of [...node.out.nodes, ...node.in.nodes]) {
        if (!edges.has(row.rowId) && !candidates.has(row.rowId)) candidates.set(row.rowId, { row, other: row.other });
      }
    }
    const rows = [...candidates.values()].sort((a, b) => a.row.rowId - b.row.rowId);
    if (rows.length > remaining) {
      truncated = true;
      rows.length = remaining;
    }
    const next: PglEntity[] = [];
    for (const { row, other } of rows) {
      edges.set(row.rowId, row);
      if (!nodes.has(other.rowId)) {
        nodes.set(other.rowId, { entity: other, depth: level });
        next.push(other);
      }
    }
    frontier = next;
  }
  const keyOf = (id: number) => nodes.get(id)!.entity.key;
  return subgraph(
    truncated,
    [...nodes.values()].map(({ entity, depth: d }) => [entity.key, entity.kind, entity.name, d]),
    [...edges.values()].map((e) => [e.key, keyOf(e.fromId), keyOf(e.toId), e.typeKey, e.relationTypeByTypeKey.label]),
  );
}

// ---------------------------------------------------------------------------------------------
// The mix

const NEIGHBORHOOD = { depth: 2, limit: 100 };
const TRAVERSAL = { cities: 20, relationships: 10 };

const mix: Record<QueryName, Record<Exclude<SystemName, "ours-cached">, QueryPlan>> = {
  lookup_id: {
    ours: {
      request: (f) =>
        graphql(`query LookupId($id: ID!) { node(id: $id) { ... on Entity { key name nameZh kind } } }`, {
          id: ourId(f.lookup),
        }),
      canonical: (b) => lookup(data(b).node, true),
    },
    postgraphile: {
      note: "node(id:) with PostGraphile's own node id",
      request: (_f, c) =>
        graphql(`query LookupId($id: ID!) { node(id: $id) { ... on Entity { key name nameZh kind } } }`, {
          id: c.lookupNodeId,
        }),
      canonical: (b) => lookup(data(b).node, true),
    },
    "pothos-textbook": {
      request: (f) =>
        graphql(`query LookupId($id: ID!) { node(id: $id) { ... on Entity { key name nameZh kind } } }`, {
          id: textbookId(f.lookup),
        }),
      canonical: (b) => lookup(data(b).node, true),
    },
    naive: {
      request: (f) =>
        graphql(`query LookupId($id: ID!) { entity(id: $id) { key name nameZh kind } }`, { id: f.lookup.key }),
      canonical: (b) => lookup(data(b).entity, true),
    },
    floor: {
      request: (f) => floor("lookup_id", { key: f.lookup.key }),
      canonical: (b) => lookup(data(b), true),
    },
  },

  lookup_name: {
    ours: {
      request: (f) =>
        graphql(`query LookupName($name: String!) { entity(name: $name) { key name kind } }`, { name: f.lookup.name }),
      canonical: (b) => lookup(data(b).entity, false),
    },
    postgraphile: {
      note: "closest: allAliases(condition: {normalized}) -> entity; the client normalizes the name, no key fallback",
      request: (f) =>
        graphql(
          `query LookupName($normalized: String!) { allAliases(condition: { normalized: $normalized }, orderBy: ENTITY_ID_ASC, first: 1) { nodes { entityByEntityId { key name kind } } } }`,
          { normalized: normalizeName(f.lookup.name) },
        ),
      canonical: (b) => lookup(data(b).allAliases.nodes[0]?.entityByEntityId, false),
    },
    "pothos-textbook": {
      request: (f) =>
        graphql(`query LookupName($name: String!) { entityByName(name: $name) { key name kind } }`, {
          name: f.lookup.name,
        }),
      canonical: (b) => lookup(data(b).entityByName, false),
    },
    naive: {
      request: (f) =>
        graphql(`query LookupName($name: String!) { entityByName(name: $name) { key name kind } }`, {
          name: f.lookup.name,
        }),
      canonical: (b) => lookup(data(b).entityByName, false),
    },
    floor: {
      request: (f) => floor("lookup_name", { name: f.lookup.name }),
      canonical: (b) => lookup(data(b), false),
    },
  },

  traversal: {
    ours: {
      request: (f) =>
        graphql(
          `query Traversal($id: ID!) { node(id: $id) { ... on Province { name cities(first: ${TRAVERSAL.cities}) { edges { node {
             name relationships(first: ${TRAVERSAL.relationships}, direction: OUTGOING) { edges { node { type } other { name } } } } } } } } }`,
          { id: ourId(f.province) },
        ),
      canonical: (b): Traversal => {
        const p = data(b).node;
        return {
          province: p.name,
          cities: p.cities.edges.map((c: any) => ({
            name: c.node.name,
            relationships: c.node.relationships.edges.map((r: any) => [r.node.type, r.other.name]),
          })),
        };
      },
    },
    postgraphile: {
      note: "LOCATED_IN in-edges of the province (no filter on the far end's kind; all are cities here, checked)",
      request: (_f, c) =>
        graphql(
          `query Traversal($id: ID!) { entity(id: $id) { name
             relationshipsByToId(condition: { typeKey: "LOCATED_IN" }, orderBy: PRIMARY_KEY_ASC, first: ${TRAVERSAL.cities}) { nodes { entityByFromId {
               name relationshipsByFromId(orderBy: PRIMARY_KEY_ASC, first: ${TRAVERSAL.relationships}) { nodes { typeKey entityByToId { name } } } } } } } }`,
          { id: c.provinceNodeId },
        ),
      canonical: (b): Traversal => {
        const p = data(b).entity;
        return {
          province: p.name,
          cities: p.relationshipsByToId.nodes.map((c: any) => ({
            name: c.entityByFromId.name,
            relationships: c.entityByFromId.relationshipsByFromId.nodes.map((r: any) => [
              r.typeKey,
              r.entityByToId.name,
            ]),
          })),
        };
      },
    },
    "pothos-textbook": {
      note: "the province's LOCATED_IN in-edges from cities (a relatedConnection), each edge's `from`, its outgoing edges and their `to`",
      request: (f) =>
        graphql(
          `query Traversal($id: ID!) { node(id: $id) { ... on Entity { name
             incoming(type: "LOCATED_IN", fromKind: CITY, first: ${TRAVERSAL.cities}) { edges { node { from {
               name outgoing(first: ${TRAVERSAL.relationships}) { edges { node { typeKey to { name } } } } } } } } } } }`,
          { id: textbookId(f.province) },
        ),
      canonical: (b): Traversal => {
        const p = data(b).node;
        return {
          province: p.name,
          cities: p.incoming.edges.map((c: any) => ({
            name: c.node.from.name,
            relationships: c.node.from.outgoing.edges.map((r: any) => [r.node.typeKey, r.node.to.name]),
          })),
        };
      },
    },
    naive: {
      request: (f) =>
        graphql(
          `query Traversal($id: ID!) { entity(id: $id) { name cities(first: ${TRAVERSAL.cities}) { name outgoing(first: ${TRAVERSAL.relationships}) { type to { name } } } } }`,
          { id: f.province.key },
        ),
      canonical: (b): Traversal => {
        const p = data(b).entity;
        return {
          province: p.name,
          cities: p.cities.map((c: any) => ({
            name: c.name,
            relationships: c.outgoing.map((r: any) => [r.type, r.to.name]),
          })),
        };
      },
    },
    floor: {
      request: (f) => floor("traversal", { key: f.province.key, ...TRAVERSAL }),
      canonical: (b): Traversal => {
        const p = data(b);
        return {
          province: p.name,
          cities: p.cities.map((c: any) => ({
            name: c.name,
            relationships: c.relationships.map((r: any) => [r.type, r.target]),
          })),
        };
      },
    },
  },

  connection_deep: {
    ours: {
      request: (f) =>
        graphql(
          `query CitiesPage($after: String!) { cities(first: ${f.page.size}, after: $after) { pageInfo { hasNextPage } edges { node { key name } } } }`,
          {
            after: ourCityCursor(f.page.after.id),
          },
        ),
      canonical: (b): Page => {
        const c = data(b).cities;
        return { hasNextPage: c.pageInfo.hasNextPage, items: c.edges.map((e: any) => [e.node.key, e.node.name]) };
      },
    },
    postgraphile: {
      note: "allEntities(condition: {kind: CITY}, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) with its own cursor",
      request: (f, c) =>
        graphql(
          `query CitiesPage($after: Cursor!) { allEntities(condition: { kind: CITY }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC], first: ${f.page.size}, after: $after) {
             pageInfo { hasNextPage } nodes { key name } } }`,
          { after: c.pageCursor },
        ),
      canonical: (b): Page => {
        const c = data(b).allEntities;
        return { hasNextPage: c.pageInfo.hasNextPage, items: c.nodes.map((n: any) => [n.key, n.name]) };
      },
    },
    "pothos-textbook": {
      note: "a prismaConnection ordered by name and id; plugin-prisma's cursor over the id column, as ours",
      request: (f) =>
        graphql(
          `query CitiesPage($after: String!) { cities(first: ${f.page.size}, after: $after) { pageInfo { hasNextPage } edges { node { key name } } } }`,
          { after: ourCityCursor(f.page.after.id) },
        ),
      canonical: (b): Page => {
        const c = data(b).cities;
        return { hasNextPage: c.pageInfo.hasNextPage, items: c.edges.map((e: any) => [e.node.key, e.node.name]) };
      },
    },
    naive: {
      request: (f) =>
        graphql(
          `query CitiesPage($after: ID!) { cities(first: ${f.page.size}, after: $after) { hasNextPage nodes { key name } } }`,
          { after: f.page.after.key },
        ),
      canonical: (b): Page => {
        const c = data(b).cities;
        return { hasNextPage: c.hasNextPage, items: c.nodes.map((n: any) => [n.key, n.name]) };
      },
    },
    floor: {
      request: (f) => floor("connection_deep", { after: f.page.after.key, first: f.page.size }),
      canonical: (b): Page => {
        const c = data(b);
        return { hasNextPage: c.hasNextPage, items: c.nodes.map((n: any) => [n.key, n.name]) };
      },
    },
  },

  neighborhood: {
    ours: {
      request: (f) =>
        graphql(
          `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: ${NEIGHBORHOOD.depth}, limit: ${NEIGHBORHOOD.limit}) {
             truncated nodes { id kind label depth } edges { id source target type label } } }`,
          { id: ourId(f.neighborhood) },
        ),
      canonical: (b) => {
        const n = data(b).neighborhood;
        return subgraph(
          n.truncated,
          n.nodes.map((x: any) => [keyOfOurId(x.id), x.kind, x.label, x.depth]),
          n.edges.map((e: any) => [keyOfOurId(e.id), keyOfOurId(e.source), keyOfOurId(e.target), e.type, e.label]),
        );
      },
    },
    postgraphile: {
      note: `closest: in/out edges nested 2 levels deep (first: ${NEIGHBORHOOD.limit + 1} per entity and direction); the client merges them level by level as ours does`,
      request: (_f, c) => graphql(pglNeighborhoodQuery, { id: c.neighborhoodNodeId, per: NEIGHBORHOOD.limit + 1 }),
      canonical: (b) => assemblePglNeighborhood(data(b).entity, NEIGHBORHOOD.depth, NEIGHBORHOOD.limit),
    },
    "pothos-textbook": {
      note: "a resolver walks level by level with one Prisma findMany per level; entities per level and the edges through prismaField",
      request: (f) =>
        graphql(
          `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: ${NEIGHBORHOOD.depth}, limit: ${NEIGHBORHOOD.limit}) {
             truncated levels { depth nodes { key kind name } } edges { key typeKey type { label } from { key } to { key } } } }`,
          { id: textbookId(f.neighborhood) },
        ),
      canonical: (b) => {
        const n = data(b).neighborhood;
        return subgraph(
          n.truncated,
          n.levels.flatMap((l: any) => l.nodes.map((x: any) => [x.key, x.kind, x.name, l.depth])),
          n.edges.map((e: any) => [e.key, e.from.key, e.to.key, e.typeKey, e.type.label]),
        );
      },
    },
    naive: {
      request: (f) =>
        graphql(
          `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: ${NEIGHBORHOOD.depth}, limit: ${NEIGHBORHOOD.limit}) {
             truncated nodes { key kind label depth } edges { key source target type label } } }`,
          { id: f.neighborhood.key },
        ),
      canonical: (b) => {
        const n = data(b).neighborhood;
        return subgraph(
          n.truncated,
          n.nodes.map((x: any) => [x.key, x.kind, x.label, x.depth]),
          n.edges.map((e: any) => [e.key, e.source, e.target, e.type, e.label]),
        );
      },
    },
    floor: {
      request: (f) => floor("neighborhood", { key: f.neighborhood.key, ...NEIGHBORHOOD }),
      canonical: (b) => {
        const n = data(b);
        return subgraph(
          n.truncated,
          n.nodes.map((x: any) => [x.key, x.kind, x.label, x.depth]),
          n.edges.map((e: any) => [e.key, e.source, e.target, e.type, e.label]),
        );
      },
    },
  },

  paths: pathsPlans((f) => f.paths),
  paths_deep: pathsPlans(deepPair),
  search: searchPlans((f) => f.search),
  search_exact: searchPlans((f) => f.searchExact),
  search_prefix: searchPlans((f) => f.searchPrefix),
  search_chinese: searchPlans((f) => f.searchChinese),
};

/** Ours with the response cache is asked exactly what ours is. */
export const queryMix = Object.fromEntries(
  Object.entries(mix).map(([query, plans]) => [query, { ...plans, "ours-cached": plans.ours }]),
) as Record<QueryName, Record<SystemName, QueryPlan>>;

/**
 * Checks our answer against the fixtures (what it must contain), so that "all systems agree" cannot
 * mean "all systems return nothing". Throws with the reason.
 */
export function checkOurAnswer(query: QueryName, answer: any, f: Fixtures): void {
  const fail = (why: string) => {
    throw new Error(`ours, ${query}: ${why}; answer: ${JSON.stringify(answer).slice(0, 300)}`);
  };
  switch (query) {
    case "lookup_id":
    case "lookup_name":
      if (answer?.key !== f.lookup.key) fail(`expected ${f.lookup.key}`);
      break;
    case "traversal":
      if (answer.province !== f.province.name) fail(`expected province ${f.province.name}`);
      if (answer.cities.length !== Math.min(TRAVERSAL.cities, f.province.cities))
        fail(`expected ${Math.min(TRAVERSAL.cities, f.province.cities)} cities`);
      if (!answer.cities.some((c: any) => c.relationships.length > 0)) fail("no city has outgoing relationships");
      break;
    case "connection_deep":
      if (answer.items.length !== Math.min(f.page.size, f.page.of - f.page.position)) fail("wrong page size");
      break;
    case "neighborhood":
      if (!answer.nodes.some((n: any) => n[0] === f.neighborhood.key && n[3] === 0)) fail("the centre is missing");
      if (!answer.nodes.some((n: any) => n[3] === 2)) fail("no node at depth 2");
      break;
    case "paths":
    case "paths_deep": {
      const pair = query === "paths" ? f.paths : deepPair(f);
      const [first] = answer as Paths;
      if (!first || first.length !== pair.length) fail(`expected one path of ${pair.length} hops`);
      if (first!.steps[0]![0] !== pair.from.key || first!.steps.at(-1)![2] !== pair.to.key)
        fail("the path does not join the two ends");
      break;
    }
    case "search":
    case "search_exact":
    case "search_prefix":
    case "search_chinese": {
      const { text, expect } = searchCases(f)[query];
      if (!answer.hits.some((h: any) => h[0] === expect)) fail(`"${text}" does not find ${expect}`);
      break;
    }
  }
}

function searchCases(f: Fixtures): Record<"search" | "search_exact" | "search_prefix" | "search_chinese", SearchCase> {
  return {
    search: f.search,
    search_exact: f.searchExact,
    search_prefix: f.searchPrefix,
    search_chinese: f.searchChinese,
  };
}

/** A readable difference between two canonical answers, or null when they are equal. */
export function difference(expected: unknown, actual: unknown): string | null {
  const a = JSON.stringify(expected);
  const b = JSON.stringify(actual);
  if (a === b) return null;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  return `first difference at character ${i}:\n    expected ...${a.slice(from, i + 120)}\n    actual   ...${b.slice(from, i + 120)}`;
}

/** PostGraphile's node ids and cursor for the fixtures, asked of PostGraphile itself. */
export async function postgraphileContext(
  send: (request: HttpRequest) => Promise<any>,
  f: Fixtures,
): Promise<SystemContext> {
  const nodeId = async (key: string) => {
    const body = await send(
      graphql(`query($key: String!) { allEntities(condition: { key: $key }) { nodes { id } } }`, { key }),
    );
    const id = data(body).allEntities.nodes[0]?.id;
    if (!id) throw new Error(`PostGraphile does not find entity ${key}`);
    return id as string;
  };
  const page = await send(
    graphql(
      `query($offset: Int!) { allEntities(condition: { kind: CITY }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC], first: 1, offset: $offset) { edges { cursor node { key } } } }`,
      {
        offset: f.page.position - 1,
      },
    ),
  );
  const edge = data(page).allEntities.edges[0];
  if (edge?.node.key !== f.page.after.key)
    throw new Error(`PostGraphile's city at ${f.page.position} is ${edge?.node.key}, not ${f.page.after.key}`);
  return {
    lookupNodeId: await nodeId(f.lookup.key),
    provinceNodeId: await nodeId(f.province.key),
    neighborhoodNodeId: await nodeId(f.neighborhood.key),
    pageCursor: edge.cursor,
  };
}
