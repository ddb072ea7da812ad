// Great-circle distances in SQL (src/reads/nearby.ts), against known distances and the same formula
// in TypeScript.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distanceKm, loadNearby, pointOf } from "../../src/reads/nearby.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const located = async (key: string) => {
  const entity = await graph.db.prisma.entity.findUniqueOrThrow({ where: { key } });
  return { entity, point: pointOf(entity)! };
};

describe("distances", () => {
  it("puts Chongqing about 270 km from Chengdu, and measures 0 from a point to itself", async () => {
    const chongqing = await located("chongqing");
    const chengdu = await located("chengdu");
    expect(distanceKm(chongqing.point, chengdu.point)).toBeGreaterThan(255);
    expect(distanceKm(chongqing.point, chengdu.point)).toBeLessThan(285);
    expect(distanceKm(chengdu.point, chengdu.point)).toBe(0);
    // Across the globe the formula stays finite (asin's argument is held at 1).
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6371.0088, 3);
  });

  it("finds in SQL what the TypeScript formula measures, nearest first, within the radius and the limit", async () => {
    const chongqing = await located("chongqing");
    const hits = await loadNearby(graph.db.sql, chongqing.point, {
      radiusKm: 300,
      limit: 100,
      excludeId: chongqing.entity.id,
    });
    const chengdu = hits.find((hit) => hit.entity.key === "chengdu");
    expect(chengdu?.distanceKm).toBeGreaterThan(255);
    expect(chengdu?.distanceKm).toBeLessThan(285);
    expect(hits.some((hit) => hit.entity.key === "chongqing")).toBe(false);
    for (const hit of hits) {
      expect(hit.distanceKm).toBeLessThanOrEqual(300);
      expect(hit.distanceKm).toBeCloseTo(distanceKm(chongqing.point, pointOf(hit.entity)!), 6);
    }
    const distances = hits.map((hit) => hit.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const every = await graph.db.prisma.entity.findMany({ where: { latitude: { not: null } } });
    const within = every.filter((e) => e.id !== chongqing.entity.id && distanceKm(chongqing.point, pointOf(e)!) <= 300);
    expect(hits.length).toBe(within.length);
    expect(await loadNearby(graph.db.sql, chongqing.point, { radiusKm: 300, limit: 2 })).toHaveLength(2);
  });

  it("keeps to the kinds asked for", async () => {
    const hits = await loadNearby(
      graph.db.sql,
      { lat: 30.66667, lon: 104.06667 },
      { radiusKm: 500, limit: 100, kinds: ["PROVINCE"] },
    );
    expect(hits.map((hit) => hit.entity.kind)).toEqual(hits.map(() => "PROVINCE"));
    expect(hits[0]!.entity.key).toBe("sichuan");
  });
});
