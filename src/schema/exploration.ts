// Exploring without knowing the schema: neighbourhoods ready for a graph visualiser, shortest paths.
import { encodeGlobalId } from "../global-id.js";
import { builder } from "./builder.js";
import type { Context } from "../context.js";
import { loadNeighborhood } from "../reads/subgraph.js";
import { loadShortestPaths, type PathStep } from "../reads/paths.js";
import { distanceKm, pointOf, roundKm } from "../reads/nearby.js";
import { UserInputError } from "../errors.js";
import type { Entity, Relationship, Source } from "../generated/prisma/client.js";
import { EntityRef } from "./entity.js";
import { typeNameOfKind } from "./type-names.js";
import { entityTypeNames } from "./type-names.js";
import { CertaintyEnum, EntityKindEnum, includePossibleArg } from "./enums.js";
import { checkRelationTypes, DirectionEnum, RelationshipRef } from "./relationships.js";

export function entityGlobalId(entity: Entity): string {
  return encodeGlobalId(typeNameOfKind[entity.kind], entity.key);
}

/**
 * The entity a global id names (or, for an entity merged away, the one it was merged into); a
 * non-entity id is the client's mistake, an unknown one is null.
 */
export async function entityFromGlobalId(
  ctx: Context,
  globalId: { typename: string; id: string },
  argument: string,
): Promise<Entity | null> {
  if (!entityTypeNames.has(globalId.typename)) {
    throw new UserInputError(
      `Argument "${argument}" must be the id of an entity, not of a ${globalId.typename}.`,
      "INVALID_ID",
    );
  }
  return (await ctx.loaders.entityByKey.load(globalId.id)) ?? ctx.loaders.redirectTarget.load(globalId.id);
}

function checkRange(name: string, value: number, min: number, max: number) {
  if (value < min || value > max)
    throw new UserInputError(`Argument "${name}" must be between ${min} and ${max}, got ${value}.`, "BAD_USER_INPUT");
}

const GraphNodeRef = builder.objectRef<{ entity: Entity; depth: number }>("GraphNode").implement({
  description: "A node of a subgraph, shaped for graph visualisers (Cytoscape.js, Sigma).",
  fields: (t) => ({
    id: t.id({ description: "The entity's global id.", resolve: (node) => entityGlobalId(node.entity) }),
    kind: t.field({
      description: "The entity's kind, for styling.",
      type: EntityKindEnum,
      resolve: (node) => node.entity.kind,
    }),
    label: t.string({ description: "The entity's English name.", resolve: (node) => node.entity.name }),
    labelZh: t.string({
      description: "The entity's Chinese name.",
      nullable: true,
      resolve: (node) => node.entity.nameZh,
    }),
    depth: t.exposeInt("depth", { description: "Hops from the centre." }),
    entity: t.field({
      description: "The entity itself, for any further field.",
      type: EntityRef,
      resolve: (node) => node.entity,
    }),
  }),
});

const GraphEdgeRef = builder.objectRef<Relationship & { endpoints: Map<number, Entity> }>("GraphEdge").implement({
  description: "An edge of a subgraph: ids of both ends for a visualiser, and its provenance.",
  fields: (t) => ({
    id: t.id({
      description: "The relationship's global id.",
      resolve: (edge) => encodeGlobalId("Relationship", edge.key),
    }),
    source: t.id({
      description: "Global id of the `from` entity.",
      resolve: (edge) => entityGlobalId(edge.endpoints.get(edge.fromId)!),
    }),
    target: t.id({
      description: "Global id of the `to` entity.",
      resolve: (edge) => entityGlobalId(edge.endpoints.get(edge.toId)!),
    }),
    type: t.exposeString("typeKey", { description: "The relation type's key, e.g. `VAT_REFUND_PARTNER`." }),
    label: t.string({
      description: "The relation type read from `source` to `target`, e.g. `refunds VAT with`.",
      resolve: async (edge, _args, ctx) => (await ctx.loaders.relationType.load(edge.typeKey))!.label,
    }),
    certainty: t.field({
      description: "How firmly the source supports it.",
      type: CertaintyEnum,
      resolve: (edge) => edge.certainty,
    }),
    quote: t.exposeString("quote", { description: "The sentence of the source that supports it." }),
    sourceTitle: t.string({
      description: "The title of the source it cites.",
      resolve: async (edge, _args, ctx) => (await ctx.loaders.pointedRow<Source>("Source", edge.sourceId)).title,
    }),
    relationship: t.field({
      type: RelationshipRef,
      description: "The relationship, with its full provenance.",
      resolve: (edge) => edge,
    }),
  }),
});

const SubgraphRef = builder
  .objectRef<{
    nodes: { entity: Entity; depth: number }[];
    edges: (Relationship & { endpoints: Map<number, Entity> })[];
    truncated: boolean;
  }>("Subgraph")
  .implement({
    description: "The entities and relationships around one entity, as nodes and edges for a graph visualiser.",
    fields: (t) => ({
      nodes: t.field({
        description: "The entities reached, the centre first.",
        type: [GraphNodeRef],
        resolve: (graph) => graph.nodes,
      }),
      edges: t.field({
        description: "The relationships between them.",
        type: [GraphEdgeRef],
        resolve: (graph) => graph.edges,
      }),
      truncated: t.exposeBoolean("truncated", {
        description: "True when `limit` cut the answer short: some edges are missing.",
      }),
    }),
  });

