// Requests broken on purpose: a generated plan with one flaw put in (an unknown field, a wrong or
// missing argument, a variable declared wrong, a stray character), and raw bodies that are no GraphQL
// request at all. Each must come back as a coded client error, never a 5xx or an internal error.
import fc from "fast-check";
import { fieldsOf, printPlan, selectionSetsOf, type ArgPlan, type DocumentPlan } from "./plans.js";
import type { GenValue, ValueArbitraries } from "./values.js";

export type Flaw =
  | { kind: "unknown-field"; at: number; name: string }
  | { kind: "unknown-argument"; at: number; value: GenValue }
  | { kind: "wrong-argument-type"; at: number; value: GenValue }
  | { kind: "missing-arguments"; at: number }
  | { kind: "leaf-with-selection"; at: number }
  | { kind: "composite-without-selection"; at: number }
  | { kind: "undeclared-variable"; at: number }
  | { kind: "wrong-variable-type"; at: number; typeName: string }
  | { kind: "missing-variable"; at: number }
  | { kind: "unknown-operation-name" }
  | { kind: "syntax-noise"; at: number; edit: "delete" | "insert" | "truncate" | "duplicate"; text: string };

/** Null (no flaw) about two times in three. */
export function flawArbitrary(values: ValueArbitraries): fc.Arbitrary<Flaw | null> {
  const at = fc.nat();
  const flaws: fc.Arbitrary<Flaw>[] = [
    fc.record({
      kind: fc.constant("unknown-field"),
      at,
      name: fc.constantFrom("nope", "Name", "__schema", "id_", "edges"),
    }),
    fc.record({ kind: fc.constant("unknown-argument"), at, value: values.wrong() }),
    fc.record({ kind: fc.constant("wrong-argument-type"), at, value: values.wrong() }),
    fc.record({ kind: fc.constant("missing-arguments"), at }),
    fc.record({ kind: fc.constant("leaf-with-selection"), at }),
    fc.record({ kind: fc.constant("composite-without-selection"), at }),
    fc.record({ kind: fc.constant("undeclared-variable"), at }),
    fc.record({
      kind: fc.constant("wrong-variable-type"),
      at,
      typeName: fc.constantFrom("String", "Int!", "[ID]", "Boolean!", "Planet", "JSON"),
    }),
    fc.record({ kind: fc.constant("missing-variable"), at }),
    fc.record({ kind: fc.constant("unknown-operation-name") }),
    fc.record({
      kind: fc.constant("syntax-noise"),
      at,
      edit: fc.constantFrom("delete", "insert", "truncate", "duplicate"),
      text: fc.constantFrom(
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ":",
        "$",
        "@",
        "!",
        '"',
        '"""',
        "\\",
        "#",
        ",",
        "...",
        "=",
        "\u0000",
        "\ufeff",
        "é",
      ),
    }),
  ] as fc.Arbitrary<Flaw>[];
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(null), weight: 22 },
    { arbitrary: fc.oneof(...flaws), weight: 11 },
  );
}

function pick<T>(items: T[], at: number): T | undefined {
  return items.length ? items[at % items.length] : undefined;
}

