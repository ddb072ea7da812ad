// Typed, dated relationships between two entities, each with its source and quote.
import { z } from "zod";
import { builder } from "../builder.js";
import { provenanceUpdateFields } from "./input-fields.js";
import type { Context } from "../../context.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { derivedKeys } from "../../names.js";
import { lockEntities, lockRows } from "../../writes/locks.js";
import { relationshipRecord } from "../../writes/records/relationship.js";
import type { Relationship } from "../../generated/prisma/client.js";
import { Certainty, DateBound } from "../../generated/prisma/enums.js";
import { CertaintyEnum, DateBoundEnum } from "../enums.js";
import { RelationshipRef } from "../relationships.js";
import { defineMutation } from "./define.js";
import { keyOf } from "./ids.js";
import { key, partialDate, patch, properties, quote, text, within } from "./inputs.js";
import { DeletedRecordRef } from "./results.js";

const CreateRelationshipInput = builder.inputType("CreateRelationshipInput", {
  description: "A new relationship between two entities, citing the sentence of a source that states it.",
  fields: (t) => ({
    key: t.string({ required: false, description: "kebab-case; derived as TYPE:from:to:source when absent." }),
    type: t.string({ required: true, description: "A relation type key (see `relationTypes`)." }),
    from: t.id({ required: true, description: "Global id of the entity the relationship starts at." }),
    to: t.id({ required: true, description: "Global id of the entity it points to." }),
    validFrom: t.string({ required: false, description: "YYYY, YYYY-MM or YYYY-MM-DD." }),
    validFromBound: t.field({
      type: DateBoundEnum,
      required: false,
      description:
        "EXACT (the default) when the source gives validFrom; NOT_BEFORE or NOT_AFTER when it only bounds it.",
    }),
    validTo: t.string({
      required: false,
      description: "When it stopped being valid (YYYY, YYYY-MM or YYYY-MM-DD); null while it still is.",
    }),
    properties: t.field({ type: "JSON", required: false, description: "Further attributes, a JSON object." }),
    note: t.string({
      required: false,
      description: "A remark on the fact: the source's own loose wording, or how it was inferred.",
    }),
    source: t.id({ required: true, description: "Global id of the source." }),
    quote: t.string({
      required: true,
      description: "The sentence that supports it; verbatim from the source's body for an ARTICLE.",
    }),
    certainty: t.field({ type: CertaintyEnum, required: true, description: "How firmly the source supports it." }),
  }),
});

const UpdateRelationshipInput = builder.inputType("UpdateRelationshipInput", {
  description: "Fields to change; left out stays, null clears. The ends never change (delete and create instead).",
  fields: (t) => ({
    type: t.string({ required: false, description: "The relation type's key (see `relationTypes`)." }),
    validFrom: t.string({ required: false, description: "When it became valid (YYYY, YYYY-MM or YYYY-MM-DD)." }),
    validFromBound: t.field({
      type: DateBoundEnum,
      required: false,
      description: "What validFrom claims: the date itself (EXACT) or only a bound.",
    }),
    validTo: t.string({
      required: false,
      description: "When it stopped being valid (YYYY, YYYY-MM or YYYY-MM-DD); null while it still is.",
    }),
    properties: t.field({ type: "JSON", required: false, description: "Further attributes, a JSON object." }),
    ...provenanceUpdateFields(t, { source: true }),
  }),
});

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? null);

const createArgs = z.object({
  input: z.object({
    key: key.nullish(),
    type: text,
    from: z.string(),
    to: z.string(),
    validFrom: optional(partialDate),
    validFromBound: z
      .enum(DateBound)
      .nullish()
      .transform((bound) => bound ?? "EXACT"),
    validTo: optional(partialDate),
    properties: properties.nullish(),
    note: optional(z.string()),
    source: z.string(),
    quote,
    certainty: z.enum(Certainty),
  }),
});

