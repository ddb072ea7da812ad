// Observations: a value of an indicator for an entity over a period, in the indicator's unit.
import { z } from "zod";
import { builder } from "../builder.js";
import { provenanceUpdateFields } from "./input-fields.js";
import type { Context } from "../../context.js";
import { NotFoundError, ValidationError } from "../../errors.js";
import { derivedKeys } from "../../names.js";
import { lockEntities, lockRows } from "../../writes/locks.js";
import { observationRecord } from "../../writes/records/observation.js";
import type { Observation } from "../../generated/prisma/client.js";
import { Certainty, DateBound, Qualifier } from "../../generated/prisma/enums.js";
import { CertaintyEnum, DateBoundEnum, QualifierEnum } from "../enums.js";
import { ObservationRef } from "../indicators.js";
import { defineMutation } from "./define.js";
import { keyOf } from "./ids.js";
import { key, patch, period, quote, text, within } from "./inputs.js";
import { DeletedRecordRef } from "./results.js";

const CreateObservationInput = builder.inputType("CreateObservationInput", {
  description: "A new observation: a value of an indicator for an entity over a period, citing its source.",
  fields: (t) => ({
    key: t.string({
      required: false,
      description: "kebab-case; derived as entity:indicator:period:source when absent.",
    }),
    entity: t.id({ required: true, description: "Global id of the entity it is about." }),
    indicator: t.id({ required: true, description: "Global id of the indicator." }),
    period: t.string({ required: true, description: '"2025", "2025-H1", "2025-Q3", "2025-07" or a day.' }),
    periodBound: t.field({
      type: DateBoundEnum,
      required: false,
      description:
        "EXACT (the default) when the source gives the period; NOT_AFTER when it gives only the latest the value can be of.",
    }),
    value: t.float({
      required: false,
      description: "Null where the source gives words, not a number (say them in note).",
    }),
    valueMax: t.float({ required: false, description: "Upper bound, for the RANGE qualifier." }),
    qualifier: t.field({ type: QualifierEnum, required: false, description: "EXACT when absent." }),
    unit: t.string({ required: false, description: "Must be the indicator's unit; the indicator's unit when absent." }),
    note: t.string({
      required: false,
      description: "A remark on the fact: the source's own loose wording, or how it was inferred.",
    }),
    source: t.id({ required: true, description: "Global id of the source it cites." }),
    quote: t.string({
      required: true,
      description: "The sentence of the source that supports it, verbatim (empty only when citing a reference source).",
    }),
    certainty: t.field({ type: CertaintyEnum, required: true, description: "How firmly the source supports it." }),
  }),
});

const UpdateObservationInput = builder.inputType("UpdateObservationInput", {
  description: "Fields to change; left out stays, null clears. Entity and indicator never change.",
  fields: (t) => ({
    period: t.string({ required: false, description: 'The period: "2025", "2025-H1", "2025-Q3" or "2025-07".' }),
    periodBound: t.field({
      type: DateBoundEnum,
      required: false,
      description: "What the period claims: the period itself (EXACT) or only a bound; null is EXACT.",
    }),
    value: t.float({
      required: false,
      description: "The value, or the low end of a RANGE; null where the source gives no number.",
    }),
    valueMax: t.float({ required: false, description: "The upper end, for a RANGE." }),
    qualifier: t.field({ type: QualifierEnum, required: false, description: "How the figure relates to its value." }),
    unit: t.string({ required: false, description: 'The unit of the value, e.g. "%" or "billion yuan".' }),
    ...provenanceUpdateFields(t, { source: true }),
  }),
});

const createArgs = z.object({
  input: z.object({
    key: key.nullish(),
    entity: z.string(),
    indicator: z.string(),
    period,
    periodBound: z.enum(DateBound).nullish(),
    value: z.number().nullish(),
    valueMax: z.number().nullish(),
    qualifier: z.enum(Qualifier).nullish(),
    unit: text.nullish(),
    note: z.string().nullish(),
    source: z.string(),
    quote,
    certainty: z.enum(Certainty),
  }),
});

