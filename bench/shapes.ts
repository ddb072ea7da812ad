// Every shape a client can send "beneath a list": a page of a root list and, beneath each of its
// items, one of the item's own lists of objects, read from the schema itself. A field added later
// becomes a shape without being listed here, so the benchmark's `--shapes` mode and the statement
// test (tests/bench/shapes.test.ts) cover it the day it lands.
import {
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  type GraphQLSchema,
  GraphQLUnionType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLOutputType,
} from "graphql";

export interface Shape {
  /** `cities.observations`: the root list, then the field beneath each item. */
  name: string;
  /** The document, named `Shape`, its root list aliased `list`. */
  document: string;
}

/** Items in the root page, and in each nested list that pages. */
export const SHAPE_PAGE = { root: 20, nested: 10 };

type Holder = GraphQLObjectType | GraphQLInterfaceType;

const unwrap = (type: GraphQLOutputType): GraphQLOutputType => (isNonNullType(type) ? type.ofType : type);
const isList = (type: GraphQLOutputType) => isListType(unwrap(type));
const mustBeGiven = (field: GraphQLField<unknown, unknown>) =>
  field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);

/** A Relay connection type: what the item type of a paged list is (`edges { node }`). */
function connectionNode(type: GraphQLNamedType): GraphQLNamedType | null {
  if (!(type instanceof GraphQLObjectType)) return null;
  const edges = type.getFields().edges;
  if (!edges || !type.getFields().pageInfo) return null;
  const edge = getNamedType(edges.type) as GraphQLObjectType;
  const node = edge.getFields().node;
  return node ? getNamedType(node.type) : null;
}

const selectable = (type: GraphQLNamedType): type is Holder | GraphQLUnionType =>
  type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;

/** What names an object in an answer: its id where it has one, else its first leaf field. */
function reference(type: GraphQLNamedType): string {
  if (type instanceof GraphQLUnionType) return "__typename";
  if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType)) return "";
  const fields = type.getFields();
  if (fields.id) return "__typename id";
  const leaf = Object.values(fields).find((f) => isLeafType(getNamedType(f.type)) && !mustBeGiven(f));
  return leaf ? `__typename ${leaf.name}` : "__typename";
}

/**
 * An item of a nested list: every leaf field without required arguments, and every single object
 * it points at (an observation's indicator, an edge's far end) by its id; its own lists are left
 * out, so one shape measures one list beneath another.
 */
function item(type: GraphQLNamedType): string {
  if (type instanceof GraphQLUnionType) return "__typename";
  if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType)) return "";
  const parts = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    if (mustBeGiven(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (!isList(field.type) && selectable(named) && !connectionNode(named))
      parts.push(`${field.name} { ${reference(named)} }`);
  }
  return parts.join(" ");
}

/** The selection of a list field beneath an item: plain list or connection (with its edges' own objects). */
function nestedList(field: GraphQLField<unknown, unknown>, first: number): string {
  const named = getNamedType(field.type);
  const pages = field.args.some((arg) => arg.name === "first");
  const args = pages ? `(first: ${first})` : "";
  const node = connectionNode(named);
  if (!node) return `${field.name}${args} { ${item(named)} }`;
  const edge = getNamedType((named as GraphQLObjectType).getFields().edges!.type) as GraphQLObjectType;
  const edgeObjects = Object.values(edge.getFields())
    .filter((f) => f.name !== "node" && !isList(f.type) && selectable(getNamedType(f.type)) && !mustBeGiven(f))
    .map((f) => `${f.name} { ${reference(getNamedType(f.type))} }`);
  return `${field.name}${args} { edges { ${edgeObjects.join(" ")} node { ${item(node)} } } }`;
}

/** The root lists (connections of Query that need no argument) and every object list beneath their items. */
export function shapesOf(schema: GraphQLSchema, page: { root: number; nested: number } = SHAPE_PAGE): Shape[] {
  const shapes: Shape[] = [];
  const query = schema.getQueryType()!;
  for (const root of Object.values(query.getFields())) {
    const node = connectionNode(getNamedType(root.type));
    if (!node) continue;
    // A root that needs an argument (a search, a count by type) has no page to ask without one.
    if (mustBeGiven(root)) continue;
    if (!(node instanceof GraphQLObjectType || node instanceof GraphQLInterfaceType)) continue;
    for (const field of Object.values(node.getFields())) {
      const named = getNamedType(field.type);
      const listed = isList(field.type) ? named : connectionNode(named);
      if (!listed || !selectable(listed)) continue;
      const name = `${root.name}.${field.name}`;
      if (mustBeGiven(field)) continue;
      const document = `query Shape { list: ${root.name}(first: ${page.root}) { edges { node { ${reference(node)} ${nestedList(field, page.nested)} } } } }`;
      shapes.push({ name, document });
    }
  }
  return shapes;
}
