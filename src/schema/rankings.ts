// Rankings (what is ranked, by which measure, for which period) and their entries.
import { builder } from "./builder.js";
import { EntityRef } from "./entity.js";
import { FactRef } from "./facts.js";

builder.prismaNode("Ranking", {
  id: { field: "key" },
  nullable: true,
  description: "A ranking of entities by some measure for a period, as a source reports it.",
  fields: (t) => ({
    key: t.exposeString("key"),
    name: t.exposeString("name"),
    topic: t.exposeString("topic", { description: '"auto" or "economy".' }),
    period: t.exposeString("period"),
    indicator: t.relation("indicator", { nullable: true }),
    scope: t.relation("scope", { nullable: true, description: "Where the ranking ranks (China)." }),
    note: t.exposeString("note", { nullable: true }),
    source: t.relation("source"),
    quote: t.exposeString("quote"),
    entries: t.relation("entries", {
      description: "Entries by rank; entries the source ranks only in words (rank null) come last.",
      query: { orderBy: [{ rank: { sort: "asc", nulls: "last" } }, { id: "asc" }] },
    }),
  }),
});

export const RankingEntryRef = builder.prismaNode("RankingEntry", {
  id: { field: "key" },
  nullable: true,
  interfaces: [FactRef],
  description: "An entity's place in a ranking. `rank` is null where the source gives words, not a number.",
  fields: (t) => ({
    rank: t.exposeInt("rank", { nullable: true }),
    value: t.exposeFloat("value", { nullable: true }),
    unit: t.exposeString("unit", { nullable: true }),
    entity: t.relation("entity"),
    ranking: t.relation("ranking"),
  }),
});

builder.prismaInterfaceField(EntityRef, "rankings", (t) =>
  t.relation("rankingEntries", {
    description: "Every ranking entry of this entity.",
    args: { topic: t.arg.string({ required: false, description: '"auto" or "economy".' }) },
    query: (args) => ({ where: args.topic ? { ranking: { topic: args.topic } } : {}, orderBy: { id: "asc" } }),
  }),
);

builder.queryFields((t) => ({
  rankings: t.prismaConnection({
    type: "Ranking",
    cursor: "id",
    args: { topic: t.arg.string({ required: false }) },
    totalCount: (_parent, args, ctx) => ctx.prisma.ranking.count({ where: args.topic ? { topic: args.topic } : {} }),
    resolve: (query, _parent, args, ctx) =>
      ctx.prisma.ranking.findMany({ ...query, where: args.topic ? { topic: args.topic } : {}, orderBy: { id: "asc" } }),
  }),
}));
