// Policies (subsidies, the VAT refund scheme, AI action plans, grants) with issuers, participants and figures.
import { builder } from "./builder.js";
import { entityVariants } from "../reads/entity-variants.js";
import { findEntityNamed } from "../reads/lookups.js";
import { pagesAhead } from "./read-ahead/edge-fields.js";
import { partialDate } from "../partial-date.js";
import { EntityOrderInput, entityConnection, entityNodeOptions, EntityRef } from "./entity.js";
import { FigureKindEnum, PolicyTypeEnum, QualifierEnum } from "./enums.js";
import { FactRef } from "./facts.js";
import { linkedField } from "./relationships.js";
import { readsParent } from "./read-ahead/row-selection.js";
import type { Entity, PolicyFigure } from "../generated/prisma/client.js";

export const PolicyRef = builder.prismaNode("Entity", {
  variant: "Policy",
  ...entityNodeOptions,
  description: "A policy: subsidy programme, tax refund scheme, action plan or grant programme.",
  fields: (t) => ({
    policyType: t.field({
      type: PolicyTypeEnum,
      nullable: true,
      description: "What kind of instrument it is.",
      ...readsParent("id"),
      resolve: async (policy, _args, ctx) => (await ctx.loaders.policyDetail.load(policy.id))?.policyType ?? null,
    }),
    officialTitle: t.string({
      nullable: true,
      description: "The title as issued, often in Chinese.",
      ...readsParent("id"),
      resolve: async (policy, _args, ctx) => (await ctx.loaders.policyDetail.load(policy.id))?.officialTitle ?? null,
    }),
    startsOn: t.field({
      type: "PartialDate",
      nullable: true,
      description: "When it takes effect, to the precision the source gives.",
      ...readsParent("id"),
      resolve: async (policy, _args, ctx) => {
        const detail = await ctx.loaders.policyDetail.load(policy.id);
        return partialDate(detail?.startsOn ?? null, detail?.startsPrecision ?? null);
      },
    }),
    endsOn: t.field({
      type: "PartialDate",
      nullable: true,
      description: "When it ends, to the precision the source gives.",
      ...readsParent("id"),
      resolve: async (policy, _args, ctx) => {
        const detail = await ctx.loaders.policyDetail.load(policy.id);
        return partialDate(detail?.endsOn ?? null, detail?.endsPrecision ?? null);
      },
    }),
    issuers: t.field({
      type: [EntityRef],
      description: "Who issued the policy.",
      ...linkedField({ types: ["ISSUED_BY"], direction: "OUTGOING" }),
    }),
    participants: t.field({
      type: [EntityRef],
      description: "Who takes part in the policy (the provinces of the VAT refund scheme).",
      ...linkedField({ types: ["PARTICIPATES_IN"], direction: "INCOMING" }),
    }),
    appliesTo: t.field({
      type: [EntityRef],
      description: "Where or to whom the policy applies.",
      ...linkedField({ types: ["APPLIES_TO"], direction: "OUTGOING" }),
    }),
  }),
});

export const PolicyFigureRef = builder.prismaNode("PolicyFigure", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: 'An amount, target or outcome of a policy ("1,000 to 3,000 yuan per vehicle").',
  fields: (t) => ({
    label: t.exposeString("label", { description: "What the figure is, in words." }),
    kind: t.expose("kind", { type: FigureKindEnum, description: "Amount, target or outcome." }),
    value: t.exposeFloat("value", { nullable: true, description: "The figure, or the low end of a range." }),
    valueMax: t.exposeFloat("valueMax", { nullable: true, description: "The high end of a range." }),
    qualifier: t.expose("qualifier", { type: QualifierEnum, description: "How the figure relates to its value." }),
    unit: t.exposeString("unit", { nullable: true, description: 'The unit of the value, e.g. "yuan per vehicle".' }),
    dueBy: t.field({
      type: "PartialDate",
      nullable: true,
      description: "For a target: when it is due.",
      resolve: (figure) => partialDate(figure.dueBy, figure.dueByPrecision),
    }),
  }),
});

// A policy and its figures point at each other: declared once both types exist.
builder.prismaObjectField(PolicyRef, "figures", (t) =>
  t.field({
    ...readsParent("id"),
    type: [PolicyFigureRef],
    description: "Amounts, targets and outcomes of the policy, each with its source.",
    resolve: (policy, _args, ctx) => ctx.loaders.rowsBy<PolicyFigure>("PolicyFigure", "policyId").load(policy.id),
  }),
);
builder.prismaObjectField(PolicyFigureRef, "policy", (t) =>
  t.field({
    type: PolicyRef,
    description: "The policy the figure belongs to.",
    resolve: (figure, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", figure.policyId),
  }),
);

builder.queryFields((t) => ({
  policy: t.field({
    type: PolicyRef,
    nullable: true,
    description: "A policy by name or alias.",
    args: { name: t.arg.string({ required: true, description: "A name, alias or key, in any case." }) },
    resolve: (_parent, { name }, ctx, info) => findEntityNamed(ctx, name, entityVariants.Policy, pagesAhead(ctx, info)),
  }),
  policies: t.connection({
    type: PolicyRef,
    description: "Policies, filtered by name and type.",
    args: {
      nameContains: t.arg.string({
        required: false,
        description: "Only those whose English or Chinese name contains this, in any case.",
      }),
      policyType: t.arg({ type: PolicyTypeEnum, required: false, description: "Only policies of this type." }),
      orderBy: t.arg({ type: EntityOrderInput, required: false, description: "By name (A first) when absent." }),
    },
    resolve: (_parent, args, ctx, info) =>
      entityConnection(ctx, args, { variant: entityVariants.Policy, ...args }, info),
  }),
}));
