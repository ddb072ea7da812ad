// Indicators (GDP, auto retail sales growth, ...) and their observations on entities.
import { builder } from "./builder.js";
import { indicatorNamed } from "../reads/lookups.js";
import { indicatorList } from "../reads/list-pages.js";
import { EntityRef } from "./entity.js";
import { DateBoundEnum, includePossibleArg, QualifierEnum } from "./enums.js";
import { listConnection, rowConnection, rowPage, type RowPageArgs } from "./pagination.js";
import type { Entity, Indicator, Observation } from "../generated/prisma/client.js";
import type { Pointer } from "./read-ahead/pointed-rows.js";
import { type ChildListPlan, childListField, childRows } from "./read-ahead/child-lists.js";
import { entityObservations, indicatorObservationPages } from "../reads/child-pages.js";
import type { PartialDate } from "../partial-date.js";
import { FactRef } from "./facts.js";

export const IndicatorRef = builder.prismaNode("Indicator", {
  id: { field: "key" },
  nullable: true,
  description: "A measure observed on entities, e.g. GDP or auto retail sales growth.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key, e.g. `gdp`." }),
    name: t.exposeString("name", { description: "English name." }),
    nameZh: t.exposeString("nameZh", { description: "Chinese name.", nullable: true }),
    unit: t.exposeString("unit", { description: 'The unit its values are given in, e.g. "%" or "billion yuan".' }),
    description: t.exposeString("description", { description: "What the indicator measures.", nullable: true }),
    observations: t.connection({
      ...childListField(indicatorObservations),
      type: ObservationRef,
      description: "Every observation of this indicator, oldest period first.",
      resolve: async (indicator, args, ctx, info) => {
        const page = rowPage(args);
        ctx.loaders.keep("Indicator", indicator.id, indicator);
        const rows = await childRows(ctx, info, indicatorObservations, args, indicator.id);
        return {
          ...rowConnection(rows, page),
          totalCount: () => ctx.loaders.indicatorObservationCount.load(indicator.id),
        };
      },
    }),
  }),
});

/** What an observation points at, read ahead for a list of them (src/schema/read-ahead/pointed-rows.ts). */
const observationPointers: readonly Pointer<Observation>[] = [
  { field: "entity", table: "Entity", column: "entityId" },
  { field: "indicator", table: "Indicator", column: "indicatorId" },
  { field: "source", table: "Source", column: "sourceId" },
];

/**
 * An indicator's page of observations: every indicator of a list in one statement, with the list's
 * page where it can (src/reads/child-pages.ts); plugin-prisma would read every observation of every
 * indicator to cut their pages in memory. Beneath an indicator, its observations point at it: it is
 * kept rather than read again.
 */
const indicatorObservations: ChildListPlan<RowPageArgs, Observation> = {
  list: (args) => {
    const page = rowPage(args);
    return indicatorObservationPages({ take: page.take, cursorId: page.cursorId });
  },
  pointers: observationPointers.filter((pointer) => pointer.table !== "Indicator"),
  items: ["edges", "node"],
};

/** An entity's observations, filtered, read for every entity of a list at once, with the list's page where it can. */
const entityObservationList: ChildListPlan<
  { indicator?: string | null; from?: PartialDate | null; to?: PartialDate | null; includePossible?: boolean | null },
  Observation
> = {
  list: (args) =>
    entityObservations({
      indicator: args.indicator || null,
      from: args.from?.date ?? null,
      to: args.to?.date ?? null,
      possible: args.includePossible === true,
    }),
  pointers: observationPointers,
  items: [],
};

export const ObservationRef = builder.prismaNode("Observation", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: "A value of an indicator for an entity over a period, with its source.",
  fields: (t) => ({
    period: t.exposeString("period", {
      description:
        '"2025", "2023-H1", "2023-Q1" or "2025-07"; a bound rather than the period where `periodBound` says so.',
    }),
    periodBound: t.expose("periodBound", {
      type: DateBoundEnum,
      description:
        "EXACT when the source gives the period; NOT_AFTER when it gives only the latest the value can be of (a gazetteer's population, of no stated year, published by `period`).",
    }),
    periodStart: t.expose("periodStart", { description: "The first day of the period.", type: "Date" }),
    periodEnd: t.expose("periodEnd", { description: "The last day of the period.", type: "Date" }),
    value: t.exposeFloat("value", { nullable: true, description: "Null where the source gives no number (see note)." }),
    valueMax: t.exposeFloat("valueMax", { description: "The upper end, for a RANGE.", nullable: true }),
    qualifier: t.expose("qualifier", { type: QualifierEnum, description: 'MORE_THAN for "surpassed 10 trillion".' }),
    unit: t.exposeString("unit", { description: "The unit of the value, as the source gives it." }),
  }),
});

builder.prismaInterfaceField(EntityRef, "observations", (t) =>
  t.field({
    ...childListField(entityObservationList),
    type: [ObservationRef],
    description: "Observations of indicators on this entity, oldest period first.",
    args: {
      indicator: t.arg.string({ required: false, description: "Indicator key or name." }),
      from: t.arg({
        type: "PartialDate",
        required: false,
        description: "Only periods ending on or after this date (a NOT_AFTER period never certainly does).",
      }),
      to: t.arg({
        type: "PartialDate",
        required: false,
        description: "Only periods starting on or before this date (a NOT_AFTER period once its bound has passed).",
      }),
      includePossible: t.arg.boolean({
        ...includePossibleArg,
        description:
          "With from or to: also observations whose bounded period (periodBound NOT_BEFORE or NOT_AFTER) may lie in the range but not certainly.",
      }),
    },
    resolve: (entity, args, ctx, info) => childRows(ctx, info, entityObservationList, args, entity.id),
  }),
);

// An observation's entity and indicator, declared once both types exist (each refers to the other).
builder.prismaObjectFields(ObservationRef, (t) => ({
  entity: t.field({
    type: EntityRef,
    description: "The entity observed.",
    resolve: (observation, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", observation.entityId),
  }),
  indicator: t.field({
    type: IndicatorRef,
    description: "What was measured.",
    resolve: (observation, _args, ctx) => ctx.loaders.pointedRow<Indicator>("Indicator", observation.indicatorId),
  }),
}));

builder.queryFields((t) => ({
  indicator: t.prismaField({
    type: IndicatorRef,
    nullable: true,
    description: "An indicator by key, English or Chinese name.",
    args: { name: t.arg.string({ description: "The indicator's key, English or Chinese name.", required: true }) },
    resolve: (query, _parent, { name }, ctx) =>
      ctx.prisma.indicator.findFirst({ ...query, where: indicatorNamed(name) }),
  }),
  indicators: t.connection({
    description: "Every indicator, filtered by name.",
    type: IndicatorRef,
    args: {
      nameContains: t.arg.string({
        required: false,
        description: "Only those whose English or Chinese name contains this, in any case.",
      }),
    },
    resolve: (_parent, args, ctx, info) => listConnection<Indicator>(ctx, args, indicatorList(args.nameContains), info),
  }),
}));
