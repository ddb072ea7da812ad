// Counts, degrees, entities ranked by a filtered relationship count, grouped observation statistics,
// indicator series and side-by-side comparisons.
import { resolveOffsetConnection } from "@pothos/plugin-relay";
import { pagesByPosition } from "./cursors.js";
import { builder } from "./builder.js";
import type { Context } from "../context.js";
import {
  countByKind,
  countByRelationType,
  groupObservations,
  rankByDegree,
  type ObservationGroup,
} from "../reads/aggregates.js";
import { indicatorNamed } from "../reads/lookups.js";
import { UserInputError } from "../errors.js";
import type { Entity, Indicator, Observation } from "../generated/prisma/client.js";
import { parsePeriod } from "../partial-date.js";
import { EntityRef } from "./entity.js";
import { EntityKindEnum, SortOrderEnum } from "./enums.js";
import { entityFromGlobalId } from "./exploration.js";
import { IndicatorRef, ObservationRef } from "./indicators.js";
import { pageSize } from "./pagination.js";
import { checkRelationTypes, DirectionEnum } from "./relationships.js";

const CountRef = builder.objectRef<{ key: string; count: number }>("Count").implement({
  description: "How many items share a key (an entity kind, a relation type).",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The kind or relation type key counted." }),
    count: t.exposeInt("count", { description: "How many." }),
  }),
});

const DegreeRef = builder
  .objectRef<{ type: string; direction: "OUTGOING" | "INCOMING"; count: number }>("Degree")
  .implement({
    description: "How many edges of one type, in one direction, an entity has.",
    fields: (t) => ({
      type: t.exposeString("type", { description: "The relation type's key." }),
      direction: t.field({
        description: "Which way the edges point, seen from the entity.",
        type: DirectionEnum,
        resolve: (degree) => degree.direction,
      }),
      count: t.exposeInt("count", { description: "How many edges." }),
    }),
  });

const GraphStatsRef = builder.objectRef<object>("GraphStats").implement({
  description: "Counts over the whole graph.",
  fields: (t) => ({
    entities: t.int({
      description: "How many entities the graph holds.",
      resolve: (_root, _args, ctx) => ctx.prisma.entity.count(),
    }),
    relationships: t.int({
      description: "How many relationships the graph holds.",
      resolve: (_root, _args, ctx) => ctx.prisma.relationship.count(),
    }),
    entitiesByKind: t.field({
      description: "Entities counted by kind.",
      type: [CountRef],
      resolve: (_root, _args, ctx) => countByKind(ctx.prisma),
    }),
    relationshipsByType: t.field({
      description: "Relationships counted by relation type.",
      type: [CountRef],
      resolve: (_root, _args, ctx) => countByRelationType(ctx.prisma),
    }),
  }),
});

const EntityCountRef = builder.objectRef<{ entity: Entity; count: number }>("EntityCount").implement({
  description: "An entity and how many of its relationships match.",
  fields: (t) => ({
    entity: t.field({ description: "The entity counted.", type: EntityRef, resolve: (row) => row.entity }),
    count: t.exposeInt("count", { description: "How many of its edges match." }),
  }),
});

const ObservationGroupingEnum = builder.enumType("ObservationGrouping", {
  description: "How `observationStats` groups observations.",
  values: {
    PROVINCE: { description: "The provincial-level unit the entity is, or lies in." },
    YEAR: {
      description:
        "The year the period starts in; an observation whose period is only bounded has none and is left out.",
    },
    ENTITY: { description: "Each entity on its own." },
  },
});

