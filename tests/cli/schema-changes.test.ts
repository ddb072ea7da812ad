// The breaking-change check (npm run schema:changes): graphql-inspector's diff of two schemas, and
// the changelog's latest section, which must name every breaking change by its coordinate.
import { describe, expect, it } from "vitest";
import { breakingChanges, latestSection, unannounced } from "../../src/cli/schema-changes-main.js";

const before = /* GraphQL */ `
  type Query { city(name: String!): City, cities(first: Int): [City!]! }
  type City { name: String!, population: Int }
  enum Kind { CITY, PROVINCE }
`;

describe("breaking changes", () => {
  it("finds none in an addition (a field, an optional argument, an enum value)", async () => {
    const after = /* GraphQL */ `
      type Query { city(name: String!, asOf: String): City, cities(first: Int): [City!]! }
      type City { name: String!, nameZh: String, population: Int }
      enum Kind { CITY, PROVINCE, DISTRICT }
    `;
    expect(await breakingChanges(before, after)).toEqual([]);
  });

  it("names each removal, retyping and newly required argument by its coordinate", async () => {
    const after = /* GraphQL */ `
      type Query { city(name: String!, asOf: String!): City, cities(first: Int): [City!]! }
      type City { name: String!, population: Float }
      enum Kind { CITY }
    `;
    const paths = (await breakingChanges(before, after)).map((change) => change.path).sort();
    expect(paths).toEqual(["City.population", "Kind.PROVINCE", "Query.city.asOf"]);
  });
});

describe("the changelog", () => {
  const changes = [
    { path: "City.population", message: "Field 'City.population' changed type from 'Int' to 'Float'" },
    { path: "Kind.PROVINCE", message: "Enum value 'PROVINCE' was removed from enum 'Kind'" },
  ];
  const changelog = [
    "# Changelog",
    "Intro naming `Kind.PROVINCE`, which does not count: only the latest section does.",
    "## 2027-01",
    "- Breaking: `City.population` is a Float now; read it as a number with a fraction.",
    "## 2026-12",
    "- Breaking: `Kind.PROVINCE` removed.",
  ].join("\n");

  it("reads its latest section only", () => {
    expect(latestSection(changelog)).toMatch(/^## 2027-01\n- Breaking: `City\.population`/);
    expect(latestSection("# Changelog\nno sections yet")).toBe("");
  });

  it("lets through a breaking change its latest section names, and returns the others", () => {
    expect(unannounced(changes, changelog)).toEqual([changes[1]]);
    expect(unannounced(changes, `${changelog.replace("## 2027-01", "## 2027-01\n- `Kind.PROVINCE` too.")}`)).toEqual(
      [],
    );
    expect(unannounced([], "")).toEqual([]);
    // Named in plain words only, not as a coordinate: not announced.
    expect(unannounced([changes[0]!], "## next\n- City.population is a Float now")).toEqual([changes[0]]);
  });
});
