// Creating, changing, deleting and merging entities.
import { z } from "zod";
import { builder } from "../builder.js";
import type { InputFieldBuilder } from "./input-fields.js";
import type { Context } from "../../context.js";
import { deleteEntityAndFacts } from "../../writes/delete-entity.js";
import { mergedAway, NotFoundError, ValidationError } from "../../errors.js";
import { lockEntities } from "../../writes/locks.js";
import { mergeEntities } from "../../writes/merge.js";
import { entityRecord, withPrimaryNames, type EntitySnapshot } from "../../writes/records/entity.js";
import type { Json, Tx } from "../../writes/record.js";
import type { WriteOutcome } from "../../writes/run.js";
import type { Entity } from "../../generated/prisma/client.js";
import { AdminLevel, DivisionType, EntityKind, PolicyType } from "../../generated/prisma/enums.js";
import { divisionCode, slugify } from "../../names.js";
import { EntityRef } from "../entity.js";
import { AdminLevelEnum, DivisionTypeEnum, EntityKindEnum, PolicyTypeEnum } from "../enums.js";
import { defineMutation } from "./define.js";
import { entityGlobalIdOf, keyOf } from "./ids.js";
import { aliasLang, key, partialDate, patch, properties, text, within } from "./inputs.js";
import { DeletedRecordRef } from "./results.js";

export const AliasInput = builder.inputType("AliasInput", {
  description: "A further name of an entity, in one language.",
  fields: (t) => ({
    name: t.string({ required: true, description: "The name as written." }),
    lang: t.string({ required: false, description: "`en` (the default), `zh` or `pinyin`." }),
  }),
});

const PolicyDetailInput = builder.inputType("PolicyDetailInput", {
  description: "A policy's type and dates (entities of kind POLICY only).",
  fields: (t) => ({
    policyType: t.field({ type: PolicyTypeEnum, required: true, description: "What kind of instrument it is." }),
    officialTitle: t.string({ required: false, description: "The title as issued, often in Chinese." }),
    startsOn: t.string({ required: false, description: "YYYY, YYYY-MM or YYYY-MM-DD." }),
    endsOn: t.string({ required: false, description: "When it ends: YYYY, YYYY-MM or YYYY-MM-DD." }),
  }),
});

/** What an entity says of itself beyond its key, kind and name, the same on create and on update. */
const entityDetailFields = (t: InputFieldBuilder) => ({
  nameZh: t.string({ required: false, description: "Chinese name." }),
  description: t.string({ required: false, description: "A sentence or two on what it is." }),
  adminLevel: t.field({
    type: AdminLevelEnum,
    required: false,
    description: "Places only: the level in the hierarchy.",
  }),
  divisionType: t.field({
    type: DivisionTypeEnum,
    required: false,
    description: "Administrative divisions only: their legal type.",
  }),
  divisionCode: t.string({ required: false, description: "Six-digit GB/T 2260 code." }),
  properties: t.field({ type: "JSON", required: false, description: "Further attributes, a JSON object." }),
  policy: t.field({ type: PolicyDetailInput, required: false, description: "Policies only: type and dates." }),
});

const CreateEntityInput = builder.inputType("CreateEntityInput", {
  description: "A new entity: its kind and names, and what else is known.",
  fields: (t) => ({
    key: t.string({
      required: false,
      description: "kebab-case; derived from the name when absent (pinyin for Chinese).",
    }),
    kind: t.field({ type: EntityKindEnum, required: true, description: "What it is; never changes." }),
    name: t.string({ required: true, description: "English name (pinyin for Chinese places)." }),
    ...entityDetailFields(t),
    aliases: t.field({
      type: [AliasInput],
      required: false,
      description: "Further names; name and nameZh are names already.",
    }),
  }),
});

const UpdateEntityInput = builder.inputType("UpdateEntityInput", {
  description:
    "Fields to change; a field left out stays as it is, null clears it. Key and kind never change (the global id holds them).",
  fields: (t) => ({
    name: t.string({ required: false, description: "English name (pinyin for Chinese places)." }),
    ...entityDetailFields(t),
  }),
});

const policy = z.object({
  policyType: z.enum(PolicyType),
  officialTitle: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
  startsOn: partialDate.nullish().transform((value) => value ?? null),
  endsOn: partialDate.nullish().transform((value) => value ?? null),
});

const entityFields = {
  nameZh: text.nullish(),
  description: z.string().nullish(),
  adminLevel: z.enum(AdminLevel).nullish(),
  divisionType: z.enum(DivisionType).nullish(),
  divisionCode: z.string().regex(divisionCode, "must be a six-digit GB/T 2260 code").nullish(),
  properties: properties.nullish(),
  policy: policy.nullish(),
};

const createArgs = z.object({
  input: z.object({
    key: key.nullish(),
    kind: z.enum(EntityKind),
    name: text,
    ...entityFields,
    aliases: z.array(z.object({ name: text, lang: aliasLang.nullish() })).nullish(),
  }),
});

const updateArgs = z.object({
  id: z.string(),
  input: z.object({ name: text.optional(), ...entityFields }),
});

/**
 * The entity a write left: its row as the write's own statement returned it, or else read after the
 * commit (then, if it has been merged away since, the entity it was merged into).
 */