const ObservationGroupRef = builder.objectRef<ObservationGroup & { unit: string }>("ObservationGroup").implement({
  description:
    "Statistics of an indicator's observations in one group. Observations without a value count but are not summed.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "What the group is keyed by: a province key, a year or an entity key." }),
    label: t.exposeString("label", { description: "The group's name for people." }),
    count: t.exposeInt("count", { description: "How many observations the group holds." }),
    sum: t.exposeFloat("sum", {
      description: "Sum of the values; null when none of the group's observations has one.",
      nullable: true,
    }),
    avg: t.exposeFloat("avg", { description: "Mean of the values.", nullable: true }),
    min: t.exposeFloat("min", { description: "Smallest value.", nullable: true }),
    max: t.exposeFloat("max", { description: "Largest value.", nullable: true }),
    unit: t.exposeString("unit", { description: "The indicator's unit." }),
  }),
});

type ObservationWithIndicator = Observation & { indicator: Indicator };

const SeriesRef = builder.objectRef<{ indicator: Indicator; points: Observation[] }>("IndicatorSeries").implement({
  description: "An entity's observations of one indicator, oldest period first.",
  fields: (t) => ({
    indicator: t.field({
      description: "The indicator observed.",
      type: IndicatorRef,
      resolve: (series) => series.indicator,
    }),
    unit: t.string({ description: "The indicator's unit.", resolve: (series) => series.indicator.unit }),
    points: t.field({
      description: "The observations, oldest period first.",
      type: [ObservationRef],
      resolve: (series) => series.points,
    }),
  }),
});

const ComparisonRef = builder.objectRef<{ entity: Entity; observation: Observation | null }>("Comparison").implement({
  description: "One entity's value of an indicator for the period compared; null values where it has none.",
  fields: (t) => ({
    entity: t.field({ description: "The entity compared.", type: EntityRef, resolve: (row) => row.entity }),
    value: t.float({
      description: "Its value; null where the sources give no figure.",
      nullable: true,
      resolve: (row) => row.observation?.value ?? null,
    }),
    unit: t.string({
      description: "The unit of the value.",
      nullable: true,
      resolve: (row) => row.observation?.unit ?? null,
    }),
    period: t.string({
      description: "The period of the value (the one asked, or its latest).",
      nullable: true,
      resolve: (row) => row.observation?.period ?? null,
    }),
    observation: t.field({
      description: "The observation behind the value, with its provenance.",
      type: ObservationRef,
      nullable: true,
      resolve: (row) => row.observation,
    }),
  }),
});

async function findIndicator(ctx: Context, name: string): Promise<Indicator> {
  const indicator = await ctx.prisma.indicator.findFirst({ where: indicatorNamed(name) });
  if (!indicator)
    throw new UserInputError(`Unknown indicator "${name}". The field indicators lists them.`, "NOT_FOUND");
  return indicator;
}

builder.prismaInterfaceFields(EntityRef, (t) => ({
  degree: t.field({
    type: [DegreeRef],
    description: "Edge counts by relation type and direction.",
    resolve: (entity, _args, ctx) => ctx.loaders.degrees.load(entity.id),
  }),
  series: t.field({
    type: SeriesRef,
    nullable: true,
    description: "This entity's observations of one indicator (key or name), oldest first; null when it has none.",
    args: { indicator: t.arg.string({ required: true, description: "The indicator's key or name." }) },
    resolve: async (entity, args, ctx) => {
      const points = (await ctx.loaders.series(args.indicator).load(entity.id)) as ObservationWithIndicator[];
      return points.length ? { indicator: points[0]!.indicator, points } : null;
    },
  }),
}));

