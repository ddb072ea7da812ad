// The hand-written read path gives the rows Prisma's $queryRaw gives, on PGlite and on PostgreSQL:
// the resolvers were written against $queryRaw's types (Dates at UTC, BigInt, parsed JSON, arrays).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import { dialectUnderTest, startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

describe("SqlReader", () => {
  it("types every column as $queryRaw does", async () => {
    const statement = Prisma.sql`
      SELECT r.*, to_jsonb(e) AS entity, s."publishedOn", s."createdAt", count(*) OVER () AS total,
        ARRAY[r."fromId", r."toId"] AS ends, ${"text"}::text AS parameter
      FROM "Relationship" r JOIN "Entity" e ON e.id = r."fromId" JOIN "Source" s ON s.id = r."sourceId"
      WHERE r."validFrom" IS NOT NULL ORDER BY r.id LIMIT 5`;
    const [direct, viaPrisma] = await Promise.all([
      graph.db.sql.query<Record<string, unknown>>(statement),
      graph.db.prisma.$queryRaw<Record<string, unknown>[]>(statement),
    ]);
    expect(direct.length).toBeGreaterThan(0);
    expect(direct).toEqual(viaPrisma);
    expect(direct[0]!.validFrom).toBeInstanceOf(Date);
    expect(typeof direct[0]!.total).toBe("bigint");
  });

  it("gives the same values as arrays, in the order of its columns", async () => {
    const statement = Prisma.sql`SELECT r.*, e."createdAt" AS "entityCreatedAt" FROM "Relationship" r JOIN "Entity" e ON e.id = r."toId" ORDER BY r.id LIMIT 20`;
    const [objects, table] = await Promise.all([
      graph.db.sql.query<Record<string, unknown>>(statement),
      graph.db.sql.table(statement),
    ]);
    expect(table.rows).toHaveLength(20);
    expect(table.rows.map((row) => Object.fromEntries(table.columns.map((column, i) => [column, row[i]])))).toEqual(
      objects,
    );
  });

  it("reads timestamps of every precision as Prisma does", async () => {
    const statement = Prisma.sql`SELECT '2026-11-23 11:35:49'::timestamp AS whole, '2026-11-23 11:35:49.1'::timestamp AS tenth,
      '2026-11-23 11:35:49.05'::timestamp AS hundredth, '1999-12-31 23:59:59.999999'::timestamp AS micro, '2024-02-29 00:00:00.25'::timestamp AS leap`;
    const [direct, viaPrisma] = await Promise.all([
      graph.db.sql.query<Record<string, Date>>(statement),
      graph.db.prisma.$queryRaw<Record<string, Date>[]>(statement),
    ]);
    expect(direct).toEqual(viaPrisma);
    expect(direct[0]!.tenth!.toISOString()).toBe("2026-11-23T11:35:49.100Z");
    expect(direct[0]!.micro!.toISOString()).toBe("1999-12-31T23:59:59.999Z");
    // Before the year 100 (where Prisma's own reading on PGlite slips to 1950), the year as stored.
    const [ancient] = await graph.db.sql.query<{ at: Date }>(Prisma.sql`SELECT '0050-06-01 12:00:00'::timestamp AS at`);
    expect(ancient!.at.toISOString()).toBe("0050-06-01T12:00:00.000Z");
  });

  it("reads dates as midnight UTC, every day of four years and the unusual ones", async () => {
    const rows = await graph.db.sql.query<{ day: Date; text: string }>(
      Prisma.sql`SELECT d::date AS day, to_char(d, 'YYYY-MM-DD') AS text FROM generate_series('2023-01-01'::date, '2026-12-31'::date, '1 day') d`,
    );
    expect(rows).toHaveLength(1461);
    for (const { day, text } of rows) expect(day.toISOString()).toBe(`${text}T00:00:00.000Z`);
    const [unusual] = await graph.db.sql.query<Record<string, Date>>(
      Prisma.sql`SELECT '0050-06-01'::date AS ancient, '0100-01-01'::date AS hundred, '9999-12-31'::date AS last`,
    );
    expect(unusual!.ancient!.toISOString()).toBe("0050-06-01T00:00:00.000Z");
    expect(unusual!.hundred!.toISOString()).toBe("0100-01-01T00:00:00.000Z");
    expect(unusual!.last!.toISOString()).toBe("9999-12-31T00:00:00.000Z");
  });

  it("sends a Date parameter as its UTC instant and reads dates back at UTC", async () => {
    const day = new Date("2025-01-01T00:00:00Z");
    const statement = Prisma.sql`SELECT ${day}::date AS day, ${day}::timestamp AS at`;
    const [direct] = await graph.db.sql.query<{ day: Date; at: Date }>(statement);
    expect(direct!.day.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(direct!.at.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("is counted as a statement like Prisma's own", async () => {
    graph.resetStatements();
    await graph.db.sql.query(Prisma.sql`SELECT 1`);
    expect(graph.statements).toEqual(["SELECT 1"]);
  });

  // On PostgreSQL a prepared read keeps one generic plan instead of being planned again on every
  // execution, and is never JIT-compiled (a generic plan's cost on a large graph would ask for it on
  // every execution); Prisma's statements and unprepared reads, whose plans follow their values, keep
  // the server's settings.
  it.runIf(dialectUnderTest === "postgres")(
    "plans prepared reads once and compiles none, and only those (PostgreSQL only: PGlite has no pool of prepared connections)",
    async () => {
      const server = await graph.db.prisma.$queryRaw<{ jit: string }[]>`SELECT current_setting('jit') AS jit`;
      const mode = Prisma.sql`SELECT current_setting('plan_cache_mode') AS mode, current_setting('jit') AS jit, ${1}::int AS n`;
      expect(await graph.db.sql.query(mode, { prepare: true })).toEqual([
        { mode: "force_generic_plan", jit: "off", n: 1 },
      ]);
      expect(await graph.db.sql.query(mode)).toEqual([{ mode: "auto", jit: server[0]!.jit, n: 1 }]);
      expect(await graph.db.prisma.$queryRaw`SELECT current_setting('plan_cache_mode') AS mode`).toEqual([
        { mode: "auto" },
      ]);
    },
  );
});
