// Dates that claim only what the source says. Chongqing's expansion of the VAT refund scheme to
// Yunnan, Shaanxi and Gansu has no date in its article, only "following a 2025 agreement with
// Sichuan": its start is NOT_BEFORE 2025, so asOf does not show it as certain on 2025-01-01, and
// includePossible does. The bound travels through the API, bundles and exports, and bad values are
// refused with a typed error.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../src/data/bundle/problems.js";
import { exportText, importPaths, rowCounts } from "../support/bundle.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { expectRefused, gid, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const expansion = ["gansu", "shaanxi", "yunnan"];

async function partners(args: string): Promise<{ key: string; since: string | null; sinceBound: string }[]> {
  const response = await graph.query(
    `{ city(name: "Chongqing") { vatRefundPartners${args} { partner { key } since sinceBound } } }`,
  );
  expect(response.errors, JSON.stringify(response)).toBeUndefined();
  return response
    .data!.city.vatRefundPartners.map((link: any) => ({
      key: link.partner.key,
      since: link.since,
      sinceBound: link.sinceBound,
    }))
    .sort((a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key));
}

const keys = (links: { key: string }[]) => links.map((link) => link.key);

/** Imports NDJSON lines into the test graph and returns what the import said. */
async function importLines(records: Record<string, unknown>[]) {
  const file = join(mkdtempSync(join(tmpdir(), "date-bounds-")), "bounds.ndjson");
  writeFileSync(file, records.map((record) => JSON.stringify(record)).join("\n"));
  return importPaths(graph.db.prisma, [file]);
}

describe("the VAT refund expansion: a start not before 2025", () => {
  it("carries its bound: Sichuan's 2025 is EXACT, the expansion's 2025 NOT_BEFORE", async () => {
    expect(await partners("")).toEqual([
      { key: "gansu", since: "2025", sinceBound: "NOT_BEFORE" },
      { key: "shaanxi", since: "2025", sinceBound: "NOT_BEFORE" },
      { key: "sichuan", since: "2025", sinceBound: "EXACT" },
      { key: "yunnan", since: "2025", sinceBound: "NOT_BEFORE" },
    ]);
  });

  it("asOf 2025-01-01 shows Sichuan alone as certain, and the expansion with includePossible", async () => {
    expect(keys(await partners(`(asOf: "2025-01-01")`))).toEqual(["sichuan"]);
    expect(keys(await partners(`(asOf: "2025-01-01", includePossible: true)`))).toEqual([
      "gansu",
      "shaanxi",
      "sichuan",
      "yunnan",
    ]);
    expect(await partners(`(asOf: "2024-12-31", includePossible: true)`)).toEqual([]);
  });

  it("stays possible, never certain, while its article carries no date", async () => {
    expect(keys(await partners(`(asOf: "2030-01-01")`))).toEqual(["sichuan"]);
    const { data } = await graph.query(`{ city(name: "Chongqing") {
      certain: relationships(type: "VAT_REFUND_PARTNER", asOf: "2030-01-01") { totalCount }
      possible: relationships(type: "VAT_REFUND_PARTNER", asOf: "2030-01-01", includePossible: true) {
        totalCount edges { node { validFrom validFromBound certainty } other { key } } } } }`);
    expect(data!.city.certain.totalCount).toBe(1);
    expect(data!.city.possible.totalCount).toBe(4);
    const yunnan = data!.city.possible.edges.find((edge: any) => edge.other.key === "yunnan");
    expect(yunnan.node).toEqual({ validFrom: "2025", validFromBound: "NOT_BEFORE", certainty: "INFERRED" });
  });

  it("is certain from its article's date once the article has one", async () => {
    await graph.db.prisma.source.update({
      where: { key: "vat-refund-expansion" },
      data: { publishedOn: new Date("2025-09-01T00:00:00Z"), publishedPrecision: "MONTH" },
    });
    try {
      // The article's month must have passed: published some day of September 2025.
      expect(keys(await partners(`(asOf: "2025-09-15")`))).toEqual(["sichuan"]);
      expect(keys(await partners(`(asOf: "2025-09-30")`))).toEqual(["gansu", "shaanxi", "sichuan", "yunnan"]);
      const { data } = await graph.query(
        `query($id: ID!) {
        early: neighborhood(id: $id, types: ["VAT_REFUND_PARTNER"], asOf: "2025-03") { edges { target } }
        late: neighborhood(id: $id, types: ["VAT_REFUND_PARTNER"], asOf: "2025-10") { edges { target } }
        possible: neighborhood(id: $id, types: ["VAT_REFUND_PARTNER"], asOf: "2025-03", includePossible: true) { edges { target } } }`,
        { id: gid("City", "chongqing") },
      );
      expect(data!.early.edges).toHaveLength(1);
      expect(data!.late.edges).toHaveLength(4);
      expect(data!.possible.edges).toHaveLength(4);
    } finally {
      await graph.db.prisma.source.update({
        where: { key: "vat-refund-expansion" },
        data: { publishedOn: null, publishedPrecision: null },
      });
    }
  });
});

