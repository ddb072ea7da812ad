// Reading bundles, no database: every format becomes records with file:line, and every bad file,
// line or record becomes a problem with file:line and a reason, without stopping the others.
import { mkdtempSync, writeFileSync, createWriteStream } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../../src/data/bundle/problems.js";
import { readBundle } from "../../../src/data/bundle/read.js";
import { fixture, fixtures } from "../../support/bundle.js";

const read = (...paths: string[]) => readBundle(paths, { relativeTo: fixtures });
const scratch = () => mkdtempSync(join(tmpdir(), "bundle-read-"));

describe("formats", () => {
  it("reads NDJSON: one typed record a line, with its line", async () => {
    const { records, problems } = await read(fixture("ndjson/graph.ndjson"));
    expect(problems).toEqual([]);
    expect(records.map((r) => r.table)).toEqual([
      "sources",
      "relationTypes",
      "indicators",
      "entities",
      "entities",
      "entities",
      "aliases",
      "relationships",
      "relationships",
      "relationships",
      "observations",
      "rankings",
      "rankingEntries",
      "policyFigures",
    ]);
    const rel = records.find((r) => r.table === "relationships")!;
    // A typed record spells a relationship's type "relationType"; the row gets it as "type".
    expect(rel).toMatchObject({
      at: { file: "ndjson/graph.ndjson", line: 8 },
      typed: true,
      data: { type: "BASED_IN", from: "lanting-motors" },
    });
    expect(rel.data).not.toHaveProperty("relationType");
  });

  it("reads a JSON object of table arrays, each row with the line it starts on", async () => {
    const { records, problems } = await read(fixture("json/graph.json"));
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.table, r.at.line, r.at.index])).toEqual([
      ["sources", 3, 0],
      ["entities", 12, 0],
      ["relationships", 22, 0],
      ["indicators", 32, 0],
      ["observations", 34, 0],
    ]);
  });

  it("reads the prisma/seed layout (a JSON array per table) and a JSON array of typed records", async () => {
    const dir = await read(fixture("json-dir"));
    expect(dir.problems).toEqual([]);
    expect(dir.records.map((r) => `${r.table}@${r.at.file}:${r.at.line}`)).toEqual([
      "entities@json-dir/entities.json:2",
      "entities@json-dir/entities.json:9",
      "relationships@json-dir/relationships.json:2",
      "relationships@json-dir/relationships.json:10",
      "sources@json-dir/sources.json:2",
    ]);
    const file = join(scratch(), "records.json");
    writeFileSync(
      file,
      JSON.stringify(
        [
          { type: "entity", key: "a", kind: "CITY", name: "A" },
          { type: "alias", entity: "a", name: "Ay", lang: "en" },
        ],
        null,
        1,
      ),
    );
    const typed = await readBundle([file]);
    expect(typed.records.map((r) => [r.table, r.at.line])).toEqual([
      ["entities", 2],
      ["aliases", 8],
    ]);
  });

  it("reads CSV: header row, quoted multi-line fields, numbers, JSON cells, nested headers; an empty cell is absent", async () => {
    const { records, problems } = await read(fixture("csv"));
    expect(problems).toEqual([]);
    const source = records.find((r) => r.table === "sources")!;
    expect(source.at).toEqual({ file: "csv/sources.csv", line: 2 });
    expect(source.data.body).toBe(
      'Baiyun Logistics runs the fixture rail hub in Chengdu.\nIts warehouses handled 3.5 million parcels in 2025-H1, a "record" half year.',
    );
    const entities = records.filter((r) => r.table === "entities");
    expect(entities[0]!.data).toEqual({
      key: "baiyun-logistics",
      kind: "COMPANY",
      name: "Baiyun Logistics",
      nameZh: "白云物流",
      description: "A fixture logistics company, read from CSV.",
      properties: { hub: "rail" },
    });
    expect(entities[1]!.data).toEqual({
      kind: "ORGANIZATION",
      name: "Baiyun Freight Association",
      description: "A fixture organisation without a key",
    });
    expect(records.find((r) => r.table === "observations")!.data.value).toBe(3500000);
    const mixed = await read(fixture("mixed"));
    expect(mixed.problems).toEqual([]);
    expect(mixed.records.find((r) => r.data.key === "fixture-chip-fund")!.data.policy).toEqual({
      policyType: "GRANT_PROGRAMME",
      startsOn: "2024-09",
    });
    expect(new Set(mixed.files)).toEqual(new Set(["mixed/entities.csv", "mixed/facts.ndjson", "mixed/sources.json"]));
  });
});

