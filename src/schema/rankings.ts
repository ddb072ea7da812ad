// Rankings (what is ranked, by which measure, for which period) and their entries.
import { builder } from "./builder.js";
import { EntityRef } from "./entity.js";
import { FactRef } from "./facts.js";

builder.prismaNode("Ranking", {
  id: { field: "key" },
  nullable: true,
  description: "A ranking of entities by some measure for a period, as a source reports it.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key." }),
    name: t.exposeString("name", { description: "The ranking's name, as the source gives it." }),
    topic: t.exposeString("topic", { description: '"auto" or "economy".' }),
    period: t.exposeString("period", { description: 'The period ranked, e.g. "2025" or "2025-H1".' }),
    indicator: t.relation("indicator", {
      description: "The indicator ranked by, when the graph has it.",
      nullable: true,
    }),
    scope: t.relation("scope", { nullable: true, description: "Where the ranking ranks (China)." }),
    note: t.exposeString("note", {
      description: "What the source says about the ranking beyond its entries.",
      nullable: true,
    }),
    source: t.relation("source", { description: "The source that reports the ranking." }),
    quote: t.exposeString("quote", { description: "The sentence of the source that reports it." }),
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
    rank: t.exposeInt("rank", {
      description: "Its place (1 is first); null where the source ranks only in words, kept in `note`.",
      nullable: true,
    }),
    value: t.exposeFloat("value", {
      description: "The value it was ranked by, when the source gives one.",
      nullable: true,
    }),
    unit: t.exposeString("unit", { description: "The unit of that value.", nullable: true }),
    entity: t.relation("entity", { description: "The entity ranked." }),
    ranking: t.relation("ranking", { description: "The ranking it appears in." }),
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
    description: "Every ranking, optionally of one topic.",
    type: "Ranking",
    cursor: "id",
    args: {
      topic: t.arg.string({ description: 'Only rankings of this topic: "auto" or "economy".', required: false }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.ranking.count({ where: args.topic ? { topic: args.topic } : {} }),
    resolve: (query, _parent, args, ctx) =>
      ctx.prisma.ranking.findMany({ ...query, where: args.topic ? { topic: args.topic } : {}, orderBy: { id: "asc" } }),
  }),
}));
