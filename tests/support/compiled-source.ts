// src/ transpiled once a run (esbuild, a file for a file, as tsx would), for the processes tests start:
// `node <file>.js` loads the service in about half the CPU time `node --import tsx <file>.ts` takes,
// whose loader hooks see every module, the dependencies' too (2 s -> 1 s a start on this machine).
// The copy lives under node_modules/.cache (inside the project, so packages resolve as from src/);
// the files src/ reads beside its code (prisma/, web/dist, schema.graphql, src/examples/) are links
// to the originals, so paths made from import.meta.url lead where they do from src/.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { build } from "esbuild";

const root = new URL("../..", import.meta.url).pathname;

/** Transpiles src/ into a new folder and returns it; `remove` deletes it. */
export async function compileSource(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const cache = join(root, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, "graph-tests-"));
  const sources: string[] = [];
  const others: string[] = [];
  for (const entry of await readdir(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name));
    (path.endsWith(".ts") ? sources : others).push(path);
  }
  await build({
    entryPoints: sources.map((path) => join(root, path)),
    outdir: join(dir, "src"),
    outbase: join(root, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
  await Promise.all([
    // Below node_modules Node looks for no package.json above this one: the files are ES modules.
    writeFile(join(dir, "package.json"), '{ "type": "module" }\n'),
    ...["prisma", "web", "schema.graphql"].map((name) => symlink(join(root, name), join(dir, name))),
    ...others.map(async (path) => {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await symlink(join(root, path), join(dir, path));
    }),
  ]);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