describe("bad files", () => {
  it("reports a broken JSON line and reads the lines around it", async () => {
    const { records, problems } = await read(fixture("bad/broken-line.ndjson"));
    expect(records.map((r) => r.data.key)).toEqual(["fixture-broken-a", "fixture-broken-c"]);
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(/^bad\/broken-line\.ndjson:2 not valid JSON/);
  });

  it("reports an unknown record type with its line", async () => {
    const { problems } = await read(fixture("bad/unknown-values.ndjson"));
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^bad\/unknown-values\.ndjson:2 type: unknown record type "planet"/),
    ]);
  });

  it("rejects a 50 MB line without holding it, and reads the lines after it", async () => {
    const file = join(scratch(), "huge.ndjson");
    const out = createWriteStream(file);
    out.write(
      `{"type":"alias","entity":"chongqing","name":"Before","lang":"en"}\n{"type":"source","key":"huge","kind":"REFERENCE","title":"Huge","body":"`,
    );
    const block = "x".repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) if (!out.write(block)) await once(out, "drain");
    out.end(`"}\n{"type":"alias","entity":"chongqing","name":"After","lang":"en"}\n`);
    await once(out, "finish");
    const before = process.memoryUsage().heapUsed;
    const { records, problems } = await readBundle([file]);
    // The line is never held whole: reading 50 MB leaves the heap far below the line's size.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
    expect(records.map((r) => r.data.name)).toEqual(["Before", "After"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/^line too long \(50 MB; at most 1\.0 MB per line\)/),
    });
  });

  it("rejects a file that is not UTF-8 (Latin-1 CSV, UTF-16 NDJSON), naming the line", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "entities.csv"),
      Buffer.concat([
        Buffer.from("key,kind,name\nzurich,CITY,Zurich\n"),
        Buffer.from("munchen,CITY,M\u00fcnchen\n", "latin1"),
      ]),
    );
    writeFileSync(
      join(dir, "records.ndjson"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"type":"entity"}\n', "utf16le")]),
    );
    const { records, problems } = await readBundle([dir], { relativeTo: dir });
    expect(records.map((r) => r.data.key)).toEqual(["zurich"]);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^entities\.csv:3 not valid UTF-8 \(byte 0xFC at column 15\); save the file as UTF-8/),
      expect.stringMatching(/^records\.ndjson:1 the file is UTF-16/),
    ]);
  });

  it("reports CSV rows with the wrong number of fields, unclosed quotes and files naming no table", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "entities.csv"), 'key,kind,name\na,CITY,A\nb,CITY\nc,CITY,"C\n');
    writeFileSync(join(dir, "planets.csv"), "key,name\nmars,Mars\n");
    writeFileSync(join(dir, "notes.txt"), "not a bundle file");
    const { records, problems, files } = await readBundle([dir], { relativeTo: dir });
    expect(files).toEqual(["entities.csv", "planets.csv"]);
    expect(records.map((r) => r.data.key)).toEqual(["a"]);
    expect(problems.map(formatProblem)).toEqual([
      "entities.csv:3 2 field(s), but the header has 3",
      "entities.csv:4 a quoted field is never closed",
      'planets.csv the file name names no table and there is no "type" column',
    ]);
  });

  it("reports a missing input and a folder without bundle files", async () => {
    const empty = scratch();
    const { problems } = await readBundle([join(empty, "missing.ndjson"), empty], { relativeTo: empty });
    expect(problems.map((p) => p.reason)).toEqual([
      "no such file or folder",
      "no bundle files (.ndjson, .jsonl, .json, .csv) in this folder",
    ]);
  });
});
