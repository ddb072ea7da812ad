import { defineConfig } from "vitest/config";

export default defineConfig({
  // Vite would pick graphql's ESM build for our files while Node hands the CommonJS one to Pothos and
  // Yoga: two graphql instances that refuse each other's types. Resolve to the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // UTC: pglite-prisma-adapter reads `timestamp` columns in the process's local time zone, so
    // Prisma's answers on PGlite shift with TZ while PostgreSQL's and the SQL reader's do not.
    env: { NODE_ENV: "test", TZ: "UTC" },
  },
});
