// Documents built from the schema itself, so a field or connection added later is covered by the
// tests that walk it without being listed: every paged connection, and every field reachable from
// an entity with its arguments at their defaults.
import {
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLUnionType,
  isLeafType,
  isNonNullType,
  type GraphQLNamedType,
} from "graphql";
import { schema } from "../../src/schema/index.js";
import { isPagedConnection } from "../../src/schema/cursors.js";

export { schema };

export const chongqingId = Buffer.from("City:chongqing").toString("base64");

/**
 * A sensible value for an argument with no default that must be given, by its name: the graph's own
 * names and keys. An argument this table does not know fails the test that needs it, by name.
 */
const requiredValues: Record<string, unknown> = {
  name: "Chongqing",
  query: "Chongqing",
  type: "APPLIES_TO",
  indicator: "auto-retail-sales-growth",
  key: "vat-refund-expansion",
  id: chongqingId,
  entityId: chongqingId,
  ids: [chongqingId],
  entities: [chongqingId],
  from: chongqingId,
  to: Buffer.from("Province:sichuan").toString("base64"),
  groupBy: "YEAR",
};

/** Whether an argument must be given: non-null and without a default. */
export const mustBeGiven = (arg: GraphQLArgument): boolean => isNonNullType(arg.type) && arg.defaultValue === undefined;

/** `(a: 1, b: "x")` for the arguments that must be given, every other argument left at its default. */
export function requiredArguments(field: GraphQLField<unknown, unknown>, coordinate: string): string {
  const given = field.args.filter(mustBeGiven).map((arg) => {
    if (!(arg.name in requiredValues))
      throw new Error(`No sample value for the required argument ${coordinate}(${arg.name}:)`);
    return `${arg.name}: ${JSON.stringify(requiredValues[arg.name])}`;
  });
  return given.length ? `(${given.join(", ")})` : "";
}

export interface PagedConnection {
  /** The type holding the field: Query, an object type or an interface. */
  parent: string;
  field: string;
  /** The connection's cursors: row ids, or positions in a ranking. */
  pagesBy: "id" | "position";
  args: string[];
  required: string;
}

/** Every Relay connection of the schema that takes `after` or `before`, with how it pages. */
export function pagedConnections(): PagedConnection[] {
  const found: PagedConnection[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) || type.name.startsWith("__"))
      continue;
    for (const field of Object.values(type.getFields())) {
      if (!isPagedConnection(field)) continue;
      found.push({
        parent: type.name,
        field: field.name,
        pagesBy: field.extensions.pagesBy === "position" ? "position" : "id",
        args: field.args.map((arg) => arg.name),
        required: requiredArguments(field, `${type.name}.${field.name}`),
      });
    }
  }
  return found;
}

const typeSelectable = (type: GraphQLNamedType): type is GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType =>
  type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;

/** One field with the arguments it must be given and, for an object, its selection `depth` levels down. */
export function fieldSelection(holder: GraphQLObjectType | GraphQLInterfaceType, name: string, depth: number): string {
  const field = holder.getFields()[name]!;
  const args = requiredArguments(field, `${holder.name}.${name}`);
  const named = getNamedType(field.type);
  if (isLeafType(named)) return `${name}${args}`;
  if (relayPlumbing(named)) return `${name}${args} { ${everyField(named, depth)} }`;
  return `${name}${args} { ${depth <= 1 ? "__typename" : everyField(named, depth - 1)} }`;
}

/** A connection, edge or page info: the wrapping of a list, which does not count as a level. */
function relayPlumbing(type: GraphQLNamedType): boolean {
  if (!(type instanceof GraphQLObjectType)) return false;
  const fields = type.getFields();
  return Boolean((fields.edges && fields.pageInfo) || (fields.node && fields.cursor) || fields.hasNextPage);
}

/**
 * The selection of every field of `type`, `depth` levels of fields deep (the last level's objects
 * answer `__typename`), arguments at their defaults (required ones filled), and the members of an
 * interface or union through inline fragments, each with the fields the interface does not have.
 */
export function everyField(type: GraphQLNamedType, depth: number): string {
  if (!typeSelectable(type)) return "";
  const parts: string[] = ["__typename"];
  const shared = type instanceof GraphQLUnionType ? {} : type.getFields();
  if (!(type instanceof GraphQLUnionType))
    for (const name of Object.keys(shared)) parts.push(fieldSelection(type, name, depth));
  const members =
    type instanceof GraphQLUnionType
      ? type.getTypes()
      : type instanceof GraphQLInterfaceType
        ? schema.getPossibleTypes(type)
        : [];
  for (const member of members) {
    const own = Object.keys(member.getFields()).filter((name) => !(name in shared));
    if (own.length)
      parts.push(`... on ${member.name} { ${own.map((name) => fieldSelection(member, name, depth)).join(" ")} }`);
  }
  return parts.join(" ");
}

/** A selection to ask, and how to ask it in smaller parts when it is over a limit. */
export interface SelectionPiece {
  document: string;
  /** The same fields in several documents, one per field a level down; none for a leaf. */
  parts(): SelectionPiece[];
}

/**
 * `holder.name` with every field beneath it `depth` levels deep, in one document made by `wrap`,
 * which can be cut into one document per field of the next level, and so on down.
 */
export function selectionPiece(
  holder: GraphQLObjectType | GraphQLInterfaceType,
  name: string,
  depth: number,
  wrap: (selection: string) => string,
): SelectionPiece {
  const field = holder.getFields()[name]!;
  const args = requiredArguments(field, `${holder.name}.${name}`);
  const named = getNamedType(field.type);
  return {
    document: wrap(fieldSelection(holder, name, depth)),
    parts() {
      const plumbing = relayPlumbing(named);
      if (!typeSelectable(named) || (depth <= 1 && !plumbing)) return [];
      const next = plumbing ? depth : depth - 1;
      const within = (inner: string) => wrap(`${name}${args} { __typename ${inner} }`);
      const shared = named instanceof GraphQLUnionType ? {} : named.getFields();
      const pieces = Object.keys(shared).map((child) =>
        selectionPiece(named as GraphQLObjectType | GraphQLInterfaceType, child, next, within),
      );
      const members =
        named instanceof GraphQLUnionType
          ? named.getTypes()
          : named instanceof GraphQLInterfaceType
            ? schema.getPossibleTypes(named)
            : [];
      for (const member of members)
        for (const child of Object.keys(member.getFields()).filter((child) => !(child in shared)))
          pieces.push(selectionPiece(member, child, next, (inner) => within(`... on ${member.name} { ${inner} }`)));
      return pieces;
    },
  };
}
