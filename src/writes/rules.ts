// Rules a row must keep whichever way it is written: by a mutation (through its record kind) or in
// bulk (a bundle's rows, checked by zod before anything is written). Each rule is written once, here,
// and answers with the field at fault and why, so each writer reports it in its own form.
import type { Certainty } from "../generated/prisma/enums.js";
import { parsePartialDate } from "../partial-date.js";

export interface RowProblem {
  path: string[];
  message: string;
}

/**
 * A fact citing an article quotes one of its sentences, verbatim. A reference source (a table of
 * division codes, a gazetteer) has no sentences: its facts may quote nothing. Why a quote fails, or null.
 */
export function quoteProblem(source: { key: string; kind: string; body: string }, quote: string): string | null {
  if (source.kind !== "ARTICLE") return null;
  if (!quote.trim()) return `empty: a fact citing the article "${source.key}" quotes its sentence`;
  if (!source.body.includes(quote)) return `not found verbatim in source "${source.key}"`;
  return null;
}

/** RANGE needs both bounds in order; other qualifiers take one value (or none, for words only). */
export function valueProblem(row: {
  value?: number | null;
  valueMax?: number | null;
  qualifier: string;
}): RowProblem | null {
  const value = row.value ?? null;
  const valueMax = row.valueMax ?? null;
  if (row.qualifier === "RANGE") {
    if (value === null || valueMax === null)
      return { path: ["valueMax"], message: "A RANGE needs both value and valueMax." };
    if (valueMax < value) return { path: ["valueMax"], message: "valueMax must not be below value." };
  } else if (valueMax !== null) {
    return { path: ["valueMax"], message: "valueMax is for the RANGE qualifier only." };
  }
  return null;
}

/** Policy details belong to entities of kind POLICY. */
export function policyProblem(row: { kind: string; policy?: object | null }): RowProblem | null {
  return row.policy && row.kind !== "POLICY"
    ? { path: ["policy"], message: "Only entities of kind POLICY have policy details." }
    : null;
}

/**
 * A relationship links two different entities, ends no earlier than it starts, and bounds its start
 * (NOT_BEFORE, NOT_AFTER) only when it gives one.
 */
export function relationshipProblem(row: {
  from: string;
  to: string;
  validFrom?: string | null;
  validFromBound?: string | null;
  validTo?: string | null;
}): RowProblem | null {
  if (row.from === row.to) return { path: ["to"], message: "A relationship must link two different entities." };
  if (row.validFromBound && row.validFromBound !== "EXACT" && !row.validFrom)
    return { path: ["validFromBound"], message: `${row.validFromBound} bounds validFrom, which is not given.` };
  const from = row.validFrom ? parsePartialDate(row.validFrom) : null;
  const to = row.validTo ? parsePartialDate(row.validTo) : null;
  if (from && to && to.date < from.date)
    return { path: ["validTo"], message: "validTo must not come before validFrom." };
  return null;
}

// The one rule for rank words, kept by every way an entry comes in (seed, bundles, mutations): a
// rank is a number only where the source gives one ("ranked third", "No. 1"). Words that sound like
// a place ("led growth", "the country's leading NEV production hub", "claimed de facto leadership",
// "overtook") are the source's own judgement, not a position in a ranking of its: the entry is
// STATED_LOOSELY, its rank null and the words in its note. Reading "led" as 1 and "leading" as
// nothing is the inconsistency this rule removes; reading both as 1 would state what no source said.
export const rankWordsRule =
  "A rank the source gives only in words (certainty STATED_LOOSELY) stays null: keep the words in note.";

/** Why an entry's rank breaks the rule, or null when it keeps it. */
export function rankProblem(entry: { rank?: number | null; certainty: Certainty }): string | null {
  return entry.rank != null && entry.certainty === "STATED_LOOSELY" ? rankWordsRule : null;
}
