// Indicators (GDP, auto retail sales growth, ...) and their observations on entities.
import { builder } from "./builder.js";
import { indicatorNamed } from "../reads/lookups.js";
import { likeLiteral } from "../reads/like.js";
import type { Prisma } from "../generated/prisma/client.js";
import { EntityRef } from "./entity.js";
import { QualifierEnum } from "./enums.js";
import { FactRef } from "./facts.js";
import { checkIdCursors } from "./cursors.js";

export const IndicatorRef = builder.prismaNode("Indicator", {
  id: { field: "key" },
  nullable: true,
  description: "A measure observed on entities, e.g. GDP or auto retail sales growth.",
  fields: (t) => ({
    key: t.exposeString("key"),
    name: t.exposeString("name"),
    nameZh: t.exposeString("nameZh", { nullable: true }),
    unit: t.exposeString("unit"),
    description: t.exposeString("description", { nullable: true }),
    observations: t.relatedConnection("observations", {
      cursor: "id",
      totalCount: true,
      query: (args) => {
        checkIdCursors(args);
        return { orderBy: [{ periodStart: "asc" }, { id: "asc" }] };
      },
    }),
  }),
});

export const ObservationRef = builder.prismaNode("Observation", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: "A value of an indicator for an entity over a period, with its source.",
  fields: (t) => ({
    entity: t.relation("entity"),
    indicator: t.relation("indicator"),
    period: t.exposeString("period", { description: '"2025", "2023-H1", "2023-Q1" or "2025-07".' }),
    periodStart: t.expose("periodStart", { type: "Date" }),
    periodEnd: t.expose("periodEnd", { type: "Date" }),
    value: t.exposeFloat("value", { nullable: true, description: "Null where the source gives no number (see note)." }),
    valueMax: t.exposeFloat("valueMax", { nullable: true }),
    qualifier: t.expose("qualifier", { type: QualifierEnum, description: 'MORE_THAN for "surpassed 10 trillion".' }),
    unit: t.exposeString("unit"),
  }),
});

builder.prismaInterfaceField(EntityRef, "observations", (t) =>
  t.relation("observations", {
    description: "Observations of indicators on this entity, oldest period first.",
    args: {
      indicator: t.arg.string({ required: false, description: "Indicator key or name." }),
      from: t.arg({ type: "PartialDate", required: false, description: "Only periods ending on or after this date." }),
      to: t.arg({ type: "PartialDate", required: false, description: "Only periods starting on or before this date." }),
    },
    query: (args) => ({
      where: {
        ...(args.indicator ? { indicator: indicatorNamed(args.indicator) } : {}),
        ...(args.from ? { periodEnd: { gte: args.from.date } } : {}),
        ...(args.to ? { periodStart: { lte: args.to.date } } : {}),
      },
      orderBy: [{ periodStart: "asc" }, { id: "asc" }],
    }),
  }),
);

builder.queryFields((t) => ({
  indicator: t.prismaField({
    type: IndicatorRef,
    nullable: true,
    description: "An indicator by key, English or Chinese name.",
    args: { name: t.arg.string({ required: true }) },
    resolve: (query, _parent, { name }, ctx) =>
      ctx.prisma.indicator.findFirst({ ...query, where: indicatorNamed(name) }),
  }),
  indicators: t.prismaConnection({
    type: IndicatorRef,
    cursor: "id",
    args: { nameContains: t.arg.string({ required: false }) },
    totalCount: (_parent, args, ctx) => ctx.prisma.indicator.count({ where: indicatorsWhere(args.nameContains) }),
    resolve: (query, _parent, args, ctx) =>
      ctx.prisma.indicator.findMany({ ...query, where: indicatorsWhere(args.nameContains), orderBy: { name: "asc" } }),
  }),
}));

function indicatorsWhere(text: string | null | undefined): Prisma.IndicatorWhereInput {
  if (!text) return {};
  return {
    OR: [
      { name: { contains: likeLiteral(text), mode: "insensitive" } },
      { key: { contains: likeLiteral(text.toLowerCase()) } },
    ],
  };
}
