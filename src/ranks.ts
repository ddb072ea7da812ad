// The one rule for rank words, kept by every way an entry comes in (seed, bundles, mutations): a
// rank is a number only where the source gives one ("ranked third", "No. 1"). Words that sound like
// a place ("led growth", "the country's leading NEV production hub", "claimed de facto leadership",
// "overtook") are the source's own judgement, not a position in a ranking of its: the entry is
// STATED_LOOSELY, its rank null and the words in its note. Reading "led" as 1 and "leading" as
// nothing is the inconsistency this rule removes; reading both as 1 would state what no source said.
import type { Certainty } from "./generated/prisma/enums.js";

export const rankWordsRule =
  "a rank the source gives only in words (certainty STATED_LOOSELY) stays null: keep the words in note";

/** Why an entry's rank breaks the rule, or null when it keeps it. */
export function rankProblem(entry: { rank?: number | null; certainty: Certainty }): string | null {
  return entry.rank != null && entry.certainty === "STATED_LOOSELY" ? rankWordsRule : null;
}
