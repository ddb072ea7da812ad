// Input fields that several mutations' inputs share, declared once: an entity's own details, and
// a fact's provenance (note, source, quote, certainty) as an update takes it.
import type { builder } from "../builder.js";
import { CertaintyEnum } from "../enums.js";

type Types = typeof builder.$inferSchemaTypes;
export type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">;

/** A fact's provenance as an update takes it: each field optional, left out stays. */
export const provenanceUpdateFields = (t: InputFieldBuilder, { source }: { source: boolean }) => ({
  note: t.string({
    required: false,
    description: "A remark on the fact: the source's own loose wording, or how it was inferred.",
  }),
  ...(source ? { source: t.id({ required: false, description: "Global id of the source it cites." }) } : {}),
  quote: t.string({
    required: false,
    description: "The sentence of the source that supports it, verbatim (empty only when citing a reference source).",
  }),
  certainty: t.field({ type: CertaintyEnum, required: false, description: "How firmly the source supports it." }),
});
