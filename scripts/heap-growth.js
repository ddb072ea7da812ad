// How far V8 lets the server's old generation grow between two full collections. V8 sets the next
// limit to the live size times a factor of up to 4 on a machine with a 4 GB heap limit: the server's
// start leaves about 34 MB live, so the next full collection came at about 150 MB, and under load
// the old generation filled with promoted garbage up to it (resident 290-320 MB at the benchmark's
// peak, with about 35 MB of it alive). At 1.5 times the live size the peak under the same load was
// about 200 MB for a dozen more full collections in 35,000 requests (about 25 ms each), a cost lost
// in the requests' own; see docs/performance.md, "Memory and start-up".
// Plain JavaScript, checked by tsc through JSDoc: `npm start` (scripts/start.js) calls it first.
import { setFlagsFromString } from "node:v8";

/** The old generation's growth between full collections, in percent of what is live after one. */
export const heapGrowingPercent = 50;

/**
 * Sets V8's heap growing factor for this process, unless Node was started with one of its own
 * (`node --heap-growing-percent=N scripts/start.js`). V8 reads the flag each time it computes the
 * next limit, so setting it at run time takes effect from the next full collection on.
 * @param {readonly string[]} execArgv Node's own arguments (process.execArgv)
 */
export function limitHeapGrowth(execArgv = process.execArgv) {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
