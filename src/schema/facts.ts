// `Fact`: what every claim in the graph shares, so a client can ask any of them where it came from.
import { builder } from "./builder.js";
import type { Certainty } from "../generated/prisma/enums.js";
import { CertaintyEnum } from "./enums.js";
import { SourceRef } from "./sources.js";
import type { Source } from "../generated/prisma/client.js";

interface FactShape {
  sourceId: number;
  quote: string;
  certainty: Certainty;
  note: string | null;
}

export const FactRef = builder.interfaceRef<FactShape>("Fact").implement({
  description: "A claim taken from a source: the source, the sentence that supports it, and how firm it is.",
  fields: (t) => ({
    source: t.field({
      type: SourceRef,
      description: "The article (or reference dataset) the claim comes from.",
      resolve: (fact, _args, ctx) => ctx.loaders.pointedRow<Source>("Source", fact.sourceId),
    }),
    quote: t.exposeString("quote", { description: "The sentence of the source that supports the claim, verbatim." }),
    certainty: t.expose("certainty", { description: "How firmly the source supports the claim.", type: CertaintyEnum }),
    note: t.exposeString("note", {
      nullable: true,
      description: "The source's own words where it is vague, or how an inferred claim was inferred.",
    }),
  }),
});
