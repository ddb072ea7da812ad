import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./tests/support/slow-first-sequencer.js";

export default defineConfig({
  // Vite would pick graphql's ESM build for our files while Node hands the CommonJS one to Pothos and
  // Yoga: two graphql instances that refuse each other's types. Resolve to the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["tests/**/*.test.ts"],
    // One migrated, seeded database per run, copied by every test graph (tests/support/graph.ts).
    globalSetup: ["tests/support/global-setup.ts"],
    // What a passing test logs (the service's warnings on bad input it is made to refuse) is noise; a
    // failing test's logs are printed with its failure.
    silent: "passed-only",
    // Two files at a time, on two cores too: much of a file's time is spent waiting (child processes
    // starting, PostgreSQL answering), not computing.
    maxWorkers: 2,
    // Files share a worker's module cache: the schema and the Prisma client are built once per worker,
    // not once per file. No test changes a module's state for the next; each opens its own database.
    isolate: false,
    // The slowest files first, even on a clean install with no durations cached from a last run.
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ["default", "./tests/support/skip-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // UTC: pglite-prisma-adapter reads `timestamp` columns in the process's local time zone, so
    // Prisma's answers on PGlite shift with TZ while PostgreSQL's and the SQL reader's do not.
    env: { NODE_ENV: "test", TZ: "UTC" },
  },
});
