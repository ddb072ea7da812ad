// What an operation will cost, computed from the schema before it runs: every field costs 1, and
// what lies beneath a list costs once per item the list may hold. The items are counted the way
// the GraphQL cost directives (`@listSize`) count them:
// - a connection (a type with `edges` and `pageInfo`) holds `first` or `last` edges, or the default page;
// - any other list holds as many as its slicing argument says (`first`, `limit`) or as many ids as it
//   is given (`nodes(ids:)`, `compare(entities:)`), else an assumed size;
// - a field may say that its argument sizes lists beneath it, through the field extension `listSize`
//   (`neighborhood(limit:)` sizes its `nodes` and `edges`).
// Argument values come from the literals and the request's variables, clamped to what the fields
// accept, so a refused page size is still the field's own coded error, not a cost.
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** `extensions.listSize` of a field whose argument bounds lists beneath it. */
export interface ListSize {
  slicingArgument: string;
  sizedFields: string[];
}

export interface CostOptions {
  /** Items of a connection when neither `first` nor `last` is given. */
  defaultPageSize: number;
  /** Items assumed of a list that no argument bounds. */
  assumedListSize: number;
  /** The largest item count an argument can ask for; larger values are refused by the field itself. */
  maxListSize: number;
}

const slicingArguments = ["first", "last", "limit"];
const idListArguments = ["ids", "entities"];

export function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | null {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName) ?? null;
  return operations.length === 1 ? operations[0]! : null;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
  options: CostOptions,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const argument = (node: FieldNode, field: GraphQLField<unknown, unknown>, name: string): unknown => {
    const given = node.arguments?.find((arg) => arg.name.value === name);
    if (given) return valueFromASTUntyped(given.value, variables ?? undefined);
    return field.args.find((arg) => arg.name === name)?.defaultValue;
  };

  const sliceOf = (node: FieldNode, field: GraphQLField<unknown, unknown>, names: string[]): number | null => {
    let size: number | null = null;
    for (const name of names) {
      const value = argument(node, field, name);
      if (typeof value === "number" && Number.isFinite(value))
        size = Math.max(size ?? 0, clamp(value, options.maxListSize));
    }
    return size;
  };

  const idCount = (node: FieldNode, field: GraphQLField<unknown, unknown>): number | null => {
    for (const name of idListArguments) {
      const value = argument(node, field, name);
      if (Array.isArray(value)) return value.length;
    }
    return null;
  };

  /** Cost of a selection on `type`; `sized` gives the item count of the lists named in it. */
  const selectionCost = (
    set: SelectionSetNode,
    type: GraphQLNamedType | null,
    sized: Map<string, number> | null,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, type, sized);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? null) : type;
        total += selectionCost(selection.selectionSet, condition, sized);
      } else {
        total += fragmentCost(selection.name.value, sized);
      }
    }
    return total;
  };

  const fragmentCost = (name: string, sized: Map<string, number> | null): number => {
    const fragment = fragments.get(name);
    // Unknown and cyclic fragments are refused by validation; they add nothing here.
    if (!fragment || inProgress.has(name)) return 0;
    const memoised = sized ? undefined : memo.get(name);
    if (memoised !== undefined) return memoised;
    inProgress.add(name);
    const cost = selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? null, sized);
    inProgress.delete(name);
    if (!sized) memo.set(name, cost);
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | null, sized: Map<string, number> | null): number => {
    const name = node.name.value;
    if (name === "__typename") return 0;
    const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    if (!field) return 1 + (node.selectionSet ? selectionCost(node.selectionSet, null, null) : 0);
    if (!node.selectionSet) return 1;
    const named = getNamedType(field.type);
    const childType = isCompositeType(named) ? named : null;
    let items = 1;
    let childSized: Map<string, number> | null = null;
    const declared = field.extensions?.listSize as ListSize | undefined;
    if (declared) {
      const size = sliceOf(node, field, [declared.slicingArgument]) ?? options.assumedListSize;
      childSized = new Map(declared.sizedFields.map((sizedField) => [sizedField, size]));
    } else if (childType && isConnection(childType)) {
      childSized = new Map([["edges", sliceOf(node, field, ["first", "last"]) ?? options.defaultPageSize]]);
    } else if (isListType(getNullableType(field.type))) {
      items =
        sized?.get(name) ?? sliceOf(node, field, slicingArguments) ?? idCount(node, field) ?? options.assumedListSize;
    }
    if (sized?.has(name) && items === 1) items = sized.get(name)!;
    return 1 + items * selectionCost(node.selectionSet, childType, childSized);
  };

  return selectionCost(operation.selectionSet, rootType(schema, operation), null);
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | null {
  if (operation.operation === "mutation") return schema.getMutationType() ?? null;
  if (operation.operation === "subscription") return schema.getSubscriptionType() ?? null;
  return schema.getQueryType() ?? null;
}

function isConnection(type: GraphQLCompositeType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return "edges" in fields && "pageInfo" in fields;
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), 0), max);
}
