// The persisted operations' manifest: read in the forms client tooling writes, refused whole when a
// document does not validate (by the CLI and by the server at start), and the committed one current.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleOperations } from "../../src/examples.js";
import { checkManifest, formatManifest, operationId, persistDocuments } from "../../src/operations/manifest.js";
import { ManifestError } from "../../src/errors.js";
import { schema } from "../../src/schema/index.js";
import { main } from "../../src/cli/operations-main.js";
import { projectRoot, runInProcess, runScript } from "../support/processes.js";

const good = `query Good { city(name: "Chongqing") { name } }`;
const unknownField = `query Bad {\n  city(name: "Chongqing") { nope }\n}`;

describe("checkManifest", () => {
  it("takes an id -> document object (ours, Relay's, Codegen's) and Apollo's persisted query manifest", () => {
    expect([...checkManifest(schema, { "relay-id-1": good })]).toEqual([["relay-id-1", good]]);
    const apollo = {
      format: "apollo-persisted-query-manifest",
      version: 1,
      operations: [{ id: "abc", name: "Good", type: "query", body: good }],
    };
    expect([...checkManifest(schema, apollo)]).toEqual([["abc", good]]);
  });

  it("refuses the whole manifest when a document does not validate, naming its id, line and column", () => {
    expect(() => checkManifest(schema, { ok: good, broken: unknownField, syntax: "query {" })).toThrow(ManifestError);
    try {
      checkManifest(schema, { ok: good, broken: unknownField, syntax: "query {" });
    } catch (error) {
      expect((error as Error).message).toContain(`broken: 2:29: Cannot query field "nope" on type "City".`);
      expect((error as Error).message).toMatch(/syntax: 1:8: Syntax Error/);
      expect((error as Error).message).not.toContain("ok:");
    }
  });

  it.each([
    [[good], /JSON object of id -> document/],
    [{ id: 42 }, /document of "id" must be a string/],
    [{ format: "other", operations: [] }, /Apollo persisted query manifest/],
    [
      { format: "apollo-persisted-query-manifest", operations: [{ id: "x" }] },
      /operations\[0\] needs a string "id" and "body"/,
    ],
  ])("refuses the shape %j", (json, message) => {
    expect(() => checkManifest(schema, json)).toThrow(message);
  });
});

describe("persistDocuments", () => {
  it("adds documents under their SHA-256 and keeps what the manifest had", () => {
    const { manifest, documents } = persistDocuments(schema, new Map([["relay-id-1", good]]), [
      { file: "a.graphql", text: good },
    ]);
    expect(documents).toEqual([{ file: "a.graphql", id: operationId(good), added: true }]);
    expect([...manifest.keys()]).toEqual(["relay-id-1", operationId(good)]);
  });

  it("writes nothing when one document fails", () => {
    expect(() =>
      persistDocuments(schema, new Map(), [
        { file: "a.graphql", text: good },
        { file: "b.graphql", text: unknownField },
      ]),
    ).toThrow(/b\.graphql:2:29: Cannot query field "nope"/);
  });
});

describe("persisted-operations.json", () => {
  it("holds every example operation, as `npm run operations -- persist` writes it", () => {
    const committed = readFileSync(join(projectRoot, "persisted-operations.json"), "utf8");
    const files = exampleOperations.map(({ file, query }) => ({ file, text: query }));
    expect(committed).toBe(formatManifest(persistDocuments(schema, new Map(), files).manifest));
  });
});

// The persist that succeeds is a real process (arguments, exit code, the file written); the refusal and
// the check run the same command in this process, without the seconds a `tsx` start costs.
describe("npm run operations", () => {
  const dir = mkdtempSync(join(tmpdir(), "operations-"));
  writeFileSync(join(dir, "good.graphql"), good);
  const out = join(dir, "manifest.json");

  it("refuses a folder with an invalid document, naming file, line and column, and writes nothing", async () => {
    writeFileSync(join(dir, "bad.graphql"), unknownField);
    const run = await runInProcess(async () => main(["persist", dir, "--out", out]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.graphql:2:29: Cannot query field "nope" on type "City"/);
    expect(existsSync(out)).toBe(false);
  });

  it("persists valid documents, then checks the manifest it wrote", async () => {
    const run = await runScript(
      "src/cli/operations.ts",
      ["persist", join(dir, "good.graphql"), "--out", out],
      process.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${operationId(good)}  `);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ [operationId(good)]: good });
    const check = await runInProcess(async () => main(["check", out]));
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("1 operation(s), every one valid");
  });

  it("stops the server's start on a manifest that does not validate, before it opens a database", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ broken: unknownField }));
    const dataDir = join(dir, "data");
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DATA_DIR: dataDir, PERSISTED_OPERATIONS: broken };
    delete env.DATABASE_URL;
    const run = await runScript("src/main.ts", [], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Persisted operations ${broken}: 1 problem(s) with the schema:`);
    expect(run.stderr).toContain(`broken: 2:29: Cannot query field "nope"`);
    expect(existsSync(dataDir)).toBe(false);
  });
});
