// Importing bundles into the seeded graph: every format lands and shows through the GraphQL API, a
// second import changes nothing, keyless rows find seed entities by kind and name, and every bad
// bundle is reported row by row while the database stays exactly as it was.
import { createWriteStream, mkdtempSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../../src/data/bundle/problems.js";
import { fixture, importPaths, onlyUnchanged, rowCounts, writeStatements } from "../../support/bundle.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const scratch = () => mkdtempSync(join(tmpdir(), "bundle-import-"));

/** Imports, then imports again: the second run must find everything unchanged and send no write. */
async function importTwice(...paths: string[]) {
  const first = await importPaths(graph.db.prisma, paths);
  expect(first.problems.map(formatProblem)).toEqual([]);
  expect(first.written).toBe(true);
  const after = await rowCounts(graph.db.prisma);
  graph.resetStatements();
  const second = await importPaths(graph.db.prisma, paths);
  expect(second.written).toBe(true);
  expect(onlyUnchanged(second)).toBe(true);
  expect(writeStatements(graph.statements)).toEqual([]);
  expect(await rowCounts(graph.db.prisma)).toEqual(after);
  return first;
}

/** Imports a bad bundle and checks that nothing at all was written. */
async function importRejected(paths: string[], options: { maxLineBytes?: number } = {}) {
  const before = await rowCounts(graph.db.prisma);
  const result = await importPaths(graph.db.prisma, paths, options);
  expect(result.written).toBe(false);
  expect(await rowCounts(graph.db.prisma)).toEqual(before);
  return result.problems.map(formatProblem);
}

describe("graph import: formats", () => {
  it("imports NDJSON with every record type, visible through the API", async () => {
    const result = await importTwice(fixture("ndjson"));
    expect(result.stats.entities).toMatchObject({ created: 3, updated: 0 });
    expect(result.stats.relationships.created).toBe(3);
    const { data, errors } = await graph.query(`{
      company(name: "兰亭汽车") {
        key name aliases properties
        relationships { edges { direction node { type validFrom certainty source { title } } other { key } } }
        observations { period value unit }
        rankings { rank ranking { name } }
      }
      entity(name: "lanting l1") { key kind description }
      policy(name: "Fixture plant subsidy") { startsOn figures { label value unit } }
      relationTypes { key }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.company).toMatchObject({
      key: "lanting-motors",
      name: "Lanting Motors",
      properties: { founded: 2020 },
    });
    expect(data!.company.aliases).toEqual(expect.arrayContaining(["Lanting Motors", "兰亭汽车", "Lanting", "LTM"]));
    const edges = data!.company.relationships.edges
      .map((e: any) => `${e.direction} ${e.node.type} ${e.other.key}`)
      .sort();
    expect(edges).toEqual(["INCOMING BRAND_OF lanting-l1", "OUTGOING BASED_IN chongqing"]);
    expect(data!.company.observations).toEqual([{ period: "2025", value: 1200, unit: "cars" }]);
    expect(data!.company.rankings).toEqual([{ rank: 1, ranking: { name: "Fixture carmakers, 2025" } }]);
    // A keyless row got a key made from its name.
    expect(data!.entity).toEqual({ key: "lanting-l1", kind: "BRAND", description: "A small electric car (fixture)." });
    expect(data!.policy).toEqual({
      startsOn: "2025-03",
      figures: [{ label: "Subsidy per plant", value: 5000000, unit: "CNY" }],
    });
    expect(data!.relationTypes.map((t: { key: string }) => t.key)).toContain("FIXTURE_SUPPLIES");
  });

  it("imports a single JSON file of table arrays", async () => {
    await importTwice(fixture("json/graph.json"));
    const { data } = await graph.query(
      `{ company(name: "Qingshan Battery") { nameZh relationships { edges { other { key } } } series(indicator: "fixture-employees") { unit points { value } } } }`,
    );
    expect(data!.company).toEqual({
      nameZh: "青山电池",
      relationships: { edges: [{ other: { key: "chengdu" } }] },
      series: { unit: "people", points: [{ value: 800 }] },
    });
  });

  it("imports a folder in the prisma/seed layout", async () => {
    await importTwice(fixture("json-dir"));
    const { data } = await graph.query(`{ company(name: "yunfeng") { key brands { key } headquarters { key } } }`);
    expect(data!.company).toMatchObject({ key: "yunfeng-robotics", brands: [{ key: "yunfeng-arm" }] });
  });

  it("imports a folder of CSV files", async () => {
    const result = await importTwice(fixture("csv"));
    expect(result.stats.aliases.created).toBe(5);
    const { data } = await graph.query(`{
      company(name: "bai yun wu liu") { key properties relationships { edges { node { type note } other { key name } } } observations { period value } }
      entities(nameContains: "Baiyun Freight") { edges { node { key kind } } }
      sources(first: 50) { edges { node { key url body } } }
    }`);
    expect(data!.company.key).toBe("baiyun-logistics");
    expect(data!.company.properties).toEqual({ hub: "rail" });
    expect(data!.company.observations).toEqual([{ period: "2025-H1", value: 3500000 }]);
    const other = data!.company.relationships.edges.map((e: any) => e.other.key).sort();
    expect(other).toEqual(["baiyun-freight-association", "chengdu"]);
    expect(data!.entities.edges).toEqual([{ node: { key: "baiyun-freight-association", kind: "ORGANIZATION" } }]);
    const source = data!.sources.edges.find((e: any) => e.node.key === "fixture-csv-article").node;
    expect(source.body).toContain('\nIts warehouses handled 3.5 million parcels in 2025-H1, a "record" half year.');
  });

  it("imports a folder that mixes CSV, JSON and NDJSON", async () => {
    await importTwice(fixture("mixed"));
    const { data } = await graph.query(
      `{ policy(name: "Fixture chip fund") { policyType startsOn appliesTo { key } } company(name: "Hongya") { key } }`,
    );
    expect(data).toEqual({
      policy: { policyType: "GRANT_PROGRAMME", startsOn: "2024-09", appliesTo: [{ key: "hongya-chips" }] },
      company: { key: "hongya-chips" },
    });
  });
});

describe("graph import: matching", () => {
  it("matches a keyless row to the seed entity by kind and name and updates it, never duplicating", async () => {
    const before = await rowCounts(graph.db.prisma);
    const result = await importTwice(fixture("match-by-name.ndjson"));
    expect(result.stats.entities).toMatchObject({ created: 0, updated: 2 });
    expect((await rowCounts(graph.db.prisma)).entities).toBe(before.entities);
    const { data } = await graph.query(`{
      city(name: "Fixture Mountain City") { key name nameZh description relationships(type: "TWIN_CITY_OF") { edges { node { source { key } } other { key } } } }
      company(name: "seres") { key name properties }
    }`);
    // The name matched, so it is not written over the stored one ("chongqing" stays "Chongqing").
    expect(data!.city).toMatchObject({
      key: "chongqing",
      name: "Chongqing",
      nameZh: "重庆",
      description: "Updated by the match-by-name fixture.",
    });
    expect(data!.city.relationships.edges).toContainEqual({
      node: { source: { key: "ref-admin-divisions" } },
      other: { key: "chengdu" },
    });
    expect(data!.company).toMatchObject({ key: "seres", name: "Seres", properties: { fixture: true } });
  });

  it("refuses a name that fits several entities, and a division code another entity holds", async () => {
    const file = join(scratch(), "ambiguous.ndjson");
    writeFileSync(
      file,
      [
        {
          type: "relationship",
          relationType: "TWIN_CITY_OF",
          from: "chongqing",
          to: "CITY:Taizhou",
          source: "ref-admin-divisions",
          quote: "",
          certainty: "STATED",
        },
        { type: "entity", key: "chongqing-twin", kind: "CITY", name: "Chongqing Twin", divisionCode: "500000" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const problems = await importRejected([file]);
    expect(problems).toEqual([
      expect.stringMatching(/:1 to: "CITY:Taizhou" names several entities \(taizhou-\w+, taizhou-\w+\): use a key$/),
      expect.stringMatching(/:2 divisionCode: division code 500000 belongs to the stored entity "chongqing"$/),
    ]);
  });
});

describe("graph import: bad bundles change nothing", () => {
  it("a broken JSON line", async () => {
    expect(await importRejected([fixture("bad/broken-line.ndjson")])).toEqual([
      expect.stringMatching(/^bad\/broken-line\.ndjson:2 not valid JSON/),
    ]);
  });

  it("unknown kinds, record types, enum values and relation types", async () => {
    expect(await importRejected([fixture("bad/unknown-values.ndjson")])).toEqual([
      expect.stringMatching(/^bad\/unknown-values\.ndjson:1 kind: Invalid option: expected one of "COUNTRY"\|/),
      expect.stringMatching(/^bad\/unknown-values\.ndjson:2 type: unknown record type "planet"/),
      expect.stringMatching(
        /^bad\/unknown-values\.ndjson:3 certainty: Invalid option: expected one of "STATED"\|"STATED_LOOSELY"\|"INFERRED"$/,
      ),
      'bad/unknown-values.ndjson:4 relationType: unknown relation type "ORBITS" (neither in the bundle nor in the database)',
    ]);
  });

  it("dangling references: keys neither in the bundle nor in the database", async () => {
    expect(await importRejected([fixture("bad/dangling.ndjson")])).toEqual([
      'bad/dangling.ndjson:2 to: unknown entity "atlantis" (neither in the bundle nor in the database)',
      'bad/dangling.ndjson:3 indicator: unknown indicator "no-such-indicator" (neither in the bundle nor in the database)',
      'bad/dangling.ndjson:3 source: unknown source "no-such-source" (neither in the bundle nor in the database)',
    ]);
  });

  it("a location citing an unknown source, on a new entity and on a seed one", async () => {
    const file = join(scratch(), "location.ndjson");
    const location = { lat: 29.5, lon: 106.5, source: "no-such-gazetteer", quote: "29.5, 106.5" };
    const rows = [
      { type: "entity", key: "fixture-harbour", kind: "CITY", name: "Fixture Harbour", location },
      { type: "entity", key: "chongqing", kind: "CITY", name: "Chongqing", location },
    ];
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n"));
    const stored = () =>
      graph.db.prisma.entity.findUnique({
        where: { key: "chongqing" },
        select: { latitude: true, longitude: true, locationQuote: true, locationSource: { select: { key: true } } },
      });
    const before = await stored();
    expect(await importRejected([file])).toEqual([
      expect.stringMatching(
        /location\.ndjson:1 location\.source: unknown source "no-such-gazetteer" \(neither in the bundle nor in the database\)$/,
      ),
      expect.stringMatching(
        /location\.ndjson:2 location\.source: unknown source "no-such-gazetteer" \(neither in the bundle nor in the database\)$/,
      ),
    ]);
    expect(await stored()).toEqual(before);
    expect(before?.locationSource?.key).toBe("geonames-cities-json");
  });

  it("rows that break the rules a mutation keeps: one entity at both ends, an end before the start, ranges, an empty quote of an article", async () => {
    expect(await importRejected([fixture("bad/row-rules.ndjson")])).toEqual([
      "bad/row-rules.ndjson:1 to: A relationship must link two different entities.",
      "bad/row-rules.ndjson:2 validTo: validTo must not come before validFrom.",
      "bad/row-rules.ndjson:3 valueMax: A RANGE needs both value and valueMax.",
      "bad/row-rules.ndjson:4 valueMax: valueMax must not be below value.",
      'bad/row-rules.ndjson:5 quote: empty: a fact citing the article "vat-refund-expansion" quotes its sentence',
    ]);
  });

  it("a NUL character, named by the path to the string holding it", async () => {
    const file = join(scratch(), "nul.ndjson");
    const rows = [
      { type: "entity", key: "fixture-nul-name", kind: "CITY", name: "Nul\u0000City" },
      { type: "entity", key: "fixture-nul-deep", kind: "CITY", name: "Deep", properties: { a: [1, { b: "x\u0000" }] } },
    ];
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n"));
    expect(await importRejected([file])).toEqual([
      expect.stringMatching(/nul\.ndjson:1 name: contains a NUL character/),
      expect.stringMatching(/nul\.ndjson:2 properties\.a\.1\.b: contains a NUL character/),
    ]);
  });

  it("duplicate keys in the bundle", async () => {
    expect(await importRejected([fixture("bad/duplicate.ndjson")])).toEqual([
      'bad/duplicate.ndjson:2 key: duplicate entity "fixture-twin" (first at bad/duplicate.ndjson:1)',
    ]);
  });

  it("a file in the wrong encoding, and one in UTF-16", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "entities.csv"),
      Buffer.concat([
        Buffer.from("key,kind,name\nzurich,CITY,Zurich\n"),
        Buffer.from("munchen,CITY,M\u00fcnchen\n", "latin1"),
      ]),
    );
    writeFileSync(
      join(dir, "more.ndjson"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"type":"entity"}\n', "utf16le")]),
    );
    const problems = await importRejected([dir]);
    expect(problems).toEqual([
      expect.stringMatching(/entities\.csv:3 not valid UTF-8 \(byte 0xFC at column 15\)/),
      expect.stringMatching(/more\.ndjson:1 the file is UTF-16/),
    ]);
  });

  it("a 50 MB line", async () => {
    const file = join(scratch(), "huge.ndjson");
    const out = createWriteStream(file);
    out.write(
      `{"type":"entity","key":"fixture-small","kind":"COMPANY","name":"Small"}\n{"type":"entity","key":"fixture-huge","kind":"COMPANY","name":"Huge","description":"`,
    );
    const block = "y".repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) if (!out.write(block)) await once(out, "drain");
    out.end(`"}\n`);
    await once(out, "finish");
    expect(await importRejected([file])).toEqual([
      expect.stringMatching(/huge\.ndjson:2 line too long \(50 MB; at most 1\.0 MB per line\): skipped$/),
    ]);
  });
});

describe("graph import --skip-invalid", () => {
  it("writes the good rows and reports the bad ones and those that refer to them", async () => {
    const before = await rowCounts(graph.db.prisma);
    const result = await importPaths(graph.db.prisma, [fixture("bad/skip-invalid.ndjson")], { skipInvalid: true });
    expect(result.written).toBe(true);
    expect(result.problems.map((p) => [p.line, p.field, p.cascade ?? false])).toEqual([
      [3, "kind", false],
      [5, "from", true],
      [6, "", false],
      [7, "indicator", false],
    ]);
    expect(result.problems[1]!.reason).toBe(
      'refers to entity "fixture-bad-planet", which was rejected (bad/skip-invalid.ndjson:3)',
    );
    expect(result.stats.entities).toMatchObject({ created: 1, rejected: 1 });
    expect(result.stats.relationships).toMatchObject({ created: 1, rejected: 1 });
    expect(result.stats.observations).toMatchObject({ created: 0, rejected: 1 });
    expect(result.unreadable).toBe(1);
    const after = await rowCounts(graph.db.prisma);
    expect(after.entities - before.entities).toBe(1);
    expect(after.relationships - before.relationships).toBe(1);
    const { data } = await graph.query(
      `{ city(name: "Fixture Good Town") { key locatedIn { key } } entity(name: "Fixture Bad Planet") { key } }`,
    );
    expect(data).toEqual({ city: { key: "fixture-good-town", locatedIn: [{ key: "sichuan" }] }, entity: null });
  });

  it("still writes nothing without --skip-invalid", async () => {
    await importRejected([fixture("bad/skip-invalid.ndjson")]);
  });
});

describe("graph import: history", () => {
  let fresh: TestGraph;
  beforeAll(async () => {
    fresh = await startTestGraph();
  });
  afterAll(() => fresh?.close());

  const revertAll = async (changeId: string, token: string) =>
    fresh.query(
      `mutation($id: ID!) { revertChange(id: $id) { __typename ... on RevertChangeSuccess { changes { action targetType targetKey } } } }`,
      { id: changeId },
      { token },
    );

  it("records an import as one batch of changes that revertChange undoes; an import that changes nothing records nothing", async () => {
    const before = await rowCounts(fresh.db.prisma);
    const imported = await importPaths(fresh.db.prisma, [fixture("ndjson")], { actor: "importer" });
    expect(imported.written).toBe(true);
    const batch = imported.history!.batch!;
    expect(batch).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await fresh.query(
      `{ changes(first: 100) { edges { node { id batch actor operation action targetType targetKey after } } } }`,
    );
    const changes = listed.data!.changes.edges.map((edge: any) => edge.node).filter((c: any) => c.batch === batch);
    expect(changes).toHaveLength(imported.history!.changes);
    expect(new Set(changes.map((c: any) => `${c.actor} ${c.operation}`))).toEqual(new Set(["importer import"]));
    const created = changes.filter((c: any) => c.action === "CREATE").map((c: any) => `${c.targetType} ${c.targetKey}`);
    expect(created).toEqual(
      expect.arrayContaining([
        "Source fixture-ndjson-article",
        "Entity lanting-motors",
        "Entity lanting-l1",
        "Relationship BASED_IN:lanting-motors:chongqing:fixture-ndjson-article",
        "Observation lanting-motors:fixture-car-sales:2025:fixture-ndjson-article",
        "Ranking fixture-carmakers-2025",
      ]),
    );
    // The snapshot is the record as the API's writes see it: names included.
    const lanting = changes.find((c: any) => c.targetKey === "lanting-motors");
    expect(lanting.after.aliases.map((alias: any) => alias.name)).toEqual(
      expect.arrayContaining(["Lanting Motors", "兰亭汽车", "LTM"]),
    );

    const again = await importPaths(fresh.db.prisma, [fixture("ndjson")], { actor: "importer" });
    expect(again.history).toEqual({ batch: null, changes: 0 });

    const admin = await fresh.token(["graph:write", "graph:admin"]);
    const reverted = await revertAll(changes.at(-1).id, admin);
    expect(reverted.errors).toBeUndefined();
    expect(reverted.data!.revertChange.__typename).toBe("RevertChangeSuccess");
    expect(reverted.data!.revertChange.changes).toHaveLength(changes.length);
    const gone = await fresh.query(`{ company(name: "兰亭汽车") { key } entity(name: "lanting l1") { key } }`);
    expect(gone.data).toEqual({ company: null, entity: null });
    // Relation types and indicators are vocabulary, kept by a revert; every record is as it was.
    const after = await rowCounts(fresh.db.prisma);
    expect({ ...after, relationTypes: before.relationTypes, indicators: before.indicators, lastUpdate: null }).toEqual({
      ...before,
      lastUpdate: null,
    });
  });
});
