// Preloaded (NODE_OPTIONS=--import=<this file>) by tests that check which modules a process loads
// and in what order: each module's URL is appended to the file IMPORT_ORDER_FILE names as Node
// first resolves it. The same file is the preload (main thread) and the hooks (Node's hooks thread).
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

if (isMainThread) register(import.meta.url);

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.IMPORT_ORDER_FILE) appendFileSync(process.env.IMPORT_ORDER_FILE, `${resolved.url}\n`);
  return resolved;
}
