// Rankings (what is ranked, by which measure, for which period) and their entries.
import { builder } from "./builder.js";
import { EntityRef } from "./entity.js";
import { FactRef } from "./facts.js";
import { IndicatorRef } from "./indicators.js";
import { SourceRef } from "./sources.js";
import type { Entity, Indicator, Ranking, RankingEntry, Source } from "../generated/prisma/client.js";
import { type Pointer, withPointedRows } from "./read-ahead/pointed-rows.js";
import { listConnection } from "./pagination.js";
import { rankingList } from "../reads/list-pages.js";
import { entityRankingEntries } from "../reads/child-pages.js";
import { type ChildListPlan, childListField, childRows } from "./read-ahead/child-lists.js";

export const RankingRef = builder.prismaNode("Ranking", {
  id: { field: "key" },
  nullable: true,
  description: "A ranking of entities by some measure for a period, as a source reports it.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key." }),
    name: t.exposeString("name", { description: "The ranking's name, as the source gives it." }),
    topic: t.exposeString("topic", { description: '"auto" or "economy".' }),
    period: t.exposeString("period", { description: 'The period ranked, e.g. "2025" or "2025-H1".' }),
    note: t.exposeString("note", {
      description: "What the source says about the ranking beyond its entries.",
      nullable: true,
    }),
    quote: t.exposeString("quote", { description: "The sentence of the source that reports it." }),
  }),
});

export const RankingEntryRef = builder.prismaNode("RankingEntry", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: "An entity's place in a ranking. `rank` is null where the source gives words, not a number.",
  fields: (t) => ({
    rank: t.exposeInt("rank", {
      description: "Its place (1 is first); null where the source ranks only in words, kept in `note`.",
      nullable: true,
    }),
    value: t.exposeFloat("value", {
      description: "The value it was ranked by, when the source gives one.",
      nullable: true,
    }),
    unit: t.exposeString("unit", { description: "The unit of that value.", nullable: true }),
  }),
});

/** What a ranking entry points at, read ahead for a list of them (src/schema/read-ahead/pointed-rows.ts). */
const entryPointers: readonly Pointer<RankingEntry>[] = [
  { field: "entity", table: "Entity", column: "entityId" },
  { field: "ranking", table: "Ranking", column: "rankingId" },
  { field: "source", table: "Source", column: "sourceId" },
];

/** Beneath a ranking, its entries point at it: it is kept rather than read again. */
const entriesOfRanking = entryPointers.filter((pointer) => pointer.table !== "Ranking");

// Rankings and their entries point at each other: these fields are declared once both types exist.
// Every row beneath a list is read for the whole list in one statement (src/reads/loaders.ts).
builder.prismaObjectFields(RankingRef, (t) => ({
  indicator: t.field({
    type: IndicatorRef,
    nullable: true,
    description: "The indicator ranked by, when the graph has it.",
    resolve: (ranking, _args, ctx) =>
      ranking.indicatorId == null ? null : ctx.loaders.pointedRow<Indicator>("Indicator", ranking.indicatorId),
  }),
  scope: t.field({
    type: EntityRef,
    nullable: true,
    description: "Where the ranking ranks (China).",
    resolve: (ranking, _args, ctx) =>
      ranking.scopeId == null ? null : ctx.loaders.pointedRow<Entity>("Entity", ranking.scopeId),
  }),
  source: t.field({
    type: SourceRef,
    description: "The source that reports the ranking.",
    resolve: (ranking, _args, ctx) => ctx.loaders.pointedRow<Source>("Source", ranking.sourceId),
  }),
  entries: t.field({
    type: [RankingEntryRef],
    description: "Entries by rank; entries the source ranks only in words (rank null) come last.",
    resolve: async (ranking, _args, ctx, info) => {
      ctx.loaders.keep("Ranking", ranking.id, ranking);
      return withPointedRows(
        ctx,
        info,
        async (joins) =>
          [...(await ctx.loaders.rowsBy<RankingEntry>("RankingEntry", "rankingId", joins).load(ranking.id))].sort(
            (a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) || a.id - b.id,
          ),
        entriesOfRanking,
      );
    },
  }),
}));

builder.prismaObjectFields(RankingEntryRef, (t) => ({
  entity: t.field({
    type: EntityRef,
    description: "The entity ranked.",
    resolve: (entry, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", entry.entityId),
  }),
  ranking: t.field({
    type: RankingRef,
    description: "The ranking it appears in.",
    resolve: (entry, _args, ctx) => ctx.loaders.pointedRow<Ranking>("Ranking", entry.rankingId),
  }),
}));

/** An entity's ranking entries, read for every entity of a list at once, with the list's page where it can. */
const entityRankings: ChildListPlan<{ topic?: string | null }, RankingEntry> = {
  list: (args) => entityRankingEntries(args.topic || null),
  pointers: entryPointers,
  items: [],
};

builder.prismaInterfaceField(EntityRef, "rankings", (t) =>
  t.field({
    ...childListField(entityRankings),
    type: [RankingEntryRef],
    description: "Every ranking entry of this entity.",
    args: { topic: t.arg.string({ required: false, description: '"auto" or "economy".' }) },
    resolve: (entity, args, ctx, info) => childRows(ctx, info, entityRankings, args, entity.id),
  }),
);

builder.queryFields((t) => ({
  rankings: t.connection({
    description: "Every ranking, optionally of one topic.",
    type: RankingRef,
    args: {
      topic: t.arg.string({ description: 'Only rankings of this topic: "auto" or "economy".', required: false }),
    },
    resolve: (_parent, args, ctx, info) => listConnection<Ranking>(ctx, args, rankingList(args.topic), info),
  }),
}));
