// `npm start` caps how far V8 lets the old generation grow between full collections
// (scripts/heap-growth.js): the factor V8 reports when it sets the next limit, in a real process.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { heapGrowingPercent } from "../../scripts/heap-growth.js";

const module = new URL("../../scripts/heap-growth.js", import.meta.url).href;

/** The growing factors V8 used for the old generation's limits while `code` ran after limitHeapGrowth(). */
function factorsIn(nodeArgs: string[], code = ""): number[] {
  const script = `const { limitHeapGrowth } = await import(${JSON.stringify(module)}); limitHeapGrowth(); ${code}`;
  const run = spawnSync(process.execPath, [...nodeArgs, "--trace-gc-verbose", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return [...run.stdout.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d+)\)/g)].map((m) => Number(m[1]));
}

it("collects once and sets the old generation's limit at twice what is live", () => {
  // No collection of the process's own: a start's last one set the limit, this one replaces it.
  expect(factorsIn([]).at(-1)).toBe(1 + heapGrowingPercent / 100);
});

it("does not leave gc() exposed to contexts made later", () => {
  expect(
    factorsIn(
      [],
      `import("node:vm").then((vm) => { if (vm.runInNewContext("typeof gc") !== "undefined") process.exit(3); });`,
    ).length,
  ).toBeGreaterThan(0);
});

it("leaves a factor given on Node's command line alone", () => {
  expect(factorsIn(["--heap-growing-percent=30", "--expose-gc"], "gc();").at(-1)).toBe(1.3);
});
