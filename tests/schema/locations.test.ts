// Where places are through the API: location, nearby, and distances along paths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
let ids: Record<string, string>;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  const response = await graph.query(`{
    chongqing: entity(name: "Chongqing") { id } sichuan: entity(name: "Sichuan") { id }
    seres: entity(name: "Seres") { id } circle: entity(name: "Chengdu–Chongqing Economic Circle") { id }
  }`);
  ids = Object.fromEntries(Object.entries(response.data!).map(([name, value]: [string, any]) => [name, value.id]));
});
afterAll(() => graph?.close());

const codes = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

describe("location", () => {
  it("gives a place's position with the gazetteer row it comes from", async () => {
    const response = await graph.query(`{
      city(name: "Harbin") { location { lat lon quote source { key kind } } }
      province(name: "Heilongjiang") { location { lat lon } }
      circle: entity(name: "Chengdu–Chongqing Economic Circle") { ... on Place { location { lat } } }
    }`);
    expect(response.data).toEqual({
      city: {
        location: {
          lat: 45.75,
          lon: 126.65,
          quote: "Harbin (CN, admin1 08, admin2 2301): 45.75, 126.65",
          source: { key: "geonames-cities-json", kind: "REFERENCE" },
        },
      },
      // A province is placed at its capital.
      province: { location: { lat: 45.75, lon: 126.65 } },
      circle: { location: null },
    });
  });

  it("reads the position on a page of edges too (narrow rows carry its columns)", async () => {
    const response = await graph.query(
      `{ province(name: "Sichuan") { cities(first: 100) { edges { node { name location { lat lon } } } } } }`,
    );
    const chengdu = response.data!.province.cities.edges.find((edge: any) => edge.node.name === "Chengdu");
    expect(chengdu.node.location).toEqual({ lat: 30.66667, lon: 104.06667 });
  });
});

describe("nearby", () => {
  it("lists places near a place, nearest first, itself left out: Chengdu about 270 km from Chongqing", async () => {
    const response = await graph.query(
      `query($id: ID!) { nearby(id: $id, radiusKm: 300, kinds: [CITY], first: 50) { distanceKm place { key name } } }`,
      { id: ids.chongqing },
    );
    expect(response.errors).toBeUndefined();
    const hits = response.data!.nearby;
    const chengdu = hits.find((hit: any) => hit.place.key === "chengdu");
    expect(chengdu.distanceKm).toBeGreaterThan(255);
    expect(chengdu.distanceKm).toBeLessThan(285);
    expect(hits.some((hit: any) => hit.place.key === "chongqing")).toBe(false);
    const distances = hits.map((hit: any) => hit.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it("lists places near a point", async () => {
    const response = await graph.query(
      `{ nearby(lat: 29.65, lon: 91.1, radiusKm: 10, kinds: [CITY]) { distanceKm place { name } } }`,
    );
    expect(response.data!.nearby).toEqual([{ distanceKm: 0, place: { name: "Lhasa" } }]);
  });

  it.each([
    ["no centre", `{ nearby(radiusKm: 10) { distanceKm } }`, "BAD_USER_INPUT"],
    [
      "both centres",
      `query($id: ID!) { nearby(id: $id, lat: 1, lon: 1, radiusKm: 10) { distanceKm } }`,
      "BAD_USER_INPUT",
    ],
    ["lat without lon", `{ nearby(lat: 10, radiusKm: 10) { distanceKm } }`, "BAD_USER_INPUT"],
    ["lat out of range", `{ nearby(lat: 91, lon: 0, radiusKm: 10) { distanceKm } }`, "BAD_USER_INPUT"],
    ["lon out of range", `{ nearby(lat: 0, lon: -181, radiusKm: 10) { distanceKm } }`, "BAD_USER_INPUT"],
    ["a zero radius", `{ nearby(lat: 0, lon: 0, radiusKm: 0) { distanceKm } }`, "BAD_USER_INPUT"],
    ["a radius over the cap", `{ nearby(lat: 0, lon: 0, radiusKm: 2000.5) { distanceKm } }`, "BAD_USER_INPUT"],
    ["too many places", `{ nearby(lat: 0, lon: 0, radiusKm: 10, first: 101) { distanceKm } }`, "BAD_USER_INPUT"],
    [
      "a place without a location",
      `query($id: ID!) { nearby(id: $id, radiusKm: 10) { distanceKm } }`,
      "BAD_USER_INPUT",
    ],
  ])("refuses %s with a clear error", async (_title, query, code) => {
    const response = await graph.query(query, { id: query.includes("lat: 1") ? ids.chongqing : ids.circle });
    expect(codes(response)).toEqual([code]);
    expect(response.errors![0]!.message).toMatch(/lat|lon|radiusKm|first|id|location/);
  });
});

describe("distances along paths", () => {
  it("gives each step between two located places its distance, null where an end has none", async () => {
    const direct = await graph.query(
      `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 1, types: ["VAT_REFUND_PARTNER"]) { steps { from { key } to { key } distanceKm } } }`,
      { from: ids.chongqing, to: ids.sichuan },
    );
    // Sichuan is placed at Chengdu, its capital.
    const step = direct.data!.paths[0].steps[0];
    expect(step.distanceKm).toBeGreaterThan(255);
    expect(step.distanceKm).toBeLessThan(285);
    const viaCompany = await graph.query(
      `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 2, first: 1) { steps { from { key } to { key } distanceKm } } }`,
      { from: ids.seres, to: ids.chongqing },
    );
    expect(viaCompany.data!.paths[0].steps.map((s: any) => s.distanceKm)).toContain(null);
  });
});
