// Keys of new records: kebab-case when a client gives one, else derived the way the seed derives
// them, so a record written through the API looks like one loaded from the seed.
import { pinyin } from "pinyin-pro";
import { normalizeName } from "../names.js";

export const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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

export const derivedKey = {
  relationship: (type: string, from: string, to: string, source: string) => `${type}:${from}:${to}:${source}`,
  observation: (entity: string, indicator: string, period: string, source: string) =>
    `${entity}:${indicator}:${period}:${source}`,
  rankingEntry: (ranking: string, entity: string) => `${ranking}:${entity}`,
};
