// Builds the explorer into web/dist: typed documents from schema.graphql (gql.tada), the bundle
// (Vite), the trusted-documents manifest of every operation it sends, and a gzip and a brotli copy of
// each text file so the server sends them compressed without compressing per request. Run by
// `npm install` (postinstall) and `npm run web:build`; skipped, saying so, where the build tools
// were not installed (npm ci --omit=dev): the API then serves without the explorer.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..");
const web = import.meta.dirname;
const dist = join(web, "dist");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

if (!existsSync(bin("vite"))) {
  console.log("Explorer not built: its build tools are not installed (npm install without --omit=dev builds it).");
  process.exit(0);
}

const started = Date.now();
const step = (text: string) => console.log(`explorer: ${text} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

execFileSync(bin("gql-tada"), ["generate", "output", "--tsconfig", join(web, "tsconfig.json")], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
step("typed documents generated from schema.graphql");

const { build } = await import("vite");
await build({ configFile: join(web, "vite.config.ts"), logLevel: "warn" });
step("bundle built");

// The manifest: each operation under the SHA-256 of the exact text urql sends (its cache adds
// __typename to every selection, then stringifyDocument prints it), the hash client.ts sends instead.
const { formatDocument, stringifyDocument } = await import("@urql/core");
const documents: Record<string, unknown> = await import("./src/documents.ts");
const manifest: Record<string, string> = {};
for (const document of Object.values(documents)) {
  const text = stringifyDocument(formatDocument(document as Parameters<typeof formatDocument>[0]));
  if (!/^\s*(query|mutation|subscription)\b/m.test(text)) continue;
  manifest[createHash("sha256").update(text).digest("hex")] = text;
}
writeFileSync(join(dist, "persisted-documents.json"), `${JSON.stringify(manifest, null, 2)}\n`);
step(`${Object.keys(manifest).length} operations written to the trusted-documents manifest`);

let raw = 0;
let compressed = 0;
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
for (const file of walk(dist)) {
  if (!/\.(js|css|html|json|svg|map)$/.test(file)) continue;
  const content = readFileSync(file);
  const br = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(`${file}.br`, br);
  if (!file.endsWith(".map")) {
    raw += content.length;
    compressed += br.length;
  }
}
step(`compressed: ${(raw / 1024).toFixed(0)} KB of code and styles, ${(compressed / 1024).toFixed(0)} KB as brotli`);