/** The printed request of `plan` with `flaw` put in; the plan itself is left as fast-check made it. */
export function applyFlaw(
  original: DocumentPlan,
  flaw: Flaw | null,
): { query: string; variables: Record<string, unknown>; operationName: string | null } {
  const plan = structuredClone(original);
  let operationName = plan.operationName;
  const args = (): ArgPlan[] => fieldsOf(plan).flatMap((field) => field.args);
  switch (flaw?.kind) {
    case "unknown-field":
      pick(selectionSetsOf(plan), flaw.at)?.push({
        kind: "field",
        name: flaw.name,
        alias: null,
        args: [],
        selections: null,
      });
      break;
    case "unknown-argument":
      pick(fieldsOf(plan), flaw.at)?.args.push({
        name: "bogus",
        typeName: "String",
        value: flaw.value,
        asVariable: false,
      });
      break;
    case "wrong-argument-type": {
      const arg = pick(args(), flaw.at);
      if (arg) arg.value = flaw.value;
      break;
    }
    case "missing-arguments": {
      const field = pick(
        fieldsOf(plan).filter((candidate) => candidate.args.length),
        flaw.at,
      );
      if (field) field.args = [];
      break;
    }
    case "leaf-with-selection": {
      const field = pick(
        fieldsOf(plan).filter((candidate) => !candidate.selections),
        flaw.at,
      );
      if (field) field.selections = [{ kind: "field", name: "__typename", alias: null, args: [], selections: null }];
      break;
    }
    case "composite-without-selection": {
      const field = pick(
        fieldsOf(plan).filter((candidate) => candidate.selections),
        flaw.at,
      );
      if (field) field.selections = null;
      break;
    }
    case "undeclared-variable": {
      const arg = pick(args(), flaw.at);
      if (arg) arg.undeclared = true;
      break;
    }
    case "wrong-variable-type": {
      const arg = pick(args(), flaw.at);
      if (arg) Object.assign(arg, { asVariable: true, typeName: flaw.typeName });
      break;
    }
    case "missing-variable": {
      const arg = pick(args(), flaw.at);
      if (arg) Object.assign(arg, { asVariable: true, omitValue: true });
      break;
    }
    case "unknown-operation-name":
      operationName = "Nope";
      break;
  }
  const printed = printPlan(plan);
  const query = flaw?.kind === "syntax-noise" ? editText(printed.query, flaw) : printed.query;
  return { query, variables: printed.variables, operationName };
}

function editText(text: string, { at, edit, text: noise }: Extract<Flaw, { kind: "syntax-noise" }>): string {
  const i = at % (text.length + 1);
  switch (edit) {
    case "delete":
      return text.slice(0, i) + text.slice(i + 1);
    case "insert":
      return text.slice(0, i) + noise + text.slice(i);
    case "truncate":
      return text.slice(0, i);
    case "duplicate":
      return text.slice(0, i) + text.slice(Math.max(0, i - 20), i) + text.slice(i);
  }
}

const deepVariables = `{"query":"query($v: JSON) { __typename }","variables":{"v":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`;

/** Bodies that are not a GraphQL request over JSON, or barely: the HTTP layer must refuse them with a 4xx. */
export function rawRequestArbitrary() {
  const bodies = fc.oneof(
    fc.constantFrom(
      { body: "", contentType: "application/json" },
      { body: "{", contentType: "application/json" },
      { body: "null", contentType: "application/json" },
      { body: "[]", contentType: "application/json" },
      { body: "1", contentType: "application/json" },
      { body: '{"query": 1}', contentType: "application/json" },
      { body: '{"query": null}', contentType: "application/json" },
      { body: '{"query": "{ __typename }", "variables": "x"}', contentType: "application/json" },
      { body: '{"query": "{ __typename }", "variables": [1]}', contentType: "application/json" },
      { body: '{"query": "{ __typename }", "operationName": 5}', contentType: "application/json" },
      { body: '{"query": "{ __typename }", "extensions": "x"}', contentType: "application/json" },
      { body: '[{"query": "{ __typename }"}]', contentType: "application/json" },
      { body: deepVariables, contentType: "application/json" },
      { body: "{ __typename }", contentType: "application/graphql" },
      { body: "{ __typename }", contentType: "text/plain" },
      { body: "query={__typename}", contentType: "application/x-www-form-urlencoded" },
      { body: '{"query": "{ __typename }"}', contentType: "application/json; charset=latin1" },
    ),
    fc.string({ unit: "binary", maxLength: 40 }).map((body) => ({ body, contentType: "application/json" })),
  );
  return bodies.map(({ body, contentType }) => ({
    transport: "raw" as const,
    query: "",
    variables: {},
    operationName: null,
    body,
    contentType,
    flaw: "raw-body" as const,
  }));
}
