// Typed relationships between any two entities, and the traversals built on them.
import { builder } from "./builder.js";
import type { Direction, Edge, EdgeQuery } from "../reads/edges.js";
import { ListTooLongError, UserInputError } from "../errors.js";
import { cursorId, idCursor } from "./cursors.js";
import type { Context } from "../context.js";
import { partialDate, type PartialDate } from "../partial-date.js";
import { EntityRef } from "./entity.js";
import { FactRef } from "./facts.js";
import { DateBoundEnum, includePossibleArg } from "./enums.js";
import { LINKED_LIST_MAX, MAX_PAGE_SIZE, pageSize } from "./pagination.js";
import { readsParent, rowShapeAt } from "./read-ahead/row-selection.js";
import { narrowShape } from "../reads/entity-rows.js";
import { edgeField, edgeQuery, type EdgeFieldPlan } from "./read-ahead/edge-fields.js";
import type { FieldSelection } from "./read-ahead/per-selection.js";
import type { GraphQLResolveInfo } from "graphql";
import type { Entity, RelationType, Relationship } from "../generated/prisma/client.js";
import { type Pointer, pointedJoins, withPointedRows } from "./read-ahead/pointed-rows.js";

export const DirectionEnum = builder.enumType("Direction", {
  description: "Which way an edge points, seen from the entity it is asked of.",
  values: {
    OUTGOING: { description: "From this entity to another (Seres -HEADQUARTERED_IN-> Chongqing, seen from Seres)." },
    INCOMING: { description: "From another entity to this one." },
    BOTH: { description: "Either way." },
  },
});

export const RelationTypeRef = builder.prismaObject("RelationType", {
  description: "A kind of relationship, with labels for both reading directions.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "e.g. `VAT_REFUND_PARTNER`." }),
    label: t.exposeString("label", { description: "Reading from `from` to `to`, e.g. `is a brand of`." }),
    inverseLabel: t.exposeString("inverseLabel", {
      description: "Reading from `to` to `from`, e.g. `owns the brand`.",
    }),
    description: t.exposeString("description", { description: "What the relation means, and when it is used." }),
    symmetric: t.exposeBoolean("symmetric", { description: "True when the relation reads the same both ways." }),
  }),
});