const PathStepRef = builder.objectRef<PathStep>("PathStep").implement({
  description: "One hop of a path: a relationship walked either way.",
  fields: (t) => ({
    from: t.field({ description: "Where the step starts.", type: EntityRef, resolve: (step) => step.from }),
    to: t.field({ description: "Where the step ends.", type: EntityRef, resolve: (step) => step.to }),
    direction: t.field({
      type: DirectionEnum,
      description: "OUTGOING when the step follows the relationship's own direction.",
      resolve: (step) => step.direction,
    }),
    label: t.string({
      description: "The relation read in the direction of travel, e.g. `is headquartered in`.",
      resolve: async (step, _args, ctx) => {
        const type = (await ctx.loaders.relationType.load(step.relationship.typeKey))!;
        return step.direction === "OUTGOING" ? type.label : type.inverseLabel;
      },
    }),
    relationship: t.field({
      description: "The relationship walked, with its provenance.",
      type: RelationshipRef,
      resolve: (step) => step.relationship,
    }),
    distanceKm: t.float({
      nullable: true,
      description: "Great-circle distance in kilometres between the step's two ends, when both have a location.",
      resolve: (step) => {
        const from = pointOf(step.from);
        const to = pointOf(step.to);
        return from && to ? roundKm(distanceKm(from, to)) : null;
      },
    }),
  }),
});

const PathRef = builder.objectRef<PathStep[]>("Path").implement({
  description: "A chain of relationships from one entity to another.",
  fields: (t) => ({
    length: t.int({ description: "How many steps.", resolve: (steps) => steps.length }),
    steps: t.field({ description: "The steps, from `from` to `to`.", type: [PathStepRef], resolve: (steps) => steps }),
    nodes: t.field({
      description: "The entities on the path, both ends included, in order.",
      type: [EntityRef],
      resolve: (steps) => [steps[0]!.from, ...steps.map((step) => step.to)],
    }),
  }),
});

builder.queryFields((t) => ({
  neighborhood: t.field({
    type: SubgraphRef,
    nullable: true,
    description:
      "The entities and edges within `depth` hops of an entity, bounded by `limit` edges; null for an unknown id.",
    args: {
      id: t.arg.globalID({ description: "Global id of the entity at the centre.", required: true }),
      depth: t.arg.int({ defaultValue: 1, description: "1 to 3." }),
      types: t.arg.stringList({ required: false, description: "Only these relation types." }),
      direction: t.arg({
        type: DirectionEnum,
        defaultValue: "BOTH",
        description: "OUTGOING: from this entity; INCOMING: to it; BOTH: either.",
      }),
      limit: t.arg.int({ defaultValue: 100, description: "At most this many edges (1 to 1000)." }),
      asOf: t.arg({
        type: "PartialDate",
        required: false,
        description: "The graph as it certainly stood on that day (see includePossible).",
      }),
      includePossible: t.arg.boolean(includePossibleArg),
    },
    resolve: async (_root, args, ctx) => {
      checkRange("depth", args.depth ?? 1, 1, 3);
      checkRange("limit", args.limit ?? 100, 1, 1000);
      if (args.types?.length) await checkRelationTypes(ctx, args.types);
      const start = await entityFromGlobalId(ctx, args.id, "id");
      if (!start) return null;
      const graph = await loadNeighborhood(ctx.sql, start, {
        depth: args.depth ?? 1,
        direction: args.direction ?? "BOTH",
        limit: args.limit ?? 100,
        types: args.types,
        asOf: args.asOf?.date,
        asOfPossible: args.includePossible === true,
      });
      const endpoints = new Map(graph.nodes.map((node) => [node.entity.id, node.entity]));
      return { ...graph, edges: graph.edges.map((edge) => ({ ...edge, endpoints })) };
    },
  }),
  paths: t.field({
    type: [PathRef],
    description:
      "The shortest simple paths between two entities (edges walked either way, no entity twice): fewest edges first, then by their relationships' ids, so the same request answers the same paths; empty when none is within maxDepth.",
    args: {
      from: t.arg.globalID({ description: "Global id of the entity to start from.", required: true }),
      to: t.arg.globalID({ description: "Global id of the entity to reach.", required: true }),
      maxDepth: t.arg.int({ defaultValue: 4, description: "1 to 6 hops." }),
      types: t.arg.stringList({ description: "Only walk relationships of these types.", required: false }),
      asOf: t.arg({ type: "PartialDate", required: false, description: "Only edges certainly valid on that day." }),
      includePossible: t.arg.boolean(includePossibleArg),
      first: t.arg.int({ defaultValue: 3, description: "1 to 10 paths." }),
    },
    resolve: async (_root, args, ctx) => {
      checkRange("maxDepth", args.maxDepth ?? 4, 1, 6);
      checkRange("first", args.first ?? 3, 1, 10);
      if (args.types?.length) await checkRelationTypes(ctx, args.types);
      const [from, to] = await Promise.all([
        entityFromGlobalId(ctx, args.from, "from"),
        entityFromGlobalId(ctx, args.to, "to"),
      ]);
      if (!from || !to)
        throw new UserInputError(`No entity has the id given as "${from ? "to" : "from"}".`, "NOT_FOUND");
      if (from.id === to.id) throw new UserInputError('"from" and "to" are the same entity.', "BAD_USER_INPUT");
      return loadShortestPaths(ctx.sql, from.id, to.id, {
        maxDepth: args.maxDepth ?? 4,
        first: args.first ?? 3,
        types: args.types,
        asOf: args.asOf?.date,
        asOfPossible: args.includePossible === true,
      });
    },
  }),
}));
