// How far V8 lets the server's old generation grow between two full collections. V8 sets the next
// limit to the live size times a factor of up to 4 on a machine with a 4 GB heap limit: the server's
// start leaves about 34 MB live, so the next full collection came at about 150 MB, and under load
// the old generation filled with promoted garbage up to it (resident 290-320 MB at the benchmark's
// peak, with about 45 MB of it alive). At twice the live size the peak under the same load was
// 225-229 MB; at 1.5 times about 200 MB, but the lookups, which allocate fastest, then spent
// visibly more CPU per request on marking. See docs/performance.md, "Memory and start-up".
// Plain JavaScript, checked by tsc through JSDoc: `npm start` (scripts/start.js) calls it once the
// service is up. Set before, the factor made the start itself collect more often (5 or 6 full
// collections instead of 3, about 0.4 s more CPU at 1.5).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** The old generation's growth between full collections, in percent of what is live after one. */
export const heapGrowingPercent = 100;

/**
 * Sets V8's heap growing factor for this process and collects once, so that the limit the factor
 * gives replaces the one the start's last collection set; unless Node was started with a factor of
 * its own (`node --heap-growing-percent=N scripts/start.js`), which then applied from the start.
 * V8 reads the flag each time a full collection computes the next limit.
 * @param {readonly string[]} execArgv Node's own arguments (process.execArgv)
 */
export function limitHeapGrowth(execArgv = process.execArgv) {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
  // The one way to ask for a full collection without starting Node with --expose-gc: the flag
  // exposes `gc` to contexts made after it, and is turned off again once this one has it.
  setFlagsFromString("--expose-gc");
  const collect = /** @type {() => void} */ (runInNewContext("gc"));
  setFlagsFromString("--no-expose-gc");
  collect();
}