export const RelationshipRef = builder.prismaNode("Relationship", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: "A typed, dated edge between two entities, with its provenance.",
  fields: (t) => ({
    type: t.exposeString("typeKey", { description: "The relation type's key, e.g. `BRAND_OF`." }),
    relationType: t.field({
      ...readsParent("typeKey"),
      description: "The type, with its labels for both directions.",
      type: RelationTypeRef,
      resolve: (rel, _args, ctx) => ctx.loaders.pointedRow<RelationType>("RelationType", rel.typeKey),
    }),
    from: t.field({
      ...readsParent("fromId"),
      description: "The entity the relationship starts from.",
      type: EntityRef,
      resolve: (rel, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", rel.fromId),
    }),
    to: t.field({
      ...readsParent("toId"),
      description: "The entity the relationship points to.",
      type: EntityRef,
      resolve: (rel, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", rel.toId),
    }),
    validFrom: t.field({
      type: "PartialDate",
      nullable: true,
      description:
        "When the relationship began, at the precision the source gives; a bound rather than the date where `validFromBound` says so.",
      resolve: (rel) => partialDate(rel.validFrom, rel.validFromPrecision),
    }),
    validFromBound: t.expose("validFromBound", {
      type: DateBoundEnum,
      description:
        "EXACT when the source gives validFrom; NOT_BEFORE or NOT_AFTER when validFrom only bounds a start the source does not give.",
    }),
    validTo: t.field({
      type: "PartialDate",
      nullable: true,
      description: "When it stopped being valid; null while it still is (or the source does not say).",
      resolve: (rel) => partialDate(rel.validTo, rel.validToPrecision),
    }),
    properties: t.expose("properties", {
      type: "JSON",
      description: "Further attributes, a JSON object (empty when none).",
    }),
  }),
});

/** Checks relation type keys against the graph's types, so a typo is an error, not an empty list. */
export async function checkRelationTypes(ctx: Context, keys: readonly string[]): Promise<void> {
  const found = await ctx.loaders.relationType.loadMany(keys);
  const unknown = keys.filter((_key, index) => !found[index] || found[index] instanceof Error);
  if (unknown.length) {
    throw new UserInputError(
      `Unknown relationship type: ${unknown.join(", ")}. The field relationTypes lists them.`,
      "UNKNOWN_RELATION_TYPE",
      {
        unknown,
      },
    );
  }
}

/** An edge of the connection; its cursor is encoded only if a client selects it. */
class RelationshipEdge {
  readonly node: Relationship;
  readonly direction: Edge["direction"];
  readonly other: Entity;
  constructor(edge: Edge) {
    this.node = edge.relationship;
    this.direction = edge.direction;
    this.other = edge.other;
  }
  get cursor(): string {
    return idCursor(this.node.id);
  }
}

const RelationshipConnection = builder.connectionObject(
  {
    type: RelationshipRef,
    name: "EntityRelationshipConnection",
  },
  {
    name: "EntityRelationshipEdge",
    fields: (t) => ({
      direction: t.field({
        type: DirectionEnum,
        description: "OUTGOING when the entity asked about is the relationship's `from`.",
        resolve: (edge) => (edge as unknown as RelationshipEdge).direction,
      }),
      other: t.field({
        type: EntityRef,
        description: "The entity at the other end.",
        resolve: (edge) => (edge as unknown as RelationshipEdge).other,
      }),
    }),
  },
);

/** What a relationship points at, read ahead for a page of them (src/schema/read-ahead/pointed-rows.ts). */
const relationshipPointers: readonly Pointer<Relationship>[] = [
  { field: "from", table: "Entity", column: "fromId" },
  { field: "to", table: "Entity", column: "toId" },
  { field: "source", table: "Source", column: "sourceId" },
  { field: "relationType", table: "RelationType", column: "typeKey" },
];

/** The rows a page's relationships point at that its selection asks for, read in the page's statement. */
function pointedOf(selection: FieldSelection): Pick<EdgeQuery, "pointed"> {
  const pointed = pointedJoins(selection, relationshipPointers, ["edges", "node"]);
  return pointed.length ? { pointed } : {};
}

/** A page of an entity's relationships, as its arguments and selection ask. */
const relationshipsPlan: EdgeFieldPlan<{
  type?: string | null;
  direction?: Direction | null;
  asOf?: PartialDate | null;
  includePossible?: boolean | null;
  first?: number | null;
  after?: string | null;
}> = {
  query: (args, selection) => ({
    types: args.type ? [args.type] : null,
    direction: args.direction ?? "BOTH",
    asOf: args.asOf?.date ?? null,
    ...(args.asOf && args.includePossible ? { asOfPossible: true } : {}),
    limit: pageSize(args),
    afterId: args.after ? cursorId(args.after) : null,
    shapes: {
      relationship: rowShapeAt(selection, ["edges", "node"], "Relationship"),
      other: rowShapeAt(selection, ["edges", "other"], "Entity"),
    },
    ...pointedOf(selection),
  }),
  farEnds: ["edges", "other"],
};

builder.prismaInterfaceField(EntityRef, "relationships", (t) =>
  t.field({
    ...edgeField(relationshipsPlan),
    type: RelationshipConnection,
    description: "The entity's relationships, filtered by type and direction, oldest first.",
    args: {
      type: t.arg.string({ required: false, description: "A relation type key (see `relationTypes`)." }),
      direction: t.arg({
        type: DirectionEnum,
        defaultValue: "BOTH",
        description: "OUTGOING: from this entity; INCOMING: to it; BOTH: either.",
      }),
      asOf: t.arg({
        type: "PartialDate",
        required: false,
        description: "Only relationships certainly valid on that day (see includePossible).",
      }),
      includePossible: t.arg.boolean(includePossibleArg),
      first: t.arg.int({ required: false, description: "How many items to return: 0 to 100, 20 when absent." }),
      after: t.arg.string({ required: false, description: "Return items after the one with this cursor." }),
    },
    resolve: async (entity, args, ctx, info) => {
      const query = edgeQuery(relationshipsPlan, args, info);
      if (args.type) await checkRelationTypes(ctx, [args.type]);
      const page = await loadEdges(ctx, entity.id, query);
      // Edge pages are read with their far ends (src/reads/edges.ts); what else they point at follows.
      await withPointedRows(ctx, info, () => page.edges.map((edge) => edge.relationship), relationshipPointers, [
        "edges",
        "node",
      ]);
      return {
        totalCount: () => ctx.loaders.edgeCount(entity.id, query),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(args.after),
          startCursor: page.edges[0] ? idCursor(page.edges[0].relationship.id) : null,
          endCursor: page.edges.at(-1) ? idCursor(page.edges.at(-1)!.relationship.id) : null,
        },
        edges: page.edges.map((edge) => new RelationshipEdge(edge)),
      };
    },
  }),
);