describe("a start not after a date", () => {
  it("is possible before its period ends and certain once it has", async () => {
    const result = await importLines([
      {
        type: "source",
        key: "bounds-fixture",
        kind: "ARTICLE",
        title: "Bounds fixture",
        body: "By June 2025 Chongqing had joined Guizhou in the scheme.",
      },
      {
        type: "relationship",
        relationType: "VAT_REFUND_PARTNER",
        from: "chongqing",
        to: "guizhou",
        validFrom: "2025-06",
        validFromBound: "NOT_AFTER",
        source: "bounds-fixture",
        quote: "By June 2025 Chongqing had joined Guizhou in the scheme.",
        certainty: "STATED",
      },
    ]);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(keys(await partners(`(asOf: "2025-06-15")`))).not.toContain("guizhou");
    expect(keys(await partners(`(asOf: "2025-06-30")`))).toContain("guizhou");
    expect(keys(await partners(`(asOf: "2020-01-01", includePossible: true)`))).toEqual(["guizhou"]);
    const bundle = (await exportText(graph.db.prisma)).text;
    expect(bundle).toContain('"to":"guizhou","validFrom":"2025-06","validFromBound":"NOT_AFTER"');
  });
});

describe("a population of no stated year: NOT_AFTER the day its gazetteer row was modified", () => {
  const population = async (args: string) => {
    const response = await graph.query(
      `{ city(name: "Chongqing") { observations(indicator: "population"${args}) { period periodBound value unit quote source { key } } } }`,
    );
    expect(response.errors, JSON.stringify(response)).toBeUndefined();
    return response.data!.city.observations;
  };

  it("Chongqing's population is GeoNames's figure, NOT_AFTER its row's modification day, the row quoted", async () => {
    expect(await population("")).toEqual([
      {
        period: "2022-01-04",
        periodBound: "NOT_AFTER",
        value: 7457599,
        unit: "people",
        quote: expect.stringMatching(
          /^Chongqing \(geonameid 1814906, PPLA, CN.*population 7457599, modified 2022-01-04$/,
        ),
        source: { key: "geonames-cities500" },
      },
    ]);
  });

  it("from and to take it only where it certainly lies, and includePossible where it may", async () => {
    // Its real period may be any before 2022-01-04: it never certainly ends on or after a date.
    expect(await population(`, from: "2020"`)).toEqual([]);
    expect(await population(`, from: "2020", includePossible: true`)).toHaveLength(1);
    expect(await population(`, from: "2023", includePossible: true`)).toEqual([]);
    // It certainly started by a date once its bound has passed, and may have before.
    expect(await population(`, to: "2022"`)).toEqual([]);
    expect(await population(`, to: "2022-02"`)).toHaveLength(1);
    expect(await population(`, to: "2000", includePossible: true`)).toHaveLength(1);
  });

  it("has no year to be grouped by, and is not the value of the day it is bounded by", async () => {
    const response = await graph.query(
      `query($ids: [ID!]!) {
        byYear: observationStats(indicator: "population", groupBy: YEAR) { key count }
        byEntity: observationStats(indicator: "population", groupBy: ENTITY, to: "2023") { key count }
        asked: compare(indicator: "population", entities: $ids, period: "2022-01-04") { value period }
        latest: compare(indicator: "population", entities: $ids) { value period observation { periodBound } }
      }`,
      { ids: [gid("City", "chongqing")] },
    );
    expect(response.errors, JSON.stringify(response)).toBeUndefined();
    expect(response.data!.byYear).toEqual([]);
    expect(response.data!.byEntity).toContainEqual({ key: "chongqing", count: 1 });
    expect(response.data!.asked).toEqual([{ value: null, period: null }]);
    expect(response.data!.latest).toEqual([
      { value: 7457599, period: "2022-01-04", observation: { periodBound: "NOT_AFTER" } },
    ]);
  });

  it("is set and cleared by mutations: EXACT when absent, NOT_AFTER when given, EXACT again when cleared", async () => {
    const token = await graph.token(["graph:write"]);
    const fields = `${resultFields} ... on CreateObservationSuccess { observation { id period periodBound } }`;
    const create = async (values: Record<string, unknown>) => {
      const result = await mutate(
        graph,
        token,
        `mutation($input: CreateObservationInput!) { createObservation(input: $input) { ${fields} } }`,
        {
          input: {
            entity: gid("City", "chengdu"),
            indicator: gid("Indicator", "population"),
            value: 1000,
            source: gid("Source", "geonames-cities500"),
            quote: "Chengdu (geonameid 1815286)",
            certainty: "STATED",
            ...values,
          },
        },
      );
      expect(result.__typename, JSON.stringify(result)).toBe("CreateObservationSuccess");
      return result;
    };
    expect((await create({ period: "2019" })).observation).toMatchObject({ period: "2019", periodBound: "EXACT" });
    const bounded = (await create({ period: "2020-05-01", periodBound: "NOT_AFTER" })).observation;
    expect(bounded).toMatchObject({ period: "2020-05-01", periodBound: "NOT_AFTER" });
    const cleared = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateObservation(id: $id, input: { periodBound: null }) { ${resultFields} ... on UpdateObservationSuccess { observation { periodBound } } } }`,
      { id: bounded.id },
    );
    expect(cleared.observation).toEqual({ periodBound: "EXACT" });
  });
});

describe("exports and bundles carry the bound", () => {
  it("NDJSON, GraphML and Cytoscape write it where it is one, and nowhere else", async () => {
    const ndjson = (await exportText(graph.db.prisma)).text.split("\n");
    const bounded = ndjson.filter((line) => line.includes('"validFromBound"'));
    expect(bounded.filter((line) => line.includes("VAT_REFUND_PARTNER:chongqing"))).toHaveLength(0);
    for (const province of expansion)
      expect(bounded.some((line) => line.includes(`"to":"${province}"`) && line.includes('"NOT_BEFORE"'))).toBe(true);
    expect(bounded.some((line) => line.includes('"to":"sichuan"'))).toBe(false);

    const graphml = (await exportText(graph.db.prisma, "graphml")).text;
    expect(graphml).toContain('attr.name="validFromBound"');
    expect(graphml.match(/<data key="e_validFromBound">NOT_BEFORE<\/data>/g)).toHaveLength(3);

    const cytoscape = JSON.parse((await exportText(graph.db.prisma, "cytoscape")).text);
    const edges = cytoscape.elements.edges.filter((edge: any) => edge.data.validFromBound === "NOT_BEFORE");
    expect(edges.map((edge: any) => edge.data.target).sort()).toEqual(expansion);
  });

  it("round-trips through an export and an import into an empty database", async () => {
    const empty = await startTestGraph({ seed: false });
    try {
      const file = join(mkdtempSync(join(tmpdir(), "date-bounds-")), "graph.ndjson");
      const first = (await exportText(graph.db.prisma)).text;
      writeFileSync(file, first);
      const imported = await importPaths(empty.db.prisma, [file]);
      expect(imported.problems.map(formatProblem)).toEqual([]);
      const { data } = await empty.query(
        `{ city(name: "Chongqing") { vatRefundPartners { partner { key } sinceBound } } }`,
      );
      const bounds = Object.fromEntries(
        data!.city.vatRefundPartners.map((link: any) => [link.partner.key, link.sinceBound]),
      );
      expect(bounds).toMatchObject({
        sichuan: "EXACT",
        yunnan: "NOT_BEFORE",
        shaanxi: "NOT_BEFORE",
        gansu: "NOT_BEFORE",
      });
      const population = await empty.query(
        `{ city(name: "Chongqing") { observations(indicator: "population") { period periodBound } } }`,
      );
      expect(population.data!.city.observations).toEqual([{ period: "2022-01-04", periodBound: "NOT_AFTER" }]);
      expect(first).toContain('"period":"2022-01-04","periodBound":"NOT_AFTER"');
      expect((await exportText(empty.db.prisma)).text).toBe(first);
    } finally {
      await empty.close();
    }
  });
});

describe("bad bounds", () => {
  const row = {
    type: "relationship",
    relationType: "VAT_REFUND_PARTNER",
    from: "chongqing",
    to: "hunan",
    source: "vat-refund-expansion",
    quote: "following a 2025 agreement with Sichuan",
    certainty: "INFERRED",
  };

  it("a bundle's unknown bound, or a bound with no date, is refused on validFromBound and nothing is written", async () => {
    const before = await rowCounts(graph.db.prisma);
    const unknown = await importLines([{ ...row, validFrom: "2025", validFromBound: "SOMETIME" }]);
    expect(unknown.written).toBe(false);
    expect(unknown.problems.map(formatProblem)).toEqual([expect.stringMatching(/validFromBound: .*NOT_BEFORE/)]);
    const dateless = await importLines([{ ...row, validFromBound: "NOT_BEFORE" }]);
    expect(dateless.written).toBe(false);
    expect(dateless.problems.map(formatProblem)).toEqual([
      expect.stringContaining("validFromBound: NOT_BEFORE bounds validFrom, which is not given."),
    ]);
    expect(await rowCounts(graph.db.prisma)).toEqual(before);
  });

  it("a mutation's bound with no date is a ValidationError on input.validFromBound", async () => {
    const token = await graph.token(["graph:write"]);
    const input = {
      type: "VAT_REFUND_PARTNER",
      from: gid("City", "chongqing"),
      to: gid("Province", "hunan"),
      source: gid("Source", "vat-refund-expansion"),
      quote: "following a 2025 agreement with Sichuan",
      certainty: "INFERRED",
      validFromBound: "NOT_BEFORE",
    };
    const create = (values: Record<string, unknown>) =>
      mutate(
        graph,
        token,
        `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} ... on CreateRelationshipSuccess { relationship { validFrom validFromBound } } } }`,
        { input: { ...input, ...values } },
      );
    const refused = await expectRefused(graph, () => create({}), "ValidationError", [["input", "validFromBound"]]);
    expect(refused.message).toMatch(/NOT_BEFORE bounds validFrom/);
    const created = await create({ validFrom: "2025" });
    expect(created.relationship).toEqual({ validFrom: "2025", validFromBound: "NOT_BEFORE" });
  });

  it("an unknown bound or a non-boolean includePossible in the API is BAD_USER_INPUT", async () => {
    const variable = await graph.query(
      `query($possible: Boolean) { city(name: "Chongqing") { vatRefundPartners(asOf: "2025", includePossible: $possible) { since } } }`,
      { possible: "maybe" },
    );
    expect(variable.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const token = await graph.token(["graph:write"]);
    const response = await graph.query(
      `mutation($bound: DateBound) { createRelationship(input: { type: "VAT_REFUND_PARTNER", from: "x", to: "y", source: "z", quote: "q", certainty: STATED, validFromBound: $bound }) { __typename } }`,
      { bound: "SOMETIME" },
      { token },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
