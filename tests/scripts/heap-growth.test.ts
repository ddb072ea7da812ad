// `npm start` caps how far V8 lets the old generation grow between full collections
// (scripts/heap-growth.js): the factor V8 reports when it sets the next limit, in a real process.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { heapGrowingPercent } from "../../scripts/heap-growth.js";

const module = new URL("../../scripts/heap-growth.js", import.meta.url).href;

/** The growing factors V8 used for the old generation's limits in a process that calls limitHeapGrowth. */
function factorsIn(nodeArgs: string[]): number[] {
  const script = `const { limitHeapGrowth } = await import(${JSON.stringify(module)}); limitHeapGrowth(); gc(); gc();`;
  const run = spawnSync(
    process.execPath,
    [...nodeArgs, "--expose-gc", "--trace-gc-verbose", "--input-type=module", "-e", script],
    { encoding: "utf8" },
  );
  expect(run.status, run.stderr).toBe(0);
  return [...run.stdout.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d+)\)/g)].map((m) => Number(m[1]));
}

it("sets the old generation's limit at 1.5 times what is live after a full collection", () => {
  const factors = factorsIn([]);
  expect(factors.length).toBeGreaterThan(0);
  expect(factors.at(-1)).toBe(1 + heapGrowingPercent / 100);
});

it("leaves a factor given on Node's command line alone", () => {
  expect(factorsIn(["--heap-growing-percent=30"]).at(-1)).toBe(1.3);
});
