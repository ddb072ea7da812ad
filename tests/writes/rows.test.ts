// One row schema per table (src/writes/rows.ts): a mutation and a bundle import refuse the same bad
// row with the same message, on the same field, and what the generator writes (which it does not
// check row by row, for speed) passes the same schemas when read back as the history reads it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateGraph } from "../../src/data/generate/generate.js";
import { entityRecord } from "../../src/writes/records/entity.js";
import { observationRecord } from "../../src/writes/records/observation.js";
import { relationshipRecord } from "../../src/writes/records/relationship.js";
import { sourceRecord } from "../../src/writes/records/source.js";
import { checkRow, entityRow, observationRow, relationshipRow, sourceRow } from "../../src/writes/rows.js";
import { importPaths, rowCounts } from "../support/bundle.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { gid, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

// A sentence of a seeded article, so that the only thing wrong with each row is what the case breaks.
const reference = {
  source: "vat-refund-expansion",
  quote: "Chongqing has expanded a cross\u2011provincial \u201cimmediate\u201d VAT refund scheme",
  certainty: "STATED",
};

/** One bad row, as a mutation's input and as a bundle's record, and the field and message both must give. */
const cases = [
  {
    name: "a relationship that ends before it starts",
    field: "validTo",
    message: "validTo must not come before validFrom.",
    mutation: "createRelationship(input: $input)",
    inputType: "CreateRelationshipInput",
    input: {
      type: "PART_OF",
      from: gid("Province", "sichuan"),
      to: gid("Province", "gansu"),
      validFrom: "2020",
      validTo: "2019",
      source: gid("Source", reference.source),
      quote: reference.quote,
      certainty: reference.certainty,
    },
    record: {
      type: "relationship",
      relationType: "PART_OF",
      from: "sichuan",
      to: "gansu",
      validFrom: "2020",
      validTo: "2019",
      ...reference,
    },
  },
  {
    name: "a relationship from an entity to itself",
    field: "to",
    message: "A relationship must link two different entities.",
    mutation: "createRelationship(input: $input)",
    inputType: "CreateRelationshipInput",
    input: {
      type: "PART_OF",
      from: gid("Province", "sichuan"),
      to: gid("Province", "sichuan"),
      source: gid("Source", reference.source),
      quote: reference.quote,
      certainty: reference.certainty,
    },
    record: { type: "relationship", relationType: "PART_OF", from: "sichuan", to: "sichuan", ...reference },
  },
  {
    name: "a RANGE with one bound",
    field: "valueMax",
    message: "A RANGE needs both value and valueMax.",
    mutation: "createObservation(input: $input)",
    inputType: "CreateObservationInput",
    input: {
      entity: gid("Province", "sichuan"),
      indicator: gid("Indicator", "gdp"),
      period: "2019",
      value: 1,
      qualifier: "RANGE",
      source: gid("Source", reference.source),
      quote: reference.quote,
      certainty: reference.certainty,
    },
    record: {
      type: "observation",
      entity: "sichuan",
      indicator: "gdp",
      period: "2019",
      value: 1,
      qualifier: "RANGE",
      unit: "CNY",
      ...reference,
    },
  },
  {
    name: "a rank of 0",
    field: "rank",
    message: "A rank is a whole number from 1.",
    mutation: "createRankingEntry(input: $input)",
    inputType: "CreateRankingEntryInput",
    input: {
      ranking: gid("Ranking", "provincial-gdp-growth-2025"),
      entity: gid("Province", "sichuan"),
      rank: 0,
      quote: "Tibet led growth on the back of large infrastructure projects",
      certainty: "STATED",
    },
    record: {
      type: "rankingEntry",
      ranking: "provincial-gdp-growth-2025",
      entity: "sichuan",
      rank: 0,
      quote: "Tibet led growth on the back of large infrastructure projects",
      certainty: "STATED",
    },
  },
  {
    name: "policy details on a city",
    field: "policy",
    message: "Only entities of kind POLICY have policy details.",
    mutation: "createEntity(input: $input)",
    inputType: "CreateEntityInput",
    input: { key: "rows-test-city", kind: "CITY", name: "Rows Test City", policy: { policyType: "SUBSIDY" } },
    record: {
      type: "entity",
      key: "rows-test-city",
      kind: "CITY",
      name: "Rows Test City",
      policy: { policyType: "SUBSIDY" },
    },
  },
];

describe("one row schema for every writer", () => {
  it.each(cases)("$name: the same field and message from a mutation and an import", async (test) => {
    const token = await graph.token(["graph:write"]);
    const before = await rowCounts(graph.db.prisma);
    const refused = await mutate(
      graph,
      token,
      `mutation($input: ${test.inputType}!) { ${test.mutation} { ${resultFields} } }`,
      { input: test.input },
    );
    expect(refused.__typename).toBe("ValidationError");
    expect(refused.fieldErrors).toEqual([{ path: ["input", test.field], message: test.message }]);

    const file = join(mkdtempSync(join(tmpdir(), "rows-")), "bad.ndjson");
    writeFileSync(file, `${JSON.stringify(test.record)}\n`);
    const imported = await importPaths(graph.db.prisma, [file]);
    expect(imported.written).toBe(false);
    expect(imported.problems.map(({ field, reason }) => ({ field, reason }))).toEqual([
      { field: test.field, reason: test.message },
    ]);
    expect(await rowCounts(graph.db.prisma)).toEqual(before);
  });

  it("a sample of a generated graph passes the row schemas, read back as the history reads it", async () => {
    const seed = 913;
    await generateGraph(graph.db.prisma, { entities: 400, relationships: 1200, observations: 600, seed });
    const prisma = graph.db.prisma;
    const like = `gen-s${seed}-%`;
    // Every kind the generator writes (places, companies, brands, bodies, policies), a few rows of each.
    const sample = async (table: "Entity" | "Relationship" | "Observation") =>
      (
        await prisma.$queryRawUnsafe<{ key: string }[]>(
          `SELECT key FROM "${table}" WHERE key LIKE $1 AND id % 7 = 0 ORDER BY id LIMIT 150`,
          like,
        )
      ).map((row) => row.key);
    const entities = await entityRecord.readMany(prisma, await sample("Entity"));
    const relationships = await relationshipRecord.readMany(prisma, await sample("Relationship"));
    const observations = await observationRecord.readMany(prisma, await sample("Observation"));
    const source = (await sourceRecord.read(prisma, `generated-s${seed}`))!;
    expect(new Set([...entities.values()].map((entity) => entity.kind)).size).toBeGreaterThanOrEqual(5);
    expect([...entities.values()].some((entity) => entity.policy)).toBe(true);
    expect(relationships.size).toBeGreaterThan(100);
    expect(observations.size).toBeGreaterThan(50);
    checkRow(sourceRow, source);
    for (const entity of entities.values()) checkRow(entityRow, entity);
    for (const relationship of relationships.values()) checkRow(relationshipRow, relationship);
    for (const observation of observations.values()) checkRow(observationRow, observation);
  });
});
