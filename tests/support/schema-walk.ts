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

/** A selection of the leaves of a type (`id name kind`), or `__typename` for a type with none. */
function leaves(type: GraphQLNamedType): string {
  if (!(type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType)) return "__typename";
  const names = Object.values(type.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) && !field.args.some(mustBeGiven))
    .map((field) => field.name);
  return ["__typename", ...names].join(" ");
}

const typeSelectable = (type: GraphQLNamedType): type is GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType =>
  type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;

/**
 * The selection of every field of `type` down `depth` levels of objects: leaves at every level,
 * arguments at their defaults (required ones filled), the members of interfaces and unions through
 * inline fragments. At the last level an object field selects only its leaves.
 */
export function everyField(type: GraphQLNamedType, depth: number): string {
  if (!typeSelectable(type)) return "";
  const parts: string[] = ["__typename"];
  const fieldsOf = (holder: GraphQLObjectType | GraphQLInterfaceType) =>
    Object.values(holder.getFields()).map((field) => {
      const args = requiredArguments(field, `${holder.name}.${field.name}`);
      const named = getNamedType(field.type);
      if (isLeafType(named)) return `${field.name}${args}`;
      if (depth <= 1) return `${field.name}${args} { ${leaves(named)} }`;
      return `${field.name}${args} { ${everyField(named, depth - 1)} }`;
    });
  if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) parts.push(...fieldsOf(type));
  const members =
    type instanceof GraphQLUnionType
      ? type.getTypes()
      : type instanceof GraphQLInterfaceType
        ? schema.getPossibleTypes(type)
        : [];
  for (const member of members) parts.push(`... on ${member.name} { ${fieldsOf(member).join(" ")} }`);
  return parts.join(" ");
}
