// The synthetic graph generator (npm run graph -- generate): exact sizes, batched loading, power-law
// shape, sensible relationship types, determinism, reuse, and generated entities served by the API.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { command, parseGenerateArgs } from "../../../src/cli/graph-generate.js";
import { generateGraph, type GenerateResult } from "../../../src/data/generate/generate.js";
import { GeneratedGraphConflictError, GenerateOptionsError, UsageError } from "../../../src/errors.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

const sizes = { entities: 2000, relationships: 10_000, observations: 3000, seed: 7 };
const writes = /^\s*(INSERT|UPDATE|DELETE|ALTER|CREATE|DROP|TRUNCATE)\b/i;
/** Tests that migrate a database of their own and generate into it more than once (70 s on a busy 2-core machine). */
const twoGenerations = 240_000;

type Counts = Record<"entities" | "aliases" | "relationships" | "observations" | "policies" | "sources", number>;

async function counts(graph: TestGraph): Promise<Counts> {
  const [row] = await graph.db.prisma.$queryRaw<Counts[]>`
    SELECT (SELECT count(*) FROM "Entity")::int AS entities, (SELECT count(*) FROM "Alias")::int AS aliases,
      (SELECT count(*) FROM "Relationship")::int AS relationships, (SELECT count(*) FROM "Observation")::int AS observations,
      (SELECT count(*) FROM "PolicyDetail")::int AS policies, (SELECT count(*) FROM "Source")::int AS sources`;
  return row!;
}

/** A hash of a generated graph's rows in key order, with the seed taken out of the keys. */
async function fingerprint(graph: TestGraph, seed: number): Promise<string> {
  const prefix = `gen-s${seed}-`;
  const like = `${prefix}%`;
  const prisma = graph.db.prisma;
  const entities = await prisma.$queryRaw<unknown[]>`
    SELECT key, kind::text, name FROM "Entity" WHERE key LIKE ${like} ORDER BY key`;
  const relationships = await prisma.$queryRaw<unknown[]>`
    SELECT r.key, f.key AS "from", t.key AS "to", r."typeKey", r."validFrom"::text, r."validTo"::text, r.properties::text
    FROM "Relationship" r JOIN "Entity" f ON f.id = r."fromId" JOIN "Entity" t ON t.id = r."toId"
    WHERE r.key LIKE ${like} ORDER BY r.key`;
  const observations = await prisma.$queryRaw<unknown[]>`
    SELECT o.key, e.key AS entity, i.key AS indicator, o.period, o.value FROM "Observation" o
    JOIN "Entity" e ON e.id = o."entityId" JOIN "Indicator" i ON i.id = o."indicatorId"
    WHERE o.key LIKE ${like} ORDER BY o.key`;
  expect(relationships).toHaveLength(sizes.relationships);
  const text = JSON.stringify([entities, relationships, observations]).replaceAll(prefix, "gen-");
  return createHash("sha256").update(text).digest("hex");
}

