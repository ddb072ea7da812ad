// A bad cursor is INVALID_CURSOR on every connection: the connections are read from the schema, so
// one added later is checked too. Each connection also takes back the cursors it hands out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphQLResponse, startTestGraph, type TestGraph } from "../support/graph.js";
import { chongqingId, pagedConnections, type PagedConnection } from "../support/schema-walk.js";

let graph: TestGraph;
/** An entity of each type the schema's entities come as, to reach the connections of that type. */
const sampleIds = new Map<string, string>();
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  let after: string | null = null;
  do {
    const { data }: GraphQLResponse<{ entities: any }> = await graph.query(
      `query($after: String) { entities(first: 100, after: $after) { pageInfo { endCursor hasNextPage } edges { node { id __typename } } } }`,
      { after },
    );
    for (const { node } of data!.entities.edges)
      if (!sampleIds.has(node.__typename)) sampleIds.set(node.__typename, node.id);
    after = data!.entities.pageInfo.hasNextPage ? data!.entities.pageInfo.endCursor : null;
  } while (after);
  sampleIds.set("Province", Buffer.from("Province:sichuan").toString("base64"));
});
afterAll(() => graph?.close());

const base64 = (text: string) => Buffer.from(text).toString("base64");
const idCursorOf = (id: unknown) => base64(`GPC:${typeof id === "number" ? `N:${id}` : `S:${id}`}`);

/** Cursors no connection of this kind handed out: garbage, another kind's, ids no row can have. */
const foreignCursors = (pagesBy: PagedConnection["pagesBy"]) => [
  "garbage",
  "",
  base64("nope"),
  pagesBy === "id" ? base64("OffsetConnection:3") : idCursorOf(3),
  pagesBy === "id" ? idCursorOf("chongqing") : base64("OffsetConnection:-1"),
  pagesBy === "id" ? idCursorOf(-4) : base64("OffsetConnection:1e3"),
  pagesBy === "id" ? idCursorOf(2 ** 40) : base64("OffsetConnection:"),
];

/** A document reaching the connection: at the root, or on Chongqing (an entity, a city, a province). */
function documentFor(connection: PagedConnection, args: string): string {
  const field = `${connection.field}(${[connection.required.slice(1, -1), args].filter(Boolean).join(", ")}) { totalCount pageInfo { endCursor startCursor } edges { cursor } }`;
  const operation = args.includes("$cursor") ? "query($cursor: String)" : "query";
  if (connection.parent === "Query") return `${operation} { ${field} }`;
  if (connection.parent === "Indicator")
    return `${operation} { indicator(name: "auto-retail-sales-growth") { ${field} } }`;
  const id = sampleIds.get(connection.parent) ?? chongqingId;
  return `${operation} { node(id: "${id}") { ... on ${connection.parent} { ${field} } } }`;
}

/** Where the connection stands in the answer to `documentFor`. */
function documentPath(connection: PagedConnection): string[] {
  if (connection.parent === "Query") return [connection.field];
  return [connection.parent === "Indicator" ? "indicator" : "node", connection.field];
}

const connections = pagedConnections();

describe("cursors", () => {
  it("finds the connections in the schema", () => {
    const names = connections.map((connection) => `${connection.parent}.${connection.field}`);
    for (const known of ["Query.cities", "Query.search", "Entity.relationships", "Entity.history", "Province.cities"])
      expect(names).toContain(known);
    expect(
      connections
        .filter((connection) => connection.pagesBy === "position")
        .map((c) => c.field)
        .sort(),
    ).toEqual(["entitiesByRelationshipCount", "search"]);
  });

  it.each(connections.map((connection) => [`${connection.parent}.${connection.field}`, connection] as const))(
    "%s: a cursor it did not hand out is INVALID_CURSOR, in after and in before",
    async (_name, connection) => {
      for (const direction of ["after", "before"].filter((arg) => connection.args.includes(arg))) {
        for (const cursor of foreignCursors(connection.pagesBy)) {
          const response = await graph.query(documentFor(connection, `${direction}: $cursor`), { cursor });
          const label = `${direction}: ${JSON.stringify(cursor)}`;
          expect(response.errors, `${label} ${JSON.stringify(response)}`).toHaveLength(1);
          const [error] = response.errors!;
          expect(error!.extensions?.code, label).toBe("INVALID_CURSOR");
          // A related connection's cursor is read with its parent's row (plugin-prisma), so the
          // error may stand at the parent; it is still on the way to the connection.
          const path = documentPath(connection);
          expect(path.slice(0, error!.path?.length), label).toEqual(error!.path);
        }
      }
    },
  );

  it.each(connections.map((connection) => [`${connection.parent}.${connection.field}`, connection] as const))(
    "%s: takes back the cursors it hands out",
    async (_name, connection) => {
      const first = await graph.query(documentFor(connection, "first: 2"), {});
      expect(first.errors, JSON.stringify(first)).toBeUndefined();
      const page = Object.values(first.data!)[0] as Record<string, any>;
      const pageInfo = (page[connection.field] ?? page).pageInfo;
      expect(page, `no ${connection.parent} to reach ${connection.field} on`).not.toBeNull();
      if (!pageInfo.endCursor) return; // nothing to page through on the seed graph (history before any write)
      const next = await graph.query(documentFor(connection, "first: 2, after: $cursor"), {
        cursor: pageInfo.endCursor,
      });
      expect(next.errors, JSON.stringify(next)).toBeUndefined();
    },
  );
});
