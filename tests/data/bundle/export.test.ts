// Export: NDJSON that round-trips (export -> import into an empty database -> export gives the same
// text), GraphML that is well-formed with every attribute declared, and Cytoscape.js elements whose
// edges all end at nodes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportText, fixture, importPaths, onlyUnchanged, rowCounts } from "../../support/bundle.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";
import { checkWellFormed } from "../../support/xml.js";

let graph: TestGraph;
let empty: TestGraph;
beforeAll(async () => {
  [graph, empty] = await Promise.all([startTestGraph(), startTestGraph({ seed: false })]);
  // The fixture adds what the seed lacks: keyless rows, ranking entries as rows, an alias row, properties.
  const result = await importPaths(graph.db.prisma, [fixture("ndjson")]);
  expect(result.problems).toEqual([]);
});
afterAll(async () => {
  await graph?.close();
  await empty?.close();
});

describe("export --format ndjson", () => {
  it("is a bundle: one typed record a line, tables in import order, keys in order", async () => {
    const { text } = await exportText(graph.db.prisma);
    const records = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; key?: string; entity?: string });
    const types = [...new Set(records.map((r) => r.type))];
    expect(types).toEqual([
      "relationType",
      "source",
      "indicator",
      "entity",
      "alias",
      "ranking",
      "rankingEntry",
      "relationship",
      "observation",
      "policyFigure",
    ]);
    const entityKeys = records.filter((r) => r.type === "entity").map((r) => r.key!);
    expect(entityKeys).toEqual([...entityKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const counts = await rowCounts(graph.db.prisma);
    expect(entityKeys).toHaveLength(counts.entities!);
    expect(records.filter((r) => r.type === "relationship")).toHaveLength(counts.relationships!);
  });

  it("round-trips: export, import into an empty database, export again gives the same text", async () => {
    const first = await exportText(graph.db.prisma);
    const file = join(mkdtempSync(join(tmpdir(), "bundle-export-")), "graph.ndjson");
    writeFileSync(file, first.text);
    const imported = await importPaths(empty.db.prisma, [file]);
    expect(imported.problems).toEqual([]);
    expect(imported.written).toBe(true);
    const second = await exportText(empty.db.prisma);
    expect(second.text).toBe(first.text);
    const { entities, relationships, observations, rankingEntries, policyFigures, mentions, policies } =
      await rowCounts(graph.db.prisma);
    expect(await rowCounts(empty.db.prisma)).toMatchObject({
      entities,
      relationships,
      observations,
      rankingEntries,
      policyFigures,
      mentions,
      policies,
    });
    // And the export, imported again, changes nothing.
    expect(onlyUnchanged(await importPaths(empty.db.prisma, [file]))).toBe(true);
  });

  it("streams: the text arrives in many chunks, none of them the whole graph", async () => {
    const { text, chunks } = await exportText(graph.db.prisma);
    expect(chunks).toBeGreaterThanOrEqual(10);
    expect(text.length).toBeGreaterThan(100_000);
  });
});

