// What `npm run operations` does, apart from being a process: src/cli/operations.ts runs it with the
// process's arguments, and the tests call it in their own process (starting tsx costs seconds a run).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { formatManifest, persistDocuments, readManifest } from "../operations/manifest.js";
import { ManifestError } from "../errors.js";
import { schema } from "../schema/index.js";

const usage = `Usage:
  npm run operations -- persist [files or folders of .graphql documents] [--out FILE] [--replace]
      adds each document under its SHA-256 (default: src/examples into persisted-operations.json);
      every document is checked against the schema first, and none is written if one fails
  npm run operations -- check [FILE]
      checks a manifest (default persisted-operations.json) against the schema, as the server does at start`;

const defaultManifest = "persisted-operations.json";

function graphqlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".graphql") || file.endsWith(".gql"))
    .sort()
    .map((file) => join(path, file));
}

function persist(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, replace: { type: "boolean" } },
  });
  const out = values.out ?? defaultManifest;
  const inputs = positionals.length ? positionals : ["src/examples"];
  const missing = inputs.filter((input) => !existsSync(input));
  if (missing.length) throw new ManifestError(`No such file or folder: ${missing.join(", ")}`);
  const files = inputs
    .flatMap(graphqlFiles)
    .map((file) => ({ file: relative(process.cwd(), file), text: readFileSync(file, "utf8") }));
  if (!files.length) throw new ManifestError(`No .graphql documents in ${inputs.join(", ")}`);
  const existing = !values.replace && existsSync(out) ? readManifest(schema, out) : new Map<string, string>();
  const { manifest, documents } = persistDocuments(schema, existing, files);
  for (const { file, id, added } of documents) console.log(`${id}  ${file}${added ? "  (new)" : ""}`);
  writeFileSync(out, formatManifest(manifest));
  const added = documents.filter((document) => document.added).length;
  console.log(`Wrote ${out}: ${manifest.size} operation(s), ${added} new.`);
  return 0;
}

function check([file = defaultManifest]: string[]): number {
  const manifest = readManifest(schema, file);
  console.log(`${file}: ${manifest.size} operation(s), every one valid against the schema.`);
  return 0;
}

/** The whole command; returns the exit code. */
export function main([command, ...argv]: string[]): number {
  try {
    if (command === "persist") return persist(argv);
    if (command === "check") return check(argv);
    console.log(usage);
    return !command || command === "--help" || command === "help" ? 0 : 2;
  } catch (error) {
    if (!(error instanceof ManifestError || (error as NodeJS.ErrnoException).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"))
      throw error;
    console.error((error as Error).message);
    return 1;
  }
}
