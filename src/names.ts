// One normalisation for every name lookup, used when aliases are stored and when they are queried:
// case, width and accents folded, whitespace collapsed ("  ChóngQìng " -> "chongqing"). And the
// rules for keys, shared by every way records are written (mutations, bundles, ingest, the seed).
import { pinyin } from "pinyin-pro";

export function normalizeName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The normalised name without spaces or punctuation: "Chong qing" and "Chongqing" meet here. */
export function compactName(name: string): string {
  return normalizeName(name).replace(/[\s\p{P}\p{S}]/gu, "");
}

/** A record's key as clients and bundles give it: lower-case words joined by "-". */
export const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A division code: GB/T 2260, six digits. */
export const divisionCode = /^\d{6}$/;

/** "Xi'an Hi-Tech Zone" -> "xian-hi-tech-zone"; Chinese is spelt in pinyin first (西安 -> "xi-an"). */
export function slugify(text: string): string {
  const spelt = /\p{Script=Han}/u.test(text)
    ? pinyin(text, { toneType: "none", separator: " ", nonZh: "consecutive" })
    : text;
  return normalizeName(spelt)
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80)
    .replace(/-$/, "");
}

/** The key a fact gets when it comes without one, from what it connects: the same in a bundle and through the API. */
export const derivedKeys = {
  relationship: (row: { type: string; from: string; to: string; source: string }) =>
    `${row.type}:${row.from}:${row.to}:${row.source}`,
  observation: (row: { entity: string; indicator: string; period: string; source: string }) =>
    `${row.entity}:${row.indicator}:${row.period}:${row.source}`,
  rankingEntry: (row: { ranking: string; entity: string }) => `${row.ranking}:${row.entity}`,
  policyFigure: (row: { policy: string; label: string }) => `${row.policy}:${normalizeName(row.label)}`,
};