export async function loadEntity(
  ctx: Context,
  ref: { key: string },
  rowLeft?: WriteOutcome<Json>["rowLeft"],
): Promise<Entity> {
  // The entity kind's update returns the table's row typed as the SQL reader types it (records/entity.ts).
  const left = rowLeft?.("Entity", ref.key) as Entity | undefined;
  // Never from the loaders' cache: an earlier field of the same request may have read the entity
  // before this write changed it. A row the write returned replaces it there, for later fields.
  const byKey = ctx.loaders.entityByKey.clear(ref.key);
  if (left) {
    byKey.prime(ref.key, left);
    return left;
  }
  const entity = (await byKey.load(ref.key)) ?? (await ctx.loaders.redirectTarget.clear(ref.key).load(ref.key));
  if (!entity) throw new NotFoundError(`The entity "${ref.key}" no longer exists.`);
  return entity;
}

/**
 * Locks the entity a global id names, following a merge's redirect; NotFound when there is none.
 * A destructive write (`redirects: "refuse"`) acts only on the entity the id names itself: the id of
 * a merged duplicate would otherwise delete the entity it was merged into.
 */
export async function lockedEntity(
  tx: Tx,
  globalId: string,
  argument: string,
  mode: "update" | "share",
  redirects: "follow" | "refuse" = "follow",
) {
  const requested = keyOf(globalId, "entity", [argument]);
  const entity = (await lockEntities(tx, [requested], mode)).get(requested);
  if (!entity) throw new NotFoundError(`No entity has the id ${globalId}.`);
  if (redirects === "refuse" && entity.key !== requested) throw mergedAway(requested, entity.key);
  return entity;
}

const entityData = { field: "entity", type: EntityRef };

defineMutation({
  name: "createEntity",
  description: "Adds an entity, with its names (aliases) and, for a policy, its details.",
  scope: "graph:write",
  args: (arg) => ({ input: arg({ type: CreateEntityInput, required: true, description: "The new entity." }) }),
  input: createArgs,
  data: entityData,
  async write(batch, { input }) {
    const entityKey = input.key ?? slugify(input.name);
    if (!entityKey) throw ValidationError.at(["input", "key"], "cannot be derived from the name; give a key");
    const snapshot: EntitySnapshot = {
      key: entityKey,
      kind: input.kind,
      name: input.name,
      nameZh: input.nameZh ?? null,
      description: input.description ?? null,
      adminLevel: input.adminLevel ?? null,
      divisionType: input.divisionType ?? null,
      divisionCode: input.divisionCode ?? null,
      properties: input.properties ?? {},
      aliases: (input.aliases ?? []).map((alias) => ({ name: alias.name, lang: alias.lang ?? "en", primary: false })),
      mentions: [],
      policy: input.policy ?? null,
    };
    await within("input", () => batch.create(entityRecord, { ...snapshot, aliases: withPrimaryNames(snapshot) }));
    return { key: entityKey };
  },
  load: loadEntity,
});

defineMutation({
  name: "updateEntity",
  description: "Changes an entity's names, description, administrative fields, properties or policy details.",
  scope: "graph:write",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of the entity." }),
    input: arg({ type: UpdateEntityInput, required: true, description: "What to change." }),
  }),
  input: updateArgs,
  data: entityData,
  async write(batch, { id, input }) {
    const entity = await lockedEntity(batch.tx, id, "id", "update");
    await within("input", () =>
      batch.update(entityRecord, entity.key, (current) => {
        // A null clears the properties: an empty object, as the column holds no null.
        const next = patch(current, { ...input, properties: input.properties === null ? {} : input.properties });
        return { ...next, aliases: withPrimaryNames(next) };
      }),
    );
    return { key: entity.key };
  },
  load: loadEntity,
});

defineMutation({
  name: "deleteEntity",
  description:
    "Deletes an entity with every fact about it (each a recorded change: revertChange brings all of them back).",
  scope: "graph:admin",
  args: (arg) => ({ id: arg.id({ required: true, description: "Global id of the entity." }) }),
  input: z.object({ id: z.string() }),
  data: { field: "deleted", type: DeletedRecordRef },
  async write(batch, { id }) {
    const entity = await lockedEntity(batch.tx, id, "id", "update", "refuse");
    await deleteEntityAndFacts(batch, entity.id, entity.key);
    return { type: "Entity", id: entityGlobalIdOf(entity), key: entity.key };
  },
  load: async (_ctx, ref) => ref,
});

defineMutation({
  name: "mergeEntities",
  description:
    "Merges `duplicate` into `survivor`, two entities of one kind that turn out to be the same: relationships, aliases, observations, ranking entries and mentions move to the survivor, duplicates are folded, and the duplicate's id and key lead to the survivor from then on.",
  scope: "graph:admin",
  args: (arg) => ({
    survivor: arg.id({ required: true, description: "Global id of the entity that stays." }),
    duplicate: arg.id({
      required: true,
      description:
        "Global id of the entity merged into the survivor: its names, facts and id move over; it then redirects.",
    }),
  }),
  input: z.object({ survivor: z.string(), duplicate: z.string() }),
  data: entityData,
  async write(batch, args) {
    const survivor = keyOf(args.survivor, "entity", ["survivor"]);
    const duplicate = keyOf(args.duplicate, "entity", ["duplicate"]);
    return { key: await mergeEntities(batch, survivor, duplicate) };
  },
  load: loadEntity,
});
