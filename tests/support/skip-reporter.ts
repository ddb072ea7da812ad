// Names every skipped test at the end of a run, so a skip is never silent: a skipped test's title
// says why it was skipped (what it needs and how to get it).
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export default class SkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = testModules.flatMap((module) =>
      [...module.children.allTests("skipped")].map(
        (test) => `  ${relative(process.cwd(), module.moduleId)} > ${test.fullName}`,
      ),
    );
    if (skipped.length) console.log(`\nSkipped (${skipped.length}), each title saying why:\n${skipped.join("\n")}\n`);
  }
}
