// The shape of a generated operation before it is printed: plain data, so a generated plan can be copied
// and broken on purpose (tests/fuzz/flaws.ts) without touching the value fast-check shrinks.
import {
  Kind,
  OperationTypeNode,
  parseType,
  print,
  type ArgumentNode,
  type DocumentNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { GenValue } from "./values.js";

export interface ArgPlan {
  name: string;
  /** The argument's type as the schema prints it: a variable carrying the value is declared with it. */
  typeName: string;
  value: GenValue;
  asVariable: boolean;
  /** Set to break the document: the variable is not declared at all. */
  undeclared?: boolean;
  /** Set to break the request: the variable is declared but given no value. */
  omitValue?: boolean;
}

export interface FieldPlan {
  kind: "field";
  name: string;
  alias: string | null;
  args: ArgPlan[];
  /** Null for a leaf. */
  selections: SelectionPlan[] | null;
}

export interface FragmentPlan {
  kind: "fragment";
  on: string;
  selections: SelectionPlan[];
}

export type SelectionPlan = FieldPlan | FragmentPlan;

export interface OperationPlan {
  operation: "query" | "mutation";
  name: string | null;
  selections: SelectionPlan[];
}

export interface DocumentPlan {
  operations: OperationPlan[];
  operationName: string | null;
}

export interface PrintedDocument {
  query: string;
  variables: Record<string, unknown>;
}

/** The document's text and the variables its arguments were lifted into, one variable per argument. */
export function printPlan(plan: DocumentPlan): PrintedDocument {
  const variables: Record<string, unknown> = {};
  let counter = 0;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: plan.operations.map((operation) => {
      const definitions: { name: string; typeName: string }[] = [];
      const argument = (arg: ArgPlan): ArgumentNode => {
        let value: ValueNode = arg.value.literal;
        if (arg.undeclared) value = variable("undeclared");
        else if (arg.asVariable) {
          const name = `v${counter++}`;
          definitions.push({ name, typeName: arg.typeName });
          if (!arg.omitValue && arg.value.json !== undefined) variables[name] = arg.value.json;
          value = variable(name);
        }
        return { kind: Kind.ARGUMENT, name: nameNode(arg.name), value };
      };
      const selectionSet = (selections: SelectionPlan[]): SelectionSetNode => ({
        kind: Kind.SELECTION_SET,
        selections: selections.map((selection): SelectionNode => {
          if (selection.kind === "fragment") {
            return {
              kind: Kind.INLINE_FRAGMENT,
              typeCondition: { kind: Kind.NAMED_TYPE, name: nameNode(selection.on) },
              selectionSet: selectionSet(selection.selections),
            };
          }
          return {
            kind: Kind.FIELD,
            alias: selection.alias ? nameNode(selection.alias) : undefined,
            name: nameNode(selection.name),
            arguments: selection.args.map(argument),
            selectionSet: selection.selections ? selectionSet(selection.selections) : undefined,
          };
        }),
      });
      const body = selectionSet(operation.selections);
      return {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation.operation === "query" ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION,
        name: operation.name ? nameNode(operation.name) : undefined,
        variableDefinitions: definitions.map(({ name, typeName }) => ({
          kind: Kind.VARIABLE_DEFINITION,
          variable: variable(name),
          type: parseType(typeName),
        })),
        selectionSet: body,
      };
    }),
  };
  return { query: print(document), variables };
}

function nameNode(value: string) {
  return { kind: Kind.NAME, value } as const;
}

function variable(name: string) {
  return { kind: Kind.VARIABLE, name: nameNode(name) } as const;
}

/** Every field of the plan, depth first: where a flaw can be put. */
export function fieldsOf(plan: DocumentPlan): FieldPlan[] {
  const fields: FieldPlan[] = [];
  const walk = (selections: SelectionPlan[]) => {
    for (const selection of selections) {
      if (selection.kind === "field") fields.push(selection);
      if (selection.selections) walk(selection.selections);
    }
  };
  for (const operation of plan.operations) walk(operation.selections);
  return fields;
}

/** Every selection set of the plan, the operations' own included. */
export function selectionSetsOf(plan: DocumentPlan): SelectionPlan[][] {
  const sets: SelectionPlan[][] = [];
  const walk = (selections: SelectionPlan[]) => {
    sets.push(selections);
    for (const selection of selections) if (selection.selections) walk(selection.selections);
  };
  for (const operation of plan.operations) walk(operation.selections);
  return sets;
}