const updateArgs = z.object({
  id: z.string(),
  input: z.object({
    period: period.optional(),
    periodBound: z
      .enum(DateBound)
      .nullish()
      .transform((bound) => bound ?? "EXACT")
      .optional(),
    value: z.number().nullish(),
    valueMax: z.number().nullish(),
    qualifier: z.enum(Qualifier).optional(),
    unit: text.optional(),
    note: z.string().nullish(),
    source: z.string().optional(),
    quote: quote.optional(),
    certainty: z.enum(Certainty).optional(),
  }),
});

async function loadObservation(ctx: Context, ref: { key: string }): Promise<Observation> {
  const observation = await ctx.prisma.observation.findUnique({ where: { key: ref.key } });
  if (!observation) throw new NotFoundError(`The observation "${ref.key}" no longer exists.`);
  return observation;
}

const data = { field: "observation", type: ObservationRef };

defineMutation({
  name: "createObservation",
  description: "Records a value of an indicator for an entity over a period, citing its source.",
  scope: "graph:write",
  args: (arg) => ({
    input: arg({ type: CreateObservationInput, required: true, description: "The new observation." }),
  }),
  input: createArgs,
  data,
  async write(batch, { input }) {
    const requested = keyOf(input.entity, "entity", ["input", "entity"]);
    const indicatorKey = keyOf(input.indicator, ["Indicator"], ["input", "indicator"]);
    const source = keyOf(input.source, ["Source"], ["input", "source"]);
    const entity = (await lockEntities(batch.tx, [requested], "share")).get(requested);
    if (!entity) throw ValidationError.at(["input", "entity"], `No entity has the id ${input.entity}.`);
    const indicator = await batch.tx.indicator.findUnique({ where: { key: indicatorKey }, select: { unit: true } });
    if (!indicator) throw ValidationError.at(["input", "indicator"], `No indicator has the id ${input.indicator}.`);
    const observationKey =
      input.key ??
      derivedKeys.observation({ entity: entity.key, indicator: indicatorKey, period: input.period, source });
    await within("input", () =>
      batch.create(observationRecord, {
        key: observationKey,
        entity: entity.key,
        indicator: indicatorKey,
        period: input.period,
        periodBound: input.periodBound ?? "EXACT",
        value: input.value ?? null,
        valueMax: input.valueMax ?? null,
        qualifier: input.qualifier ?? "EXACT",
        unit: input.unit ?? indicator.unit,
        note: input.note ?? null,
        source,
        quote: input.quote,
        certainty: input.certainty,
      }),
    );
    return { key: observationKey };
  },
  load: loadObservation,
});

defineMutation({
  name: "updateObservation",
  description: "Changes an observation's period, value, unit, note or provenance.",
  scope: "graph:write",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of the observation." }),
    input: arg({ type: UpdateObservationInput, required: true, description: "What to change." }),
  }),
  input: updateArgs,
  data,
  async write(batch, { id, input }) {
    const observationKey = keyOf(id, ["Observation"], ["id"]);
    if (!(await lockRows(batch.tx, "Observation", [observationKey], "update")).size)
      throw new NotFoundError(`No observation has the id ${id}.`);
    const source = input.source === undefined ? undefined : keyOf(input.source, ["Source"], ["input", "source"]);
    await within("input", () =>
      batch.update(observationRecord, observationKey, (current) => patch(current, { ...input, source })),
    );
    return { key: observationKey };
  },
  load: loadObservation,
});

defineMutation({
  name: "deleteObservation",
  description: "Deletes an observation.",
  scope: "graph:admin",
  args: (arg) => ({ id: arg.id({ required: true, description: "Global id of the observation." }) }),
  input: z.object({ id: z.string() }),
  data: { field: "deleted", type: DeletedRecordRef },
  async write(batch, { id }) {
    const observationKey = keyOf(id, ["Observation"], ["id"]);
    if (!(await lockRows(batch.tx, "Observation", [observationKey], "update")).size)
      throw new NotFoundError(`No observation has the id ${id}.`);
    await batch.delete(observationRecord, observationKey);
    return { type: "Observation", id, key: observationKey };
  },
  load: async (_ctx, ref) => ref,
});
