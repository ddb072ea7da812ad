// Entity rows read by hand-written SQL stand in for Prisma's in node, name and edge lookups: they must
// be the same rows, and each entity type's two definitions (Prisma filter, row test) the same set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import { entityPicker, prefixedEntityColumns, relationshipPicker } from "../../src/reads/entity-rows.js";
import { entityVariants } from "../../src/reads/entity-variants.js";
import { createLoaders } from "../../src/reads/loaders.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

describe("entity rows by hand-written SQL", () => {
  it("are the rows Prisma reads, whole or beside a relationship", async () => {
    const viaPrisma = await graph.db.prisma.entity.findMany({ orderBy: { id: "asc" } });
    const whole = await graph.db.sql.query(Prisma.sql`SELECT * FROM "Entity" ORDER BY id`, { prepare: true });
    expect(whole).toEqual(viaPrisma);

    const joined = await graph.db.sql.table(Prisma.sql`
      SELECT r.*, ${prefixedEntityColumns("o", "other.")} FROM "Relationship" r JOIN "Entity" o ON o.id = r."toId" ORDER BY r.id`);
    const relationships = await graph.db.prisma.relationship.findMany({
      orderBy: { id: "asc" },
      include: { to: true },
    });
    expect(joined.rows.length).toBeGreaterThan(50);
    const [relationshipOf, toOf] = [relationshipPicker()(joined), entityPicker("other.")(joined)];
    expect(joined.rows.map((row) => ({ ...relationshipOf(row), to: toOf(row) }))).toEqual(relationships);
  });

  it("the row loaders read entities, sources and relation types as Prisma does", async () => {
    const loaders = createLoaders(graph.db);
    const [entities, sources, types] = await Promise.all([
      graph.db.prisma.entity.findMany({ orderBy: { id: "asc" }, take: 200 }),
      graph.db.prisma.source.findMany({ orderBy: { id: "asc" } }),
      graph.db.prisma.relationType.findMany({ orderBy: { key: "asc" } }),
    ]);
    expect(await loaders.entity.loadMany(entities.map((row) => row.id))).toEqual(entities);
    expect(await loaders.entityByKey.loadMany(entities.map((row) => row.key))).toEqual(entities);
    expect(await loaders.source.loadMany(sources.map((row) => row.id))).toEqual(sources);
    expect(await loaders.relationType.loadMany(types.map((row) => row.key))).toEqual(types);
    expect(await loaders.entityByKey.load("no-such-key")).toBeNull();
  });

  it("a prepared statement answers each time, beside other prepared statements", async () => {
    for (let round = 0; round < 3; round++) {
      const [one, two] = await Promise.all([
        graph.db.sql.query<{ n: number }>(
          Prisma.sql`SELECT count(*)::int AS n FROM "Entity" WHERE kind::text = ${"CITY"}`,
          { prepare: true },
        ),
        graph.db.sql.query<{ key: string }>(Prisma.sql`SELECT key FROM "Entity" WHERE key = ${"chongqing"}`, {
          prepare: true,
        }),
      ]);
      expect(one[0]!.n).toBeGreaterThan(250);
      expect(two).toEqual([{ key: "chongqing" }]);
    }
  });
});

describe("entity variants", () => {
  it.each(Object.entries(entityVariants))(
    "%s: the SQL condition and the row test pick the same entities",
    async (_type, variant) => {
      const all = await graph.db.prisma.entity.findMany({ orderBy: { id: "asc" } });
      const filtered = all.filter((entity) => variant.matches(entity)).map((entity) => entity.id);
      const bySql = await graph.db.sql.query<{ id: number }>(
        Prisma.sql`SELECT id FROM "Entity" WHERE ${variant.sql} ORDER BY id`,
      );
      expect(filtered.length).toBeGreaterThan(0);
      expect(bySql.map((row) => row.id)).toEqual(filtered);
    },
  );
});