const updateArgs = z.object({
  id: z.string(),
  input: z.object({
    type: text.optional(),
    validFrom: partialDate.nullish(),
    validFromBound: z
      .enum(DateBound)
      .nullish()
      .transform((bound) => bound ?? "EXACT")
      .optional(),
    validTo: partialDate.nullish(),
    properties: properties.optional(),
    note: z.string().nullish(),
    source: z.string().optional(),
    quote: quote.optional(),
    certainty: z.enum(Certainty).optional(),
  }),
});

async function loadRelationship(ctx: Context, ref: { key: string }): Promise<Relationship> {
  const relationship = await ctx.prisma.relationship.findUnique({ where: { key: ref.key } });
  if (!relationship) throw new NotFoundError(`The relationship "${ref.key}" no longer exists.`);
  return relationship;
}

const data = { field: "relationship", type: RelationshipRef };

defineMutation({
  name: "createRelationship",
  description: "Links two entities with a typed relationship, citing the sentence of a source that states it.",
  scope: "graph:write",
  args: (arg) => ({
    input: arg({ type: CreateRelationshipInput, required: true, description: "The new relationship." }),
  }),
  input: createArgs,
  data,
  async write(batch, { input }) {
    const requested = {
      from: keyOf(input.from, "entity", ["input", "from"]),
      to: keyOf(input.to, "entity", ["input", "to"]),
    };
    const source = keyOf(input.source, ["Source"], ["input", "source"]);
    // Shared locks: a merge of either end waits for this write, or this write sees the merge done.
    const ends = await lockEntities(batch.tx, [requested.from, requested.to], "share");
    const [from, to] = (["from", "to"] as const).map((end) => {
      const entity = ends.get(requested[end]);
      if (!entity) throw ValidationError.at(["input", end], `No entity has the id ${input[end]}.`);
      return entity.key;
    }) as [string, string];
    const relationshipKey = input.key ?? derivedKeys.relationship({ type: input.type, from, to, source });
    const { key: _key, ...fields } = input;
    await within("input", () =>
      batch.create(relationshipRecord, {
        ...fields,
        key: relationshipKey,
        from,
        to,
        source,
        properties: input.properties ?? {},
      }),
    );
    return { key: relationshipKey };
  },
  load: loadRelationship,
});

defineMutation({
  name: "updateRelationship",
  description: "Changes a relationship's type, dates, properties, note or provenance.",
  scope: "graph:write",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of the relationship." }),
    input: arg({ type: UpdateRelationshipInput, required: true, description: "What to change." }),
  }),
  input: updateArgs,
  data,
  async write(batch, { id, input }) {
    const relationshipKey = keyOf(id, ["Relationship"], ["id"]);
    if (!(await lockRows(batch.tx, "Relationship", [relationshipKey], "update")).size)
      throw new NotFoundError(`No relationship has the id ${id}.`);
    const source = input.source === undefined ? undefined : keyOf(input.source, ["Source"], ["input", "source"]);
    await within("input", () =>
      batch.update(relationshipRecord, relationshipKey, (current) => patch(current, { ...input, source })),
    );
    return { key: relationshipKey };
  },
  load: loadRelationship,
});

defineMutation({
  name: "deleteRelationship",
  description: "Deletes a relationship.",
  scope: "graph:admin",
  args: (arg) => ({ id: arg.id({ required: true, description: "Global id of the relationship." }) }),
  input: z.object({ id: z.string() }),
  data: { field: "deleted", type: DeletedRecordRef },
  async write(batch, { id }) {
    const relationshipKey = keyOf(id, ["Relationship"], ["id"]);
    if (!(await lockRows(batch.tx, "Relationship", [relationshipKey], "update")).size)
      throw new NotFoundError(`No relationship has the id ${id}.`);
    await batch.delete(relationshipRecord, relationshipKey);
    return { type: "Relationship", id, key: relationshipKey };
  },
  load: async (_ctx, ref) => ref,
});
