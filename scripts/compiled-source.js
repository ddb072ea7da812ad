// src/ transpiled by esbuild, a file for a file, into plain ES modules that Node runs without tsx.
// `node <file>.js` loads the service in about half the CPU time `node --import tsx <file>.ts` takes
// (tsx's loader hooks see every module, the dependencies' too) and without the memory the loader
// holds; `npm start` (scripts/start.js) and the processes tests start (tests/support/) run this copy.
// Plain JavaScript, checked by tsc through JSDoc: it must run before anything is transpiled.
//
// A copy lives under node_modules/.cache (inside the project, so packages resolve as from src/); the
// files src/ reads beside its code (prisma/, web/, schema.graphql, src/examples/) are links to the
// originals, so paths made from import.meta.url lead where they do from src/.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

export const projectRoot = new URL("..", import.meta.url).pathname;

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
 * Transpiles `root`/src into `dir`: `dir`/src/main.js is the service.
 * @param {string} dir
 * @param {string} [root] the project (tests pass another)
 */
export async function compileSource(dir, root = projectRoot) {
  const files = await sourceFiles(root);
  const sources = files.filter((path) => path.endsWith(".ts"));
  // esbuild is imported only when something is to be built: a start with a current copy never loads it.
  const { build } = await import("esbuild");
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: sources.map((path) => join(root, path)),
    outdir: join(dir, "src"),
    outbase: join(root, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    // Stack traces name src/'s files and lines (scripts/start.js turns source maps on).
    sourcemap: "linked",
    sourcesContent: false,
    logLevel: "error",
  });
  await Promise.all([
    // Below node_modules Node looks for no package.json above this one: the files are ES modules.
    writeFile(join(dir, "package.json"), '{ "type": "module" }\n'),
    ...["prisma", "web", "schema.graphql"].map((name) => symlink(join(root, name), join(dir, name))),
    ...files
      .filter((path) => !path.endsWith(".ts"))
      .map(async (path) => {
        await mkdir(join(dir, path, ".."), { recursive: true });
        await symlink(join(root, path), join(dir, path));
      }),
  ]);
}

/**
 * A copy of src/ as it is now: reused while no file under src/ (nor this script) changed since it was
 * made, else made anew, so an edit takes effect on the next start. A copy is keyed by its sources'
 * names, sizes and modification times (a few milliseconds of `stat` per start) and built aside, then
 * renamed into place: two processes starting at once both end up with a whole copy. Copies of older
 * sources are removed. Returns the copy's folder.
 * @param {string} [root] the project (tests pass another)
 */
export async function currentCompiledSource(root = projectRoot) {
  const files = await sourceFiles(root);
  const hash = createHash("sha256").update(await readFile(new URL(import.meta.url)));
  for (const path of files) {
    const { size, mtimeMs } = await stat(join(root, path));
    hash.update(`${path}\0${size}\0${mtimeMs}\0`);
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
