import { builder } from "./builder.js";
import { partialDate } from "../partial-date.js";
import { SourceKindEnum } from "./enums.js";
import type { Mention, Source } from "../generated/prisma/client.js";
import { type Pointer, withPointedRows } from "./read-ahead/pointed-rows.js";
import { listConnection } from "./pagination.js";
import { sourceList } from "../reads/list-pages.js";

export const SourceRef = builder.prismaNode("Source", {
  id: { field: "key" },
  nullable: true,
  description: "An article (or reference dataset) that facts of the graph are taken from.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key, e.g. `vat-refund-expansion`." }),
    kind: t.expose("kind", {
      description: "ARTICLE (facts quote its body) or REFERENCE (a table; facts may quote nothing).",
      type: SourceKindEnum,
    }),
    title: t.exposeString("title", { description: "The title, as published." }),
    publishedOn: t.field({
      description: "When it was published, to the precision known.",
      type: "PartialDate",
      nullable: true,
      resolve: (source) => partialDate(source.publishedOn, source.publishedPrecision),
    }),
    publisher: t.exposeString("publisher", { description: "Who published it.", nullable: true }),
    url: t.exposeString("url", { description: "Where it can be read.", nullable: true }),
    file: t.exposeString("file", {
      nullable: true,
      description: "The file of the seed corpus the article was read from.",
    }),
    summary: t.exposeString("summary", { description: "A sentence or two on what it says.", nullable: true }),
    body: t.exposeString("body", { description: "The article's full text as stored." }),
  }),
});

/** What a mention points at, read ahead for a list of them (src/schema/read-ahead/pointed-rows.ts). */
export const mentionPointers: readonly Pointer<Mention>[] = [
  { field: "entity", table: "Entity", column: "entityId" },
  { field: "source", table: "Source", column: "sourceId" },
];

/** Beneath a source, its mentions point at it: it is kept rather than read again. */
const mentionsOfSource = mentionPointers.filter((pointer) => pointer.table !== "Source");

export const MentionRef = builder.prismaObject("Mention", {
  description: "An entity named in a source, with the sentence that names it.",
  fields: (t) => ({
    source: t.field({
      type: SourceRef,
      description: "The source that names it.",
      resolve: (mention, _args, ctx) => ctx.loaders.pointedRow<Source>("Source", mention.sourceId),
    }),
    quote: t.exposeString("quote", { description: "The sentence that names it, verbatim." }),
  }),
});

builder.prismaObjectField(SourceRef, "mentions", (t) =>
  t.field({
    type: [MentionRef],
    description: "Entities this source names, each with the sentence that names it.",
    resolve: (source, _args, ctx, info) => {
      ctx.loaders.keep("Source", source.id, source);
      return withPointedRows(
        ctx,
        info,
        (joins) => ctx.loaders.rowsBy<Mention>("Mention", "sourceId", joins).load(source.id),
        mentionsOfSource,
      );
    },
  }),
);

builder.queryFields((t) => ({
  sources: t.connection({
    type: SourceRef,
    description: "Every source of the graph, newest first.",
    resolve: (_parent, args, ctx, info) => listConnection<Source>(ctx, args, sourceList(), info),
  }),
  source: t.prismaField({
    type: "Source",
    nullable: true,
    description: "A source by its key.",
    args: { key: t.arg.string({ description: "The source's key, e.g. `vat-refund-expansion`.", required: true }) },
    resolve: (query, _parent, { key }, ctx) => ctx.prisma.source.findUnique({ ...query, where: { key } }),
  }),
}));
