// Ranking entries: an entity's place in a ranking, quoted from the ranking's source.
import { z } from "zod";
import { builder } from "../builder.js";
import { provenanceUpdateFields } from "./input-fields.js";
import type { Context } from "../../context.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { derivedKeys } from "../../names.js";
import { lockEntities, lockRows } from "../../writes/locks.js";
import { rankingEntryRecord } from "../../writes/records/ranking.js";
import type { RankingEntry } from "../../generated/prisma/client.js";
import { Certainty } from "../../generated/prisma/enums.js";
import { CertaintyEnum } from "../enums.js";
import { RankingEntryRef } from "../rankings.js";
import { rankingEntryFields } from "../../writes/rows.js";
import { defineMutation } from "./define.js";
import { keyOf } from "./ids.js";
import { key, patch, quote, text, within } from "./inputs.js";
import { DeletedRecordRef } from "./results.js";

const CreateRankingEntryInput = builder.inputType("CreateRankingEntryInput", {
  description: "A new ranking entry: an entity's place in a ranking, quoting the ranking's source.",
  fields: (t) => ({
    key: t.string({ required: false, description: "kebab-case; derived as ranking:entity when absent." }),
    ranking: t.id({ required: true, description: "Global id of the ranking; the entry cites the ranking's source." }),
    entity: t.id({ required: true, description: "Global id of the entity it is about." }),
    rank: t.int({ required: false, description: "Null where the source ranks in words (say them in note)." }),
    value: t.float({ required: false, description: "The value it is ranked by, when the source gives one." }),
    unit: t.string({ required: false, description: 'The unit of the value, e.g. "%" or "billion yuan".' }),
    note: t.string({
      required: false,
      description: "A remark on the fact: the source's own loose wording, or how it was inferred.",
    }),
    quote: t.string({
      required: true,
      description: "The sentence of the source that supports it, verbatim (empty only when citing a reference source).",
    }),
    certainty: t.field({ type: CertaintyEnum, required: true, description: "How firmly the source supports it." }),
  }),
});

const UpdateRankingEntryInput = builder.inputType("UpdateRankingEntryInput", {
  description: "Fields to change; left out stays, null clears.",
  fields: (t) => ({
    rank: t.int({
      required: false,
      description: "Its place (1 is first); null where the source ranks only in words, kept in `note`.",
    }),
    value: t.float({ required: false, description: "The value it is ranked by, when the source gives one." }),
    unit: t.string({ required: false, description: 'The unit of the value, e.g. "%" or "billion yuan".' }),
    ...provenanceUpdateFields(t, { source: false }),
  }),
});

/** The rank of a row as written (src/writes/rows.ts), so a mutation and a bundle refuse the same ranks alike. */
const rank = rankingEntryFields.rank;

const createArgs = z.object({
  input: z.object({
    key: key.nullish(),
    ranking: z.string(),
    entity: z.string(),
    rank: rank.nullish(),
    value: z.number().nullish(),
    unit: text.nullish(),
    note: z.string().nullish(),
    quote,
    certainty: z.enum(Certainty),
  }),
});

const updateArgs = z.object({
  id: z.string(),
  input: z.object({
    rank: rank.nullish(),
    value: z.number().nullish(),
    unit: text.nullish(),
    note: z.string().nullish(),
    quote: quote.optional(),
    certainty: z.enum(Certainty).optional(),
  }),
});

async function loadEntry(ctx: Context, ref: { key: string }): Promise<RankingEntry> {
  const entry = await ctx.prisma.rankingEntry.findUnique({ where: { key: ref.key } });
  if (!entry) throw new NotFoundError(`The ranking entry "${ref.key}" no longer exists.`);
  return entry;
}

const data = { field: "rankingEntry", type: RankingEntryRef };

defineMutation({
  name: "createRankingEntry",
  description: "Places an entity in a ranking, quoting the ranking's source.",
  scope: "graph:write",
  args: (arg) => ({
    input: arg({ type: CreateRankingEntryInput, required: true, description: "The new ranking entry." }),
  }),
  input: createArgs,
  data,
  async write(batch, { input }) {
    const rankingKey = keyOf(input.ranking, ["Ranking"], ["input", "ranking"]);
    const requested = keyOf(input.entity, "entity", ["input", "entity"]);
    const entity = (await lockEntities(batch.tx, [requested], "share")).get(requested);
    if (!entity) throw ValidationError.at(["input", "entity"], `No entity has the id ${input.entity}.`);
    const ranking = await batch.tx.ranking.findUnique({
      where: { key: rankingKey },
      select: { source: { select: { key: true } } },
    });
    if (!ranking) throw ValidationError.at(["input", "ranking"], `No ranking has the id ${input.ranking}.`);
    const entryKey = input.key ?? derivedKeys.rankingEntry({ ranking: rankingKey, entity: entity.key });
    await within("input", () =>
      batch.create(rankingEntryRecord, {
        key: entryKey,
        ranking: rankingKey,
        entity: entity.key,
        rank: input.rank ?? null,
        value: input.value ?? null,
        unit: input.unit ?? null,
        note: input.note ?? null,
        source: ranking.source.key,
        quote: input.quote,
        certainty: input.certainty,
      }),
    );
    return { key: entryKey };
  },
  load: loadEntry,
});

defineMutation({
  name: "updateRankingEntry",
  description: "Changes an entry's rank, value, unit, note or provenance.",
  scope: "graph:write",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of the ranking entry." }),
    input: arg({ type: UpdateRankingEntryInput, required: true, description: "What to change." }),
  }),
  input: updateArgs,
  data,
  async write(batch, { id, input }) {
    const entryKey = keyOf(id, ["RankingEntry"], ["id"]);
    if (!(await lockRows(batch.tx, "RankingEntry", [entryKey], "update")).size)
      throw new NotFoundError(`No ranking entry has the id ${id}.`);
    await within("input", () => batch.update(rankingEntryRecord, entryKey, (current) => patch(current, input)));
    return { key: entryKey };
  },
  load: loadEntry,
});

defineMutation({
  name: "deleteRankingEntry",
  description: "Deletes a ranking entry.",
  scope: "graph:admin",
  args: (arg) => ({ id: arg.id({ required: true, description: "Global id of the ranking entry." }) }),
  input: z.object({ id: z.string() }),
  data: { field: "deleted", type: DeletedRecordRef },
  async write(batch, { id }) {
    const entryKey = keyOf(id, ["RankingEntry"], ["id"]);
    if (!(await lockRows(batch.tx, "RankingEntry", [entryKey], "update")).size)
      throw new NotFoundError(`No ranking entry has the id ${id}.`);
    await batch.delete(rankingEntryRecord, entryKey);
    return { type: "RankingEntry", id, key: entryKey };
  },
  load: async (_ctx, ref) => ref,
});
