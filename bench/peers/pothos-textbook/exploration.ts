// The neighbourhood and shortest paths. Plugin-prisma has no field for a walk over the graph, so the
// resolvers walk with Prisma calls of their own (the neighbourhood, level by level) or with our path
// statements through $queryRaw (a recursive query has no Prisma expression), return ids, and the
// fields beneath load entities and relationships through prismaField, with the request's selection.
import { findPaths, type RoundRow } from "../../../src/reads/paths.js";
import { builder } from "./builder.js";
import { Entity } from "./entity.js";

interface SubgraphShape {
  truncated: boolean;
  /** Entity ids by depth: levels[0] holds the centre. */
  levels: number[][];
  edgeIds: number[];
}

const Level = builder.objectRef<{ depth: number; ids: number[] }>("SubgraphLevel").implement({
  fields: (t) => ({
    depth: t.exposeInt("depth"),
    nodes: t.prismaField({
      type: ["Entity"],
      resolve: (query, level, _args, { prisma }) =>
        prisma.entity.findMany({ ...query, where: { id: { in: level.ids } }, orderBy: { id: "asc" } }),
    }),
  }),
});

const Subgraph = builder.objectRef<SubgraphShape>("Subgraph").implement({
  fields: (t) => ({
    truncated: t.exposeBoolean("truncated"),
    levels: t.field({
      type: [Level],
      resolve: (subgraph) => subgraph.levels.map((ids, depth) => ({ depth, ids })),
    }),
    edges: t.prismaField({
      type: ["Relationship"],
      resolve: (query, subgraph, _args, { prisma }) =>
        prisma.relationship.findMany({ ...query, where: { id: { in: subgraph.edgeIds } }, orderBy: { id: "asc" } }),
    }),
  }),
});

interface StepShape {
  relationshipId: number;
  fromId: number;
  toId: number;
}

const Step = builder.objectRef<StepShape>("PathStep").implement({
  fields: (t) => ({
    label: t.string({
      resolve: async (step, _args, { stepEdges }) => {
        const edge = await stepEdges.load(step.relationshipId);
        return edge.fromId === step.fromId ? edge.type.label : edge.type.inverseLabel;
      },
    }),
    from: t.prismaField({
      type: "Entity",
      resolve: (query, step, _args, { prisma }) =>
        prisma.entity.findUniqueOrThrow({ ...query, where: { id: step.fromId } }),
    }),
    to: t.prismaField({
      type: "Entity",
      resolve: (query, step, _args, { prisma }) =>
        prisma.entity.findUniqueOrThrow({ ...query, where: { id: step.toId } }),
    }),
    relationship: t.prismaField({
      type: "Relationship",
      resolve: (query, step, _args, { prisma }) =>
        prisma.relationship.findUniqueOrThrow({ ...query, where: { id: step.relationshipId } }),
    }),
  }),
});

const Path = builder.objectRef<StepShape[]>("Path").implement({
  fields: (t) => ({
    length: t.int({ resolve: (steps) => steps.length }),
    steps: t.field({ type: [Step], resolve: (steps) => steps }),
  }),
});

builder.queryFields((t) => ({
  neighborhood: t.field({
    type: Subgraph,
    nullable: true,
    description: "Entities and relationships around an entity, level by level, lowest relationship ids first.",
    args: {
      id: t.arg.globalID({ required: true, for: Entity }),
      depth: t.arg.int({ required: true }),
      limit: t.arg.int({ required: true }),
    },
    resolve: async (_root, { id, depth, limit }, { prisma }) => {
      const start = await prisma.entity.findUnique({ where: { key: id.id }, select: { id: true } });
      if (!start) return null;
      const seen = new Set([start.id]);
      const levels = [[start.id]];
      const edgeIds: number[] = [];
      let truncated = false;
      for (let level = 1; level <= depth && levels[level - 1]!.length; level++) {
        const remaining = limit - edgeIds.length;
        if (remaining <= 0) {
          truncated = true;
          break;
        }
        const frontier = levels[level - 1]!;
        const edges = await prisma.relationship.findMany({
          where: { OR: [{ fromId: { in: frontier } }, { toId: { in: frontier } }], id: { notIn: edgeIds } },
          orderBy: { id: "asc" },
          take: remaining + 1,
          select: { id: true, fromId: true, toId: true },
        });
        if (edges.length > remaining) {
          truncated = true;
          edges.length = remaining;
        }
        const next: number[] = [];
        for (const edge of edges) {
          edgeIds.push(edge.id);
          for (const end of [edge.fromId, edge.toId]) {
            if (!seen.has(end)) {
              seen.add(end);
              next.push(end);
            }
          }
        }
        levels.push(next);
      }
      if (!levels.at(-1)!.length) levels.pop();
      return { truncated, levels, edgeIds };
    },
  }),

  paths: t.field({
    type: [Path],
    nullable: true,
    description: "Shortest paths between two entities, edges walked either way (our rounds of path statements).",
    args: {
      from: t.arg.globalID({ required: true, for: Entity }),
      to: t.arg.globalID({ required: true, for: Entity }),
      maxDepth: t.arg.int({ required: true }),
      first: t.arg.int({ required: true }),
    },
    resolve: async (_root, args, { prisma }) => {
      const [from, to] = await Promise.all(
        [args.from.id, args.to.id].map((key) => prisma.entity.findUnique({ where: { key }, select: { id: true } })),
      );
      if (!from || !to) return null;
      const found = await findPaths(from.id, to.id, { maxDepth: args.maxDepth, first: args.first }, (round) =>
        prisma.$queryRaw<RoundRow[]>(round),
      );
      return found.map((path) =>
        path.edges.map((relationshipId, i) => ({ relationshipId, fromId: path.nodes[i]!, toId: path.nodes[i + 1]! })),
      );
    },
  }),
}));
