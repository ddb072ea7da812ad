// One normalisation for every name lookup, used when aliases are stored and when they are queried:
// case, width and accents folded, whitespace collapsed ("  ChóngQìng " -> "chongqing").
export function normalizeName(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The normalised name without spaces or punctuation: "Chong qing" and "Chongqing" meet here. */
export function compactName(name: string): string {
  return normalizeName(name).replace(/[\s\p{P}\p{S}]/gu, "");
}
