// No field fails when asked for: every field of every type reachable from Chongqing, three levels
// of fields deep (a connection's edges and page info are its wrapping, not levels), built from the
// schema: arguments at their defaults, required ones filled, members of interfaces and unions through
// inline fragments. Each of Chongqing's fields is one document; one over the server's limits is
// asked again in parts, a document per field a level down. A field added later is asked for too.
import type { GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { schema, selectionPiece, type SelectionPiece } from "../support/schema-walk.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const LEVELS = 3;

/** Chongqing as each root field reaches it, and the type it answers as there. */
const roots = [
  { root: `entity(name: "Chongqing")`, type: "City" },
  { root: `province(name: "Chongqing")`, type: "Province" },
];

interface Failure {
  path: string | undefined;
  code: unknown;
  message: string;
}

/** The errors a piece's documents answer with, asked in parts where the whole is over a limit. */
async function failuresOf(piece: SelectionPiece, asked: { documents: number }): Promise<Failure[]> {
  asked.documents += 1;
  const response = await graph.query(piece.document);
  const overLimit = response.errors?.some((error) => error.extensions?.code === "LIMIT_EXCEEDED");
  const parts = overLimit ? piece.parts() : [];
  if (parts.length) {
    const failures: Failure[] = [];
    for (const part of parts) failures.push(...(await failuresOf(part, asked)));
    return failures;
  }
  if (!response.errors && !response.data?.chongqing)
    return [{ path: "chongqing", code: null, message: `Chongqing not found: ${piece.document}` }];
  return (response.errors ?? []).map((error) => ({
    path: error.path?.join("."),
    code: error.extensions?.code,
    message: `${error.message} in ${piece.document}`,
  }));
}

describe("every field reachable from Chongqing", () => {
  for (const { root, type } of roots) {
    const holder = schema.getType(type) as GraphQLObjectType;
    it.each(Object.keys(holder.getFields()))(`${type}.%s and everything beneath it answer`, async (name) => {
      const asked = { documents: 0 };
      const piece = selectionPiece(
        holder,
        name,
        LEVELS,
        (selection) => `{ chongqing: ${root} { ... on ${type} { ${selection} } } }`,
      );
      expect(await failuresOf(piece, asked)).toEqual([]);
      expect(asked.documents).toBeGreaterThan(0);
    });
  }
});