/**
 * Loads a page of edges; primes the entity loader with its far ends read whole (no second lookup)
 * and the edges loader with the pages read ahead for them (no second statement).
 */
export async function loadEdges(ctx: Context, entityId: number, query: EdgeQuery) {
  const page = await ctx.loaders.edges(entityId, query);
  if (page.shapes.other === "whole") for (const edge of page.edges) ctx.loaders.entity.prime(edge.other.id, edge.other);
  for (const ahead of page.ahead) ctx.loaders.primeEdges(ahead);
  return page;
}

/** The shape of an edge a field answers with its far end alone (a province's cities, a company's brands): its id. */
export const unexposedEdge = narrowShape("Relationship", []);

interface LinkedListArgs {
  first?: number | null;
}

/** The argument of every list of linked entities (`linkedField`). */
const linkedListArgs = builder.args((t) => ({
  first: t.int({
    required: false,
    description: `Only the first this many (0 to ${MAX_PAGE_SIZE}), in the order they were linked. Without it, the whole list, up to ${LINKED_LIST_MAX}: a longer one fails with LIST_TOO_LONG (page it through \`relationships\`).`,
  }),
}));

/**
 * Field options of a list of the entities linked to the parent by fixed relation types (bounded
 * typed traversals: a company's brands, a policy's issuers), each far end once, by its first link,
 * in the order of those links, read with the columns its selection reads.
 *
 * The list is bounded like every read: `first` asks for the first few; without it the whole list is
 * answered up to LINKED_LIST_MAX entities, and a longer one (a province's thousands of policies on a
 * large graph) fails with LIST_TOO_LONG, naming the connection that pages through it, rather than
 * reading without end or answering a list cut short without saying so.
 */
export function linkedField(query: Omit<EdgeQuery, "limit" | "afterId" | "shapes" | "next">) {
  const plan: EdgeFieldPlan<LinkedListArgs> = {
    query: (args, selection) => ({
      ...query,
      distinctOthers: true,
      limit: args.first == null ? LINKED_LIST_MAX : pageSize(args),
      shapes: { relationship: unexposedEdge, other: rowShapeAt(selection, [], "Entity") },
    }),
    farEnds: [],
  };
  return {
    ...edgeField(plan),
    args: linkedListArgs,
    resolve: async (parent: { id: number }, args: LinkedListArgs, ctx: Context, info: GraphQLResolveInfo) => {
      const page = await loadEdges(ctx, parent.id, edgeQuery(plan, args, info));
      if (page.hasNextPage && args.first == null) {
        throw new ListTooLongError(
          `${info.parentType.name}.${info.fieldName} links more than ${LINKED_LIST_MAX} entities here: ask for \`${info.fieldName}(first: …)\`, or page through the links with \`relationships(type: …, direction: ${query.direction}, first: …, after: …)\`, one type at a time (${query.types?.join(", ")}).`,
          LINKED_LIST_MAX,
        );
      }
      return page.edges.map((edge) => edge.other);
    },
  };
}

builder.queryFields((t) => ({
  relationTypes: t.prismaField({
    type: [RelationTypeRef],
    description: "Every relationship type of the graph.",
    resolve: (query, _parent, _args, ctx) => ctx.prisma.relationType.findMany({ ...query, orderBy: { key: "asc" } }),
  }),
}));
