// A field without arguments is given one shared, frozen empty object by the server's executor
// (src/execute.ts) instead of two new dictionary-mode objects from graphql-js. These fail if a
// graphql-js upgrade stops calling the replaced function (the shortcut would silently not apply), if
// a field with arguments lost them, or if a write into the shared object could reach another field.
import {
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from "graphql";
import { describe, expect, it } from "vitest";
import { execute, NO_ARGUMENTS } from "../../src/execute.js";

const seen: unknown[] = [];
const Item = new GraphQLObjectType({
  name: "Item",
  fields: {
    plain: {
      type: GraphQLString,
      resolve: (_source, args) => {
        seen.push(args);
        return "plain";
      },
    },
    sized: {
      type: GraphQLString,
      args: { size: { type: GraphQLInt, defaultValue: 3 }, label: { type: GraphQLString } },
      resolve: (_source, args) => JSON.stringify(args),
    },
    needed: {
      type: GraphQLString,
      args: { value: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: (_source, args) => args.value,
    },
    writer: {
      type: GraphQLString,
      resolve: (_source, args) => {
        (args as Record<string, unknown>).leaked = "yes";
        return "wrote";
      },
    },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: { items: { type: new GraphQLList(Item), resolve: () => [{}, {}] } },
  }),
});

const run = (query: string, variableValues?: Record<string, unknown>) =>
  execute({ schema, document: parse(query), variableValues }) as { data?: unknown; errors?: { message: string }[] };

describe("a field without arguments", () => {
  it("is given the one shared empty object, frozen, without a prototype", () => {
    seen.length = 0;
    const answer = run("{ items { plain a: plain } }");
    expect(answer.errors).toBeUndefined();
    expect(seen).toHaveLength(4);
    for (const args of seen) expect(args).toBe(NO_ARGUMENTS);
    expect(Object.isFrozen(NO_ARGUMENTS)).toBe(true);
    expect(Object.getPrototypeOf(NO_ARGUMENTS)).toBeNull();
    expect(Object.keys(NO_ARGUMENTS)).toEqual([]);
  });

  it("cannot be written into: the write fails that field, and nothing reaches another", () => {
    const answer = run("{ items { writer plain } }");
    expect(answer.errors?.[0]?.message).toMatch(/read only|not extensible|Cannot add property/);
    expect(Object.keys(NO_ARGUMENTS)).toEqual([]);
  });
});

describe("a field with arguments", () => {
  it("still gets them coerced: given, defaulted, from variables", () => {
    const answer = run(
      'query ($label: String) { items { a: sized b: sized(size: 5, label: "x") c: sized(label: $label) } }',
      {
        label: "from a variable",
      },
    );
    expect(answer.errors).toBeUndefined();
    const first = (answer.data as { items: Record<string, string>[] }).items[0]!;
    expect(JSON.parse(first.a!)).toEqual({ size: 3 });
    expect(JSON.parse(first.b!)).toEqual({ size: 5, label: "x" });
    expect(JSON.parse(first.c!)).toEqual({ size: 3, label: "from a variable" });
  });

  it("still fails without a required one given at run time", () => {
    const answer = run("query ($value: String) { items { needed(value: $value) } }", {});
    expect(answer.errors?.[0]?.message).toMatch(/required type "String!"|must not be null|was not provided/);
  });
});
