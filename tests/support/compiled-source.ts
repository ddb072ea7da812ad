// src/ bundled once a run, for the processes tests start (the service and the command-line tools), by
// the same code as `npm start`'s copy (scripts/compiled-source.js), in a folder of the run's own under
// node_modules/.cache.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { compileSource as compileInto, projectRoot } from "../../scripts/compiled-source.js";

/** Bundles src/ into a new folder and returns it; `remove` deletes it. */
export async function compileSource(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const cache = join(projectRoot, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, "graph-tests-"));
  await compileInto(dir, projectRoot, { tools: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