describe("export --format graphml", () => {
  it("is well-formed GraphML with a node per entity, an edge per relationship, and every attribute declared", async () => {
    const { text } = await exportText(graph.db.prisma, "graphml");
    const xml = checkWellFormed(text, ["key", "node", "edge", "data"]);
    const counts = await rowCounts(graph.db.prisma);
    expect(xml.root).toBe("graphml");
    expect(xml.elements.get("node")).toBe(counts.entities);
    expect(xml.elements.get("edge")).toBe(counts.relationships);
    const keys = xml.attributes.get("key")!;
    const declared = new Set(keys.map((k) => k.id));
    for (const used of new Set(xml.attributes.get("data")!.map((d) => d.key))) expect(declared).toContain(used);
    expect(keys.filter((k) => k.for === "node").map((k) => k["attr.name"])).toEqual(
      expect.arrayContaining(["label", "kind", "name", "nameZh"]),
    );
    expect(keys.filter((k) => k.for === "edge").map((k) => k["attr.name"])).toEqual(
      expect.arrayContaining(["label", "type", "validFrom", "quote", "source"]),
    );
    const nodeIds = new Set(xml.attributes.get("node")!.map((n) => n.id));
    expect(nodeIds.size).toBe(counts.entities);
    for (const edge of xml.attributes.get("edge")!) {
      expect(nodeIds.has(edge.source!)).toBe(true);
      expect(nodeIds.has(edge.target!)).toBe(true);
    }
    expect(text).toContain(
      `<node id="lanting-motors"><data key="label">Lanting Motors</data><data key="n_kind">COMPANY</data>`,
    );
    // A place carries its position in degrees, and as x and y for Gephi's layout (north up).
    // ... and its latest population, with the period's bound where it is one (GeoNames's figures).
    expect(text).toMatch(
      /<node id="chengdu">.*<data key="n_latitude">30.66667<\/data><data key="n_longitude">104.06667<\/data><data key="x">1040.667<\/data><data key="y">-306.667<\/data><data key="n_population">13568357<\/data><data key="n_populationPeriod">2021-12-13<\/data><data key="n_populationPeriodBound">NOT_AFTER<\/data><\/node>/,
    );
    expect(keys.filter((k) => k["attr.type"] === "double").map((k) => k["attr.name"])).toEqual([
      "latitude",
      "longitude",
      "population",
      "x",
      "y",
    ]);
    expect(text).toMatch(
      /<edge id="BASED_IN:lanting-motors:chongqing:fixture-ndjson-article" source="lanting-motors" target="chongqing"><data key="edgelabel">is based in<\/data><data key="e_type">BASED_IN<\/data><data key="e_validFrom">2025-03<\/data>/,
    );
  });

  it("escapes what XML cannot hold raw", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "bundle-export-")), "odd.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ type: "entity", key: "fixture-odd-name", kind: "COMPANY", name: `A & B <"Odd"> 'Co'\u0007` })}\n`,
    );
    expect((await importPaths(graph.db.prisma, [file])).problems).toEqual([]);
    const { text } = await exportText(graph.db.prisma, "graphml");
    checkWellFormed(text);
    expect(text).toContain(`<data key="label">A &amp; B &lt;&quot;Odd&quot;&gt; &apos;Co&apos;</data>`);
  });
});

describe("export --format cytoscape", () => {
  it("gives Cytoscape.js elements: a node per entity, an edge per relationship, every edge between nodes", async () => {
    const { text } = await exportText(graph.db.prisma, "cytoscape");
    const { elements } = JSON.parse(text) as {
      elements: { nodes: { data: Record<string, string> }[]; edges: { data: Record<string, string> }[] };
    };
    const counts = await rowCounts(graph.db.prisma);
    expect(elements.nodes).toHaveLength(counts.entities!);
    expect(elements.edges).toHaveLength(counts.relationships!);
    const ids = new Set(elements.nodes.map((n) => n.data.id));
    expect(ids.size).toBe(elements.nodes.length);
    for (const { data } of elements.edges) {
      expect(ids.has(data.source!)).toBe(true);
      expect(ids.has(data.target!)).toBe(true);
    }
    expect(elements.nodes.find((n) => n.data.id === "lanting-motors")!.data).toEqual({
      id: "lanting-motors",
      label: "Lanting Motors",
      kind: "COMPANY",
      name: "Lanting Motors",
      nameZh: "兰亭汽车",
    });
    // A place has its position: degrees in data, and a preset layout's position, north up.
    expect(elements.nodes.find((n) => n.data.id === "chengdu")).toMatchObject({
      data: {
        latitude: 30.66667,
        longitude: 104.06667,
        population: 13568357,
        populationPeriod: "2021-12-13",
        populationPeriodBound: "NOT_AFTER",
      },
      position: { x: 1040.667, y: -306.667 },
    });
    expect(elements.edges.find((e) => e.data.source === "lanting-motors")!.data).toMatchObject({
      target: "chongqing",
      type: "BASED_IN",
      label: "is based in",
      validFrom: "2025-03",
      certainty: "STATED",
      sourceKey: "fixture-ndjson-article",
    });
  });
});
