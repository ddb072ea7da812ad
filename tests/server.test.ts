// The service as a user meets it: GraphiQL with example tabs, every example answering, a schema
// file that matches the code.
import { readFileSync } from "node:fs";
import { isObjectType, lexicographicSortSchema, printSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleOperations } from "../src/examples.js";
import { schema } from "../src/schema/index.js";
import { nodeTypeNames } from "../src/schema/type-names.js";
import { startTestGraph, type TestGraph } from "./support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const queries = exampleOperations.filter((example) => example.operation === "query");

describe("GraphiQL", () => {
  it("is served at /graphql with one tab per example operation, a mutation's with the token header to fill in", async () => {
    const response = await graph.yoga.fetch("http://graph.test/graphql", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("China regional economy graph");
    expect(queries.length).toBeGreaterThanOrEqual(6);
    expect(exampleOperations.map((example) => example.operation)).toEqual(
      expect.arrayContaining(["query", "mutation", "subscription"]),
    );
    for (const { name } of exampleOperations) expect(html).toContain(name);
    expect(html).toContain("cgt_paste-a-token-from-npm-run-token");
  });

  // The mutation and subscription examples run in tests/events/subscriptions.test.ts, with a token.
  it.each(queries.map((example) => [example.file, example.query]))(
    "example %s answers without errors",
    async (_file, query) => {
      const response = await graph.query(query);
      expect(response.errors).toBeUndefined();
      const values = Object.values(response.data ?? {});
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(value).not.toBeNull();
    },
  );
});

describe("schema.graphql", () => {
  it("lists as node types (global ids of this API) exactly the types that implement Node", () => {
    const implementers = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node"),
    );
    expect([...nodeTypeNames].sort()).toEqual(implementers.map((type) => type.name).sort());
  });

  it("matches the schema printed from the code (npm run schema:print)", () => {
    const committed = readFileSync(new URL("../schema.graphql", import.meta.url), "utf8");
    expect(committed).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });
});
