// The Date scalar's answer is `YYYY-MM-DD` as `toISOString` gives it; `isoDate` formats it without
// `toISOString` in the usual years (src/partial-date.ts), so it is held to `toISOString` here over
// every day of several years, the ends of each month, and the years it hands to `toISOString`.
import type { GraphQLScalarType } from "graphql";
import { describe, expect, it } from "vitest";
import { formatPartialDate, isoDate } from "../../src/partial-date.js";
import { schema } from "../../src/schema/index.js";

const dateScalar = schema.getType("Date") as GraphQLScalarType;
const expected = (date: Date) => date.toISOString().slice(0, 10);

describe("isoDate", () => {
  it("is toISOString's date on every day of 1999 to 2001, 2024 and 2100", () => {
    for (const year of [1999, 2000, 2001, 2024, 2100]) {
      for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
        const date = new Date(day);
        expect(isoDate(date)).toBe(expected(date));
      }
    }
  });

  it("is the UTC date whatever the time of day", () => {
    for (const iso of ["2025-07-25T00:00:00.000Z", "2025-07-25T23:59:59.999Z", "2025-12-31T23:59:59.999Z"]) {
      expect(isoDate(new Date(iso))).toBe(iso.slice(0, 10));
    }
  });

  it("leaves years outside 1000-9999 to toISOString", () => {
    for (const year of [1, 99, 100, 999, 1000, 9999, 10_000, 275_000, -1, -271_821]) {
      const date = new Date(Date.UTC(2000, 5, 15));
      date.setUTCFullYear(year);
      expect(isoDate(date)).toBe(expected(date));
    }
  });

  it("throws on an invalid date as toISOString does", () => {
    expect(() => isoDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("is the Date scalar's answer, and a partial date's at each precision", () => {
    const date = new Date(Date.UTC(2023, 0, 5));
    expect(dateScalar.serialize(date)).toBe("2023-01-05");
    expect(formatPartialDate({ date, precision: "DAY" })).toBe("2023-01-05");
    expect(formatPartialDate({ date, precision: "MONTH" })).toBe("2023-01");
    expect(formatPartialDate({ date, precision: "YEAR" })).toBe("2023");
  });
});
