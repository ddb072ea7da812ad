// Decisions taken from a selection (how a node is read, the pages read ahead beneath it) are
// remembered across requests only where no variable or directive can change them: the same document
// asked again with other variables must get the answer those variables ask for.
import {
  GraphQLString,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type FieldNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perField, perSelection, type PerSelection } from "../../../src/schema/read-ahead/per-selection.js";
import type { FieldSelection } from "../../../src/schema/read-ahead/per-selection.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
let sichuan: string;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  sichuan = (await graph.query(`{ province(name: "Sichuan") { id } }`)).data!.province.id;
});
afterAll(async () => {
  await graph?.close();
});

async function run(query: string, variables: Record<string, unknown>) {
  graph.resetStatements();
  const response = await graph.query(query, variables);
  expect(response.errors).toBeUndefined();
  return { data: response.data!, statements: graph.statements.length };
}

describe("one document, other variables", () => {
  it("a page size given by a variable is the one each request asks for, read ahead or not", async () => {
    const query = `query ($id: ID!, $cities: Int!, $edges: Int!) { node(id: $id) { ... on Province {
      cities(first: $cities) { edges { node { name relationships(first: $edges, direction: OUTGOING) { edges { node { type } } } } } } } } }`;
    for (const [cities, edges] of [
      [1, 1],
      [3, 2],
      [1, 1],
      [2, 3],
    ] as const) {
      const { data, statements } = await run(query, { id: sichuan, cities, edges });
      const pages = data.node.cities.edges;
      expect(pages).toHaveLength(cities);
      for (const city of pages) expect(city.node.relationships.edges.length).toBeLessThanOrEqual(edges);
      expect(pages.some((city: any) => city.node.relationships.edges.length === edges)).toBe(true);
      // The province, its cities and their relationships: one statement, whatever the sizes.
      expect(statements).toBe(1);
    }
  });

  it("a field a variable includes or skips is read when included and not when skipped, in any order", async () => {
    const query = `query ($id: ID!, $withAliases: Boolean!, $withCities: Boolean!) { node(id: $id) { ... on Province {
      name aliases @include(if: $withAliases) cities(first: 2) @include(if: $withCities) { edges { node { name } } } } } }`;
    for (const [withAliases, withCities] of [
      [false, false],
      [true, true],
      [false, true],
      [true, false],
      [false, false],
    ]) {
      const { data } = await run(query, { id: sichuan, withAliases, withCities });
      expect(data.node.name).toBe("Sichuan");
      expect("aliases" in data.node).toBe(withAliases);
      if (withAliases) expect(data.node.aliases.length).toBeGreaterThan(0);
      expect("cities" in data.node).toBe(withCities);
      if (withCities) expect(data.node.cities.edges).toHaveLength(2);
    }
  });

  it("a selection with no variables is answered the same, in the same one statement, every time", async () => {
    const query = `query ($id: ID!) { node(id: $id) { ... on Province { name cities(first: 2) { edges { node { name } } } } } }`;
    const first = await run(query, { id: sichuan });
    const again = await run(query, { id: sichuan });
    expect(again).toEqual(first);
    expect(first.statements).toBe(1);
  });
});

describe("perSelection and perField", () => {
  // The field nodes of the operation's first field, as a resolver sees them.
  function selectionOf(document: string, variableValues: Record<string, unknown> = {}): FieldSelection {
    const parsed = parse(document);
    const operation = parsed.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === "OperationDefinition",
    )!;
    const fragments = Object.fromEntries(
      parsed.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === "FragmentDefinition")
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const fieldNodes = [operation.selectionSet.selections[0] as FieldNode];
    return { fieldNodes, fragments, variableValues, returnType: GraphQLString } as unknown as FieldSelection;
  }
  const inAnotherRequest = (info: FieldSelection): FieldSelection => ({
    ...info,
    variableValues: { ...info.variableValues },
  });

  it("shares a selection's decisions across requests only when nothing in it reads a variable or a directive", () => {
    const cases: [string, boolean][] = [
      [`query ($id: ID!) { node(id: $id) { ... on City { name } } }`, true],
      [
        `query ($n: Int) { node(id: "x") { ... on City { relationships(first: $n) { edges { node { type } } } } } }`,
        false,
      ],
      [`query ($b: Boolean!) { node(id: "x") { name @include(if: $b) } }`, false],
      [
        `query ($n: Int) { node(id: "x") { ...F } } fragment F on City { relationships(first: $n) { edges { node { type } } } }`,
        false,
      ],
      [`{ node(id: "x") { ...F } } fragment F on City { relationships(first: 2) { edges { node { type } } } }`, true],
    ];
    for (const [document, shared] of cases) {
      const table: PerSelection<string, number> = new WeakMap();
      const info = selectionOf(document);
      perSelection(table, info).set("decided", 1);
      expect([document, perSelection(table, inAnotherRequest(info)).get("decided")]).toEqual([
        document,
        shared ? 1 : undefined,
      ]);
      // Within one request (the same variables), always remembered.
      expect(perSelection(table, info).get("decided")).toBe(1);
    }
  });

  it("perField also reads the field's own arguments", () => {
    const table: PerSelection<string, number> = new WeakMap();
    const info = selectionOf(`query ($n: Int) { relationships(first: $n) { edges { node { type } } } }`);
    perField(table, info).set("decided", 1);
    expect(perField(table, inAnotherRequest(info)).get("decided")).toBeUndefined();
    const literal = selectionOf(`{ relationships(first: 2) { edges { node { type } } } }`);
    perField(table, literal).set("decided", 2);
    expect(perField(table, inAnotherRequest(literal)).get("decided")).toBe(2);
  });
});
