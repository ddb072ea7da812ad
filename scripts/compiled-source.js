// src/ bundled by esbuild into a few plain ES modules that Node runs without tsx: `npm start`
// (scripts/start.js) and the processes tests start (tests/support/) run this copy. Node loads the
// service from it in less CPU than from a file for each module (about 1,100 files of src/ and its
// packages, each resolved, read, compiled and linked on its own; docs/performance.md, "Quick to
// start, a fourth pass"), and far less than through tsx, whose loader hooks see every module and hold
// memory. Plain JavaScript, checked by tsc through JSDoc: it must run before anything is transpiled.
//
// A copy lives under node_modules/.cache (inside the project, so the packages left out of the bundle
// resolve as from src/). Code splitting keeps what src/ imports lazily lazy (the service behind the
// database's opening, the seed, Redis, GraphiQL's page), each a chunk loaded when first imported.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";

export const projectRoot = new URL("..", import.meta.url).pathname;

/**
 * Packages left out of the bundle, loaded by Node from node_modules as before: those that find files
 * beside their own code, and those imported only in some configurations (kept out of the build's
 * work and of every chunk).
 */
const external = [
  // Finds pglite.wasm and its extensions' files from its own URL; the initdb worker imports it by URL.
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
  // Prisma's query compiler, a 2.6 MB module of WebAssembly in base64 that its runtime imports on the
  // first query: Node reads it then, rather than esbuild copying it into a chunk.
  "@prisma/client/runtime/query_compiler_bg*",
  // pino starts its transports in worker threads from files beside its code.
  "pino",
  // Only with DATABASE_URL, REDIS_URL, or for GraphiQL's page (9 MB, on its first request).
  "pg",
  "pg-copy-streams",
  "@prisma/adapter-pg",
  "ioredis",
  "@graphql-yoga/render-graphiql",
];

/**
 * `import.meta.url` (and `.dirname`, `.filename`) of each file of src/ is its source file's, as under
 * tsx: paths made from it (prisma/migrations/, web/dist/, src/examples/, schema.graphql) lead to the
 * project's files wherever the chunk holding the code lies. The copy is keyed by the project's path
 * too (`currentCompiledSource`), so a moved checkout makes a new one.
 * @type {import("esbuild").Plugin}
 */
const sourceImportMeta = {
  name: "source-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, "utf8");
      /** @type {Record<string, string>} */
      const meta = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
      // Same line, so the source map's lines stay true.
      const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => JSON.stringify(meta[key]));
      return { contents, loader: "ts" };
    });
  },
};

/**
 * Every file under `root`/src, relative to `root`, in a stable order.
 * @param {string} root
 */
async function sourceFiles(root) {
  const entries = await readdir(join(root, "src"), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Bundles `root`/src into `dir`: `dir`/src/main.js is the service; with `tools`, `dir`/src/cli/<name>.js
 * each command-line tool too (the tests run them), built apart so that the service's chunks are its own.
 * @param {string} dir
 * @param {string} [root] the project (tests pass another)
 * @param {{ tools?: boolean }} [options]
 */
export async function compileSource(dir, root = projectRoot, { tools = false } = {}) {
  const files = await sourceFiles(root);
  // esbuild is imported only when something is to be built: a start with a current copy never loads it.
  const { build } = await import("esbuild");
  await mkdir(dir, { recursive: true });
  /** @param {string[]} entryPoints @param {string} chunks */
  const bundle = (entryPoints, chunks) =>
    build({
      entryPoints,
      outdir: join(dir, "src"),
      outbase: join(root, "src"),
      entryNames: "[dir]/[name]",
      chunkNames: `${chunks}/[name]-[hash]`,
      bundle: true,
      splitting: true,
      external,
      format: "esm",
      platform: "node",
      target: "node20",
      // Bundled CommonJS packages call require(): each chunk gets one, as Node gives a CommonJS module.
      banner: {
        js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
      },
      plugins: [sourceImportMeta],
      // Stack traces name src/'s files and lines, and the packages' (scripts/start.js turns source maps on).
      sourcemap: "linked",
      sourcesContent: false,
      logLevel: "error",
    });
  const main = join(root, "src", "main.ts");
  const cli = files.filter((path) => path.startsWith(join("src", "cli")) && path.endsWith(".ts"));
  await Promise.all([
    files.includes(join("src", "main.ts")) ? bundle([main], "chunks") : undefined,
    tools && cli.length
      ? bundle(
          cli.map((path) => join(root, path)),
          "cli/chunks",
        )
      : undefined,
    // Below node_modules Node looks for no package.json above this one: the files are ES modules.
    writeFile(join(dir, "package.json"), '{ "type": "module" }\n'),
  ]);
}

/**
 * A copy of src/ as it is now: reused while no file under src/ (nor this script, nor the installed
 * packages, nor the project's path) changed since it was made, else made anew, so an edit takes effect
 * on the next start. A copy is keyed by its sources' names, sizes and modification times (a few
 * milliseconds of `stat` per start) and built aside, then renamed into place: two processes starting
 * at once both end up with a whole copy. Copies of older sources are removed. Returns the copy's folder.
 * @param {string} [root] the project (tests pass another)
 */
export async function currentCompiledSource(root = projectRoot) {
  const files = await sourceFiles(root);
  const hash = createHash("sha256")
    .update(await readFile(new URL(import.meta.url)))
    .update(`${root}\0`);
  // The bundle holds the packages' code: an `npm install` that changed them makes a new copy.
  for (const path of [...files, "package-lock.json", join("node_modules", ".package-lock.json")]) {
    const found = await stat(join(root, path)).catch(() => null);
    if (found) hash.update(`${path}\0${found.size}\0${found.mtimeMs}\0`);
  }
  const key = hash.digest("hex").slice(0, 16);
  const cache = join(root, "node_modules", ".cache", "server");
  const dir = join(cache, key);
  const done = await stat(join(dir, "package.json")).then(
    () => true,
    () => false,
  );
  if (done) return dir;
  const aside = join(cache, `${key}.${process.pid}.tmp`);
  await rm(aside, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  await compileSource(aside, root);
  await rename(aside, dir).catch(async (/** @type {NodeJS.ErrnoException} */ error) => {
    // Another start made the same copy meanwhile: use that one.
    if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    await rm(aside, { recursive: true, force: true });
  });
  for (const name of await readdir(cache)) {
    if (name !== key && !name.endsWith(".tmp")) await rm(join(cache, name), { recursive: true, force: true });
  }
  return dir;
}