describe("npm run graph -- generate", () => {
  let graph: TestGraph;
  let before: Counts;
  let result: GenerateResult;
  let loadStatements: string[];

  beforeAll(async () => {
    graph = await startTestGraph();
    before = await counts(graph);
    graph.resetStatements();
    result = await generateGraph(graph.db.prisma, sizes);
    loadStatements = [...graph.statements];
  });
  afterAll(async () => {
    await graph?.close();
  });

  it("adds exactly the rows asked for", async () => {
    const after = await counts(graph);
    expect(result.status).toBe("created");
    expect(after.entities - before.entities).toBe(2000);
    expect(after.aliases - before.aliases).toBe(2000);
    expect(after.relationships - before.relationships).toBe(10_000);
    expect(after.observations - before.observations).toBe(3000);
    expect(after.sources - before.sources).toBe(1);
    expect(after.policies - before.policies).toBeGreaterThan(0);
    expect(Object.fromEntries(result.tables.map((t) => [t.table, t.rows]))).toMatchObject({
      entities: 2000,
      aliases: 2000,
      relationships: 10_000,
      observations: 3000,
    });
  });

  it("loads in batches: a few dozen statements for 17,000 rows", () => {
    const inserts = loadStatements.filter((sql) => /^\s*INSERT/i.test(sql));
    expect(inserts.length).toBeGreaterThan(0);
    expect(loadStatements.length).toBeLessThan(40);
  });

  it("has power-law degrees: a few hubs with very many edges, most entities with few", async () => {
    const degrees = (
      await graph.db.prisma.$queryRaw<{ degree: number }[]>`
        SELECT ((SELECT count(*) FROM "Relationship" r WHERE r."fromId" = e.id)
              + (SELECT count(*) FROM "Relationship" r WHERE r."toId" = e.id))::int AS degree
        FROM "Entity" e WHERE e.key LIKE 'gen-s7-%' ORDER BY degree`
    ).map((row) => row.degree);
    const median = degrees[Math.floor(degrees.length / 2)]!;
    const max = degrees[degrees.length - 1]!;
    expect(median).toBeGreaterThan(0);
    expect(median).toBeLessThanOrEqual(10);
    expect(max).toBeGreaterThan(20 * median);
    // The top 1% of entities hold a large share of all edge ends.
    const top = degrees.slice(-Math.ceil(degrees.length / 100)).reduce((a, b) => a + b, 0);
    expect(top / degrees.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.15);
  });

  it("uses many relationship types, each between kinds it makes sense for", async () => {
    const combos = await graph.db.prisma.$queryRaw<{ type: string; from: string; to: string; n: number }[]>`
      SELECT r."typeKey" AS type, f.kind::text AS "from", t.kind::text AS "to", count(*)::int AS n
      FROM "Relationship" r JOIN "Entity" f ON f.id = r."fromId" JOIN "Entity" t ON t.id = r."toId"
      WHERE r.key LIKE 'gen-s7-%' GROUP BY 1, 2, 3`;
    const place = ["PROVINCE", "CITY", "DISTRICT"];
    const allowed: Record<string, [string[], string[]][]> = {
      LOCATED_IN: [
        [["CITY"], ["PROVINCE"]],
        [["DISTRICT"], ["CITY"]],
      ],
      HEADQUARTERED_IN: [[["COMPANY"], ["CITY"]]],
      BRAND_OF: [[["BRAND"], ["COMPANY"]]],
      GOVERNMENT_BODY_OF: [[["ORGANIZATION"], place]],
      ISSUED_BY: [[["POLICY"], ["ORGANIZATION"]]],
      APPLIES_TO: [[["POLICY"], place]],
      PARTICIPATES_IN: [[[...place, "ORGANIZATION"], ["POLICY"]]],
      BASED_IN: [[["COMPANY", "BRAND"], place]],
      DEVELOPED_WITH: [[["BRAND"], ["COMPANY"]]],
      UNDERPINS: [[["COMPANY"], place]],
      FUNDED_BY: [[["POLICY"], ["ORGANIZATION"]]],
      ALIGNED_WITH: [[["POLICY"], ["POLICY"]]],
      PLANS: [[["POLICY"], ["DISTRICT"]]],
      TWIN_CITY_OF: [[["CITY"], ["CITY"]]],
      OVERTOOK: [[["CITY"], ["CITY"]]],
      VAT_REFUND_PARTNER: [[["PROVINCE"], ["PROVINCE"]]],
    };
    for (const { type, from, to } of combos) {
      expect(
        allowed[type]?.some(([f, t]) => f.includes(from) && t.includes(to)),
        `${type} ${from} -> ${to}`,
      ).toBe(true);
    }
    const types = new Set(combos.map((c) => c.type));
    expect(types.size).toBeGreaterThanOrEqual(12);
    for (const type of [
      "LOCATED_IN",
      "HEADQUARTERED_IN",
      "BRAND_OF",
      "ISSUED_BY",
      "APPLIES_TO",
      "PARTICIPATES_IN",
      "TWIN_CITY_OF",
    ]) {
      expect(types).toContain(type);
    }
    const [selfLoops] = await graph.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Relationship" WHERE key LIKE 'gen-s7-%' AND "fromId" = "toId"`;
    expect(selfLoops!.n).toBe(0);
  });

  it("dates relationships and observes indicators over many years and quarters, with provenance", async () => {
    const [dates] = await graph.db.prisma.$queryRaw<
      { dated: number; ended: number; backwards: number; precisions: number }[]
    >`
      SELECT count(*) FILTER (WHERE "validFrom" IS NOT NULL)::int AS dated, count(*) FILTER (WHERE "validTo" IS NOT NULL)::int AS ended,
        count(*) FILTER (WHERE "validTo" <= "validFrom" OR ("validTo" IS NOT NULL AND "validFrom" IS NULL))::int AS backwards,
        count(DISTINCT "validFromPrecision")::int AS precisions
      FROM "Relationship" WHERE key LIKE 'gen-s7-%'`;
    expect(dates!.dated).toBeGreaterThan(5000);
    expect(dates!.ended).toBeGreaterThan(100);
    expect(dates!.backwards).toBe(0);
    expect(dates!.precisions).toBe(3);

    const series = await graph.db.prisma.$queryRaw<
      { indicator: string; n: number; years: number; periods: number; duplicates: number }[]
    >`
      SELECT i.key AS indicator, count(*)::int AS n, count(DISTINCT left(o.period, 4))::int AS years, count(DISTINCT o.period)::int AS periods,
        (count(*) - count(DISTINCT (o."entityId", o.period)))::int AS duplicates
      FROM "Observation" o JOIN "Indicator" i ON i.id = o."indicatorId" WHERE o.key LIKE 'gen-s7-%' GROUP BY 1`;
    const byKey = new Map(series.map((s) => [s.indicator, s]));
    expect(byKey.get("gdp")?.years).toBeGreaterThanOrEqual(20);
    expect(byKey.get("gdp-growth")?.n).toBeGreaterThan(0);
    expect(byKey.get("gen-retail-sales-growth")?.periods).toBeGreaterThan(byKey.get("gen-retail-sales-growth")!.years);
    for (const s of series) expect(s.duplicates, s.indicator).toBe(0);

    const source = await graph.db.prisma.source.findUniqueOrThrow({
      where: { key: "generated-s7" },
      include: { _count: { select: { relationships: true, observations: true } } },
    });
    expect(source.kind).toBe("REFERENCE");
    expect(source.title).toMatch(/Synthetic/);
    expect(source.title).toContain("2,000 entities");
    expect(source._count).toEqual({ relationships: 10_000, observations: 3000 });
  });

  it(
    "is deterministic: the same seed gives the same graph in another database, another seed a different one",
    async () => {
      // An unseeded database: other ids, and the generator brings its own relation types and indicators.
      const other = await startTestGraph({ seed: false });
      try {
        await generateGraph(other.db.prisma, sizes);
        expect(await fingerprint(other, 7)).toBe(await fingerprint(graph, 7));
        // A second seed lives next to the first (its own keys and source) and differs from it.
        await generateGraph(other.db.prisma, { ...sizes, seed: 8 });
        expect(await fingerprint(other, 8)).not.toBe(await fingerprint(graph, 7));
        expect((await counts(other)).entities).toBe(4000);
      } finally {
        await other.close();
      }
    },
    twoGenerations,
  );

  it(
    "resumes an interrupted generation where it stopped, giving the same graph as one run",
    async () => {
      const other = await startTestGraph({ seed: false });
      const interruption = new Error("interrupted");
      const generated = async () => {
        const [row] = await other.db.prisma.$queryRaw<{ aliases: number; policies: number; relationships: number }[]>`
        SELECT (SELECT count(*) FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId" WHERE e.key LIKE 'gen-s7-%')::int AS aliases,
          (SELECT count(*) FROM "PolicyDetail" p JOIN "Entity" e ON e.id = p."entityId" WHERE e.key LIKE 'gen-s7-%')::int AS policies,
          (SELECT count(*) FROM "Relationship" WHERE key LIKE 'gen-s7-%')::int AS relationships`;
        return row!;
      };
      try {
        // Stopped once the entities are in, as the other tables start (a Ctrl-C between tables) ...
        await expect(
          generateGraph(other.db.prisma, sizes, (event) => {
            if (event.table !== "entities") throw interruption;
          }),
        ).rejects.toBe(interruption);
        expect((await counts(other)).entities).toBe(2000);
        expect(await generated()).toEqual({ aliases: 0, policies: 0, relationships: 0 });
        // ... a half-written graph is neither reused nor taken for another one ...
        const source = await other.db.prisma.source.findUniqueOrThrow({ where: { key: "generated-s7" } });
        expect(source.summary).toMatch(/ incomplete$/);
        // ... then again in the middle of a table, after 4 batches of relationships.
        await expect(
          generateGraph(other.db.prisma, { ...sizes, batchSize: 1000 }, (event) => {
            if (event.table === "relationships" && event.done === 4000) throw interruption;
          }),
        ).rejects.toBe(interruption);
        expect((await generated()).relationships).toBe(4000);

        const resumed = await generateGraph(other.db.prisma, sizes);
        expect(resumed.status).toBe("resumed");
        // Only the rows still missing were written.
        expect(Object.fromEntries(resumed.tables.map((t) => [t.table, t.rows]))).toMatchObject({
          entities: 0,
          relationships: 6000,
        });
        expect(await fingerprint(other, 7)).toBe(await fingerprint(graph, 7));
        const [inFirst] = await graph.db.prisma.$queryRaw<{ aliases: number; policies: number }[]>`
        SELECT (SELECT count(*) FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId" WHERE e.key LIKE 'gen-s7-%')::int AS aliases,
          (SELECT count(*) FROM "PolicyDetail" p JOIN "Entity" e ON e.id = p."entityId" WHERE e.key LIKE 'gen-s7-%')::int AS policies`;
        expect(await generated()).toEqual({ ...inFirst, relationships: 10_000 });
        expect((await counts(other)).entities).toBe(2000);
        expect((await generateGraph(other.db.prisma, sizes)).status).toBe("reused");
      } finally {
        await other.close();
      }
    },
    twoGenerations,
  );

  it("a second run with the same parameters changes nothing", async () => {
    const was = await counts(graph);
    graph.resetStatements();
    const again = await generateGraph(graph.db.prisma, sizes);
    expect(again.status).toBe("reused");
    expect(graph.statements.filter((sql) => writes.test(sql))).toEqual([]);
    expect(await counts(graph)).toEqual(was);

    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const code = await command.run(graph.db, [
        "--entities",
        "2000",
        "--relationships",
        "10_000",
        "--observations",
        "3000",
        "--seed",
        "7",
      ]);
      expect(code).toBe(0);
      expect(log.mock.calls.flat().join("\n")).toMatch(/already in the database; nothing written/);
    } finally {
      log.mockRestore();
    }
  });

  it("refuses other parameters for a seed already used, and replaces the graph when asked", async () => {
    const small = { entities: 300, relationships: 1000, observations: 200, seed: 9 };
    await generateGraph(graph.db.prisma, small);
    const was = await counts(graph);
    await expect(generateGraph(graph.db.prisma, { ...small, entities: 400 })).rejects.toThrow(
      GeneratedGraphConflictError,
    );
    await expect(generateGraph(graph.db.prisma, { ...small, entities: 400 })).rejects.toThrow(/seed 9 .*--replace/);
    expect(await counts(graph)).toEqual(was);

    const replaced = await generateGraph(graph.db.prisma, { ...small, entities: 400, replace: true });
    expect(replaced.status).toBe("replaced");
    const after = await counts(graph);
    expect(after.entities - was.entities).toBe(100);
    expect(after.relationships).toBe(was.relationships);
    const [kept] = await graph.db.prisma.$queryRaw<{ s7: number; s9: number }[]>`
      SELECT count(*) FILTER (WHERE key LIKE 'gen-s7-%')::int AS s7, count(*) FILTER (WHERE key LIKE 'gen-s9-%')::int AS s9 FROM "Entity"`;
    expect(kept).toEqual({ s7: 2000, s9: 400 });
    const source = await graph.db.prisma.source.findUniqueOrThrow({ where: { key: "generated-s9" } });
    expect(source.summary).toContain("entities=400");
  });

  it("rejects bad arguments with clear messages and exit code 2", async () => {
    const bad: [string[], RegExp][] = [
      [["--entities", "0"], /--entities must be a whole number from 1/],
      [["--entities", "ten"], /--entities must be a whole number, got "ten"/],
      [["--entities", "2.5"], /--entities must be a whole number/],
      [["--entities", "99999999"], /--entities must be a whole number from 1 to 1,000,000/],
      [["--entities", "1", "--relationships", "5"], /needs at least 2 entities/],
      [["--entities", "10", "--relationships", "1000"], /at most 50 x --entities/],
      [
        ["--entities", "1000000", "--relationships", "10000001"],
        /--relationships must be a whole number from 0 to 10,000,000/,
      ],
      [["--entities", "10", "--observations", "100000"], /--observations may be at most/],
      [["--seed", "-1"], /seed/],
      [["--entities", "10", "--colour", "red"], /Unknown option '--colour'/],
      [["extra"], /positional/],
    ];
    for (const [argv, message] of bad) expect(() => parseGenerateArgs(argv), argv.join(" ")).toThrow(message);
    expect(() => parseGenerateArgs(["--entities", "0"])).toThrow(UsageError);
    expect(parseGenerateArgs(["--entities", "1,000", "--seed", "3"])).toMatchObject({
      entities: 1000,
      relationships: 10_000,
      observations: 10_000,
      seed: 3,
    });
    await expect(generateGraph(graph.db.prisma, { ...sizes, relationships: -1 })).rejects.toThrow(GenerateOptionsError);

    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      graph.resetStatements();
      expect(await command.run(graph.db, ["--entities", "0"])).toBe(2);
      expect(error.mock.calls.flat().join("\n")).toMatch(
        /--entities must be a whole number[\s\S]*Usage: npm run graph -- generate/,
      );
      expect(graph.statements).toEqual([]);
    } finally {
      error.mockRestore();
    }
  });

  it("serves generated entities through the GraphQL API: by name, by key and in search", async () => {
    const [hub] = await graph.db.prisma.$queryRaw<{ key: string; name: string }[]>`
      SELECT e.key, e.name FROM "Entity" e JOIN "Relationship" r ON r."toId" = e.id
      WHERE e.key LIKE 'gen-s7-city-%' GROUP BY e.id ORDER BY count(*) DESC, e.key LIMIT 1`;
    const response = await graph.query<{
      byName: { name: string; province: { name: string } | null; relationships: { totalCount: number } };
      byLowerCase: { name: string };
      byKey: { name: string };
      search: { edges: { node: { score: number; entity: { name: string } } }[] };
    }>(
      `query($name: String!, $lower: String!, $key: String!) {
        byName: city(name: $name) { name province { name } relationships(first: 5) { totalCount } }
        byLowerCase: entity(name: $lower) { name }
        byKey: entity(name: $key) { name }
        search(query: $name, first: 3) { edges { node { score entity { name } } } }
      }`,
      { name: hub!.name, lower: hub!.name.toLowerCase(), key: hub!.key },
    );
    expect(response.errors).toBeUndefined();
    const data = response.data!;
    expect(data.byName.name).toBe(hub!.name);
    expect(data.byName.province?.name).toMatch(/ Province$/);
    expect(data.byName.relationships.totalCount).toBeGreaterThan(20);
    expect(data.byLowerCase.name).toBe(hub!.name);
    expect(data.byKey.name).toBe(hub!.name);
    expect(data.search.edges[0]!.node).toEqual({ score: 1, entity: { name: hub!.name } });
  });
});
