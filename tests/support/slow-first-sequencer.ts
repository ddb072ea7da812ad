// Runs the longest test files first, so the two workers finish together instead of one of them
// starting a 30-second file when every other file is done. vitest orders by the durations it cached
// from the last run, but a clean install (CI, `npm ci`) has no cache and it falls back to file size,
// which does not predict time here: the slow files are those that start processes or servers.
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Slowest first, as measured on PGlite (docs/operating.md, Tests), those that need no PGlite copy
 * ahead (they run while global-setup.ts builds it); the rest follow vitest's order.
 */
const slowest = [
  "tests/main.test.ts",
  "tests/faults/shutdown.test.ts",
  "tests/faults/redis.test.ts",
  "tests/bench/peers.test.ts",
  "tests/events/subscriptions.test.ts",
  "tests/data/generate/generate.test.ts",
  "tests/faults/postgres.test.ts",
  "tests/fuzz/fuzz.test.ts",
  "tests/data/ingest/ingest.test.ts",
  "tests/cli/token.test.ts",
  "tests/schema/mutations-merge.test.ts",
  "tests/operations/manifest.test.ts",
  "tests/statements.test.ts",
  "tests/data/bundle/export.test.ts",
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (file: TestSpecification) => `${file.project.name}:${relative(root, file.moduleId)}`;
    // With every file's duration from the last run, vitest's own order (longest first) is better informed.
    if (files.every((file) => this.ctx.cache.getFileTestResults(key(file)))) return super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = slowest.indexOf(relative(root, file.moduleId));
      return index < 0 ? slowest.length : index;
    };
    // A stable sort: the files not named keep vitest's order after those named.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
