// Sources: the articles (and reference datasets) facts are quoted from.
import { z } from "zod";
import { builder } from "../builder.js";
import type { Context } from "../../context.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { slugify } from "../../names.js";
import { lockRows } from "../../writes/locks.js";
import { sourceRecord } from "../../writes/records/source.js";
import type { Source } from "../../generated/prisma/client.js";
import { SourceKind } from "../../generated/prisma/enums.js";
import { SourceKindEnum } from "../enums.js";
import { SourceRef } from "../sources.js";
import { defineMutation } from "./define.js";
import { keyOf } from "./ids.js";
import { key, partialDate, patch, text, within } from "./inputs.js";
import { DeletedRecordRef } from "./results.js";

const CreateSourceInput = builder.inputType("CreateSourceInput", {
  description: "A new source that facts can cite.",
  fields: (t) => ({
    key: t.string({ required: false, description: "kebab-case; derived from the title when absent." }),
    kind: t.field({
      type: SourceKindEnum,
      required: true,
      description: "Quotes from an ARTICLE must appear in its body verbatim.",
    }),
    title: t.string({ required: true, description: "The title, as published." }),
    publishedOn: t.string({ required: false, description: "YYYY, YYYY-MM or YYYY-MM-DD." }),
    publisher: t.string({ required: false, description: "Who published it." }),
    url: t.string({ required: false, description: "Where it can be read." }),
    summary: t.string({ required: false, description: "A sentence or two on what it says." }),
    body: t.string({ required: true, description: "The full text, which quotes are checked against." }),
  }),
});

const UpdateSourceInput = builder.inputType("UpdateSourceInput", {
  description:
    "Fields to change; left out stays, null clears. A new body must still hold every quote that cites the source.",
  fields: (t) => ({
    kind: t.field({
      type: SourceKindEnum,
      required: false,
      description: "ARTICLE (facts quote its body) or REFERENCE (a table; facts may quote nothing).",
    }),
    title: t.string({ required: false, description: "The title, as published." }),
    publishedOn: t.string({ required: false, description: "When it was published: YYYY, YYYY-MM or YYYY-MM-DD." }),
    publisher: t.string({ required: false, description: "Who published it." }),
    url: t.string({ required: false, description: "Where it can be read." }),
    summary: t.string({ required: false, description: "A sentence or two on what it says." }),
    body: t.string({ required: false, description: "The full text, whose sentences facts quote verbatim." }),
  }),
});

const url = z.url("must be a URL");

const createArgs = z.object({
  input: z.object({
    key: key.nullish(),
    kind: z.enum(SourceKind),
    title: text,
    publishedOn: partialDate.nullish(),
    publisher: z.string().nullish(),
    url: url.nullish(),
    summary: z.string().nullish(),
    body: z.string(),
  }),
});

const updateArgs = z.object({
  id: z.string(),
  input: z.object({
    kind: z.enum(SourceKind).optional(),
    title: text.optional(),
    publishedOn: partialDate.nullish(),
    publisher: z.string().nullish(),
    url: url.nullish(),
    summary: z.string().nullish(),
    body: z.string().optional(),
  }),
});

async function loadSource(ctx: Context, ref: { key: string }): Promise<Source> {
  const source = await ctx.prisma.source.findUnique({ where: { key: ref.key } });
  if (!source) throw new NotFoundError(`The source "${ref.key}" no longer exists.`);
  return source;
}

const data = { field: "source", type: SourceRef };

async function lockedSource(batch: { tx: Parameters<typeof lockRows>[0] }, id: string): Promise<string> {
  const sourceKey = keyOf(id, ["Source"], ["id"]);
  if (!(await lockRows(batch.tx, "Source", [sourceKey], "update")).size)
    throw new NotFoundError(`No source has the id ${id}.`);
  return sourceKey;
}

defineMutation({
  name: "createSource",
  description: "Adds a source that facts can cite.",
  scope: "graph:write",
  args: (arg) => ({ input: arg({ type: CreateSourceInput, required: true, description: "The new source." }) }),
  input: createArgs,
  data,
  async write(batch, { input }) {
    const sourceKey = input.key ?? slugify(input.title);
    if (!sourceKey) throw ValidationError.at(["input", "key"], "cannot be derived from the title; give a key");
    await within("input", () =>
      batch.create(sourceRecord, {
        key: sourceKey,
        kind: input.kind,
        title: input.title,
        publishedOn: input.publishedOn ?? null,
        publisher: input.publisher ?? null,
        url: input.url ?? null,
        file: null,
        summary: input.summary ?? null,
        body: input.body,
      }),
    );
    return { key: sourceKey };
  },
  load: loadSource,
});

defineMutation({
  name: "updateSource",
  description: "Changes a source's metadata or body.",
  scope: "graph:write",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of the source." }),
    input: arg({ type: UpdateSourceInput, required: true, description: "What to change." }),
  }),
  input: updateArgs,
  data,
  async write(batch, { id, input }) {
    const sourceKey = await lockedSource(batch, id);
    await within("input", () => batch.update(sourceRecord, sourceKey, (current) => patch(current, input)));
    return { key: sourceKey };
  },
  load: loadSource,
});

defineMutation({
  name: "deleteSource",
  description: "Deletes a source that nothing cites any more.",
  scope: "graph:admin",
  args: (arg) => ({ id: arg.id({ required: true, description: "Global id of the source." }) }),
  input: z.object({ id: z.string() }),
  data: { field: "deleted", type: DeletedRecordRef },
  async write(batch, { id }) {
    const sourceKey = await lockedSource(batch, id);
    await batch.delete(sourceRecord, sourceKey);
    return { type: "Source", id, key: sourceKey };
  },
  load: async (_ctx, ref) => ref,
});
