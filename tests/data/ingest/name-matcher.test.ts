// The matcher finds names as a reader would: any case, any script, whole words, the longest name first.
import { describe, expect, it } from "vitest";
import { NameMatcher } from "../../../src/data/ingest/name-matcher.js";

const matcher = NameMatcher.compile([
  { name: "Chongqing", value: "chongqing" },
  { name: "重庆", value: "chongqing" },
  { name: "重庆市", value: "chongqing" },
  { name: "chong qing", value: "chongqing" },
  { name: "Chongqing Municipal Bureau of Commerce", value: "bureau" },
  { name: "Municipal Bureau of Commerce", value: "bureau" },
  { name: "重庆市商务委员会", value: "bureau" },
  { name: "Seres", value: "seres" },
  { name: "AITO", value: "aito" },
  { name: "问界", value: "aito" },
  { name: "PRC", value: "china" },
  { name: "X", value: "x" },
  { name: "Xi'an", value: "xian" },
  { name: "Chengdu–Chongqing", value: "circle" },
  { name: "Suzhou", value: "suzhou-jiangsu" },
  { name: "Suzhou", value: "suzhou-anhui" },
]);

function found(text: string) {
  return matcher.findAll(text).map((match) => [text.slice(match.start, match.end), ...match.values]);
}

describe("NameMatcher", () => {
  it("takes the longest name at a position and does not report the names inside it", () => {
    expect(found("The Chongqing Municipal Bureau of Commerce said so.")).toEqual([
      ["Chongqing Municipal Bureau of Commerce", "bureau"],
    ]);
    expect(found("重庆市商务委员会表示，重庆市")).toEqual([
      ["重庆市商务委员会", "bureau"],
      ["重庆市", "chongqing"],
    ]);
    expect(found("the Chengdu-Chongqing circle")).toEqual([["Chengdu-Chongqing", "circle"]]);
  });

  it("respects word boundaries for Latin names and none for Chinese ones", () => {
    expect(found("Sereshire, AITOX, preSeres and XAITO are no names")).toEqual([]);
    expect(found("Seres's AITO-branded cars (AITO), 2025:Seres.")).toEqual([
      ["Seres", "seres"],
      ["AITO", "aito"],
      ["AITO", "aito"],
      ["Seres", "seres"],
    ]);
    expect(found("新款问界在重庆生产")).toEqual([
      ["问界", "aito"],
      ["重庆", "chongqing"],
    ]);
    expect(found("华为Seres合作")).toEqual([["Seres", "seres"]]);
  });

  it("ignores case, width, accents, apostrophe and dash styles and spacing, and maps back to the original text", () => {
    expect(found("SERES, ｓｅｒｅｓ, Xi’an, Chong  Qing, Chéngdu—Chongqing")).toEqual([
      ["SERES", "seres"],
      ["ｓｅｒｅｓ", "seres"],
      ["Xi’an", "xian"],
      ["Chong  Qing", "chongqing"],
      ["Chéngdu—Chongqing", "circle"],
    ]);
  });

  it("never matches one-letter names, and matches short acronyms only as written", () => {
    expect(found("X marks the PRC, not the prc")).toEqual([["PRC", "china"]]);
  });

  it("reports every value of a shared name", () => {
    expect(found("Suzhou")).toEqual([["Suzhou", "suzhou-jiangsu", "suzhou-anhui"]]);
  });

  it("stays fast with 100,000 names", () => {
    const names = Array.from({ length: 100_000 }, (_, i) => ({
      name: `Chongqing ${i.toString(36)} Holdings`,
      value: i,
    }));
    const big = NameMatcher.compile([...names, { name: "Seres", value: -1 }]);
    const text = `Chongqing ${(54_321).toString(36)} Holdings and Seres met in Chongqing. `.repeat(200);
    const started = performance.now();
    const matches = big.findAll(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(matches).toHaveLength(400);
    expect(matches[0]!.values).toEqual([54_321]);
  });
});
