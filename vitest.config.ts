import { defineConfig } from "vitest/config";

export default defineConfig({
  // Vite would pick graphql's ESM build for our files while Node hands the CommonJS one to Pothos and
  // Yoga: two graphql instances that refuse each other's types. Resolve to the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }] },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
  },
});
