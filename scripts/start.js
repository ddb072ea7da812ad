// `npm start`: the service from a bundle of src/ and its packages (scripts/compiled-source.js), made
// anew when src/ changed since the last start, so an edit takes effect as it did under tsx, and reused
// otherwise. One process, no loader hooks, a few dozen module files instead of a thousand: a later
// start takes under half the CPU time and the server holds about 40 MB less than under `tsx
// src/main.ts`. `npm run dev` still runs tsx in watch mode.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { currentCompiledSource, projectRoot } from "./compiled-source.js";
import { limitHeapGrowth } from "./heap-growth.js";

// Errors' stack traces point into src/*.ts, as they did under tsx.
process.setSourceMapsEnabled(true);

/** @type {string | null} */
let dir = null;
try {
  dir = await currentCompiledSource();
} catch (error) {
  // A read-only node_modules (a locked-down container) cannot take a new copy: run src/ through tsx.
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM") throw error;
  process.stderr.write(
    `node_modules/.cache is not writable (${code}): running src/ through tsx; run npm start once where it is writable to make the copy\n`,
  );
}
if (dir) {
  await import(pathToFileURL(join(dir, "src", "main.js")).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(projectRoot, "src", "main.ts")).href);
}
// The service is listening. A second on, when Prisma has loaded its query compiler, the old
// generation's limit is set from what is live then (its one full collection, tens of milliseconds).
setTimeout(() => limitHeapGrowth(), 1_000).unref();