builder.queryFields((t) => ({
  graphStats: t.field({ type: GraphStatsRef, description: "Counts over the whole graph.", resolve: () => ({}) }),
  entitiesByRelationshipCount: t.connection({
    type: EntityCountRef,
    extensions: pagesByPosition,
    description:
      'Entities ranked by how many relationships of one type they have, zero included: cities by the policies that apply to them (type "APPLIES_TO", INCOMING), companies with 2 or more brands (type "BRAND_OF", INCOMING, min 2).',
    args: {
      type: t.arg.string({ description: "The relation type's key (see `relationTypes`).", required: true }),
      direction: t.arg({
        type: DirectionEnum,
        defaultValue: "BOTH",
        description: "OUTGOING: from this entity; INCOMING: to it; BOTH: either.",
      }),
      kinds: t.arg({ type: [EntityKindEnum], required: false, description: "Kinds of the entities ranked." }),
      otherKinds: t.arg({ type: [EntityKindEnum], required: false, description: "Only count edges to these kinds." }),
      min: t.arg.int({ description: "Only entities with at least this many matching edges.", required: false }),
      max: t.arg.int({ description: "Only entities with at most this many matching edges.", required: false }),
      order: t.arg({ description: "DESC: most edges first.", type: SortOrderEnum, defaultValue: "DESC" }),
    },
    resolve: async (_root, args, ctx) => {
      pageSize(args);
      await checkRelationTypes(ctx, [args.type]);
      let total = 0;
      const connection = await resolveOffsetConnection({ args }, async ({ limit, offset }) => {
        const result = await rankByDegree(ctx.prisma, {
          type: args.type,
          direction: args.direction ?? "BOTH",
          kinds: args.kinds,
          otherKinds: args.otherKinds,
          min: args.min,
          max: args.max,
          descending: args.order !== "ASC",
          limit,
          offset,
        });
        total = result.total;
        return result.rows;
      });
      return { ...connection, totalCount: total };
    },
  }),
  observationStats: t.field({
    type: [ObservationGroupRef],
    description: "An indicator's observations grouped by province, year or entity: count, sum, avg, min, max.",
    args: {
      indicator: t.arg.string({ description: "The indicator's key or name.", required: true }),
      groupBy: t.arg({ description: "What to group by.", type: ObservationGroupingEnum, required: true }),
      from: t.arg({
        description: "Only observations whose period certainly ends on or after this date.",
        type: "PartialDate",
        required: false,
      }),
      to: t.arg({
        description: "Only observations whose period certainly starts on or before this date.",
        type: "PartialDate",
        required: false,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const indicator = await findIndicator(ctx, args.indicator);
      const groups = await groupObservations(ctx.prisma, indicator.id, args.groupBy, {
        from: args.from?.date,
        to: args.to?.date,
      });
      return groups.map((group) => ({ ...group, unit: indicator.unit }));
    },
  }),
  compare: t.field({
    type: [ComparisonRef],
    description: 'Several entities side by side on one indicator, for one period ("2025", "2023-H1") or their latest.',
    args: {
      indicator: t.arg.string({ description: "The indicator's key or name.", required: true }),
      entities: t.arg.globalIDList({ description: "Global ids of the entities to compare.", required: true }),
      period: t.arg.string({
        description: 'A period ("2025", "2023-H1"); each entity\'s latest when absent.',
        required: false,
      }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.entities.length === 0 || args.entities.length > 50)
        throw new UserInputError("Compare 1 to 50 entities.", "BAD_USER_INPUT");
      if (args.period && !parsePeriod(args.period))
        throw new UserInputError(`"${args.period}" is not a period such as 2025, 2025-H1, 2025-Q3 or 2025-07.`);
      const indicator = await findIndicator(ctx, args.indicator);
      const entities = await Promise.all(args.entities.map((id) => entityFromGlobalId(ctx, id, "entities")));
      const known = entities.filter((entity): entity is Entity => entity !== null);
      const observations = await ctx.prisma.observation.findMany({
        where: {
          indicatorId: indicator.id,
          entityId: { in: known.map((e) => e.id) },
          // A bounded period is not the period asked: only an EXACT one answers for it.
          ...(args.period ? { period: args.period, periodBound: "EXACT" as const } : {}),
        },
        orderBy: [{ periodStart: "desc" }, { id: "asc" }],
      });
      return known.map((entity) => ({
        entity,
        observation: observations.find((o) => o.entityId === entity.id) ?? null,
      }));
    },
  }),
}));
