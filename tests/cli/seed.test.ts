// npm run db:seed against a PostgreSQL server that has no database of the name given: it creates
// it, migrates and seeds it, and a second run changes nothing (the README's PostgreSQL set-up).
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../support/graph.js";
import { runScript } from "../support/processes.js";
import { dropDatabase } from "../support/scratch-database.js";

const name = `graph_cli_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const url = testDatabaseUrl ? Object.assign(new URL(testDatabaseUrl), { pathname: `/${name}` }).toString() : "";

afterAll(async () => {
  if (testDatabaseUrl) await dropDatabase(testDatabaseUrl, name);
});

describe.skipIf(!testDatabaseUrl)(
  `npm run db:seed on a PostgreSQL server${testDatabaseUrl ? "" : " (skipped: needs TEST_DATABASE_URL, the PostgreSQL pass)"}`,
  () => {
    it("creates the database it is pointed at, then migrates and seeds it; a second run changes nothing", async () => {
      const env = { ...process.env, DATABASE_URL: url };
      const first = await runScript("src/cli/seed.ts", [], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain(`Created database "${name}".`);
      expect(first.stdout).toMatch(/Seed graph loaded: \d+ row\(s\) created or updated\./);

      const second = await runScript("src/cli/seed.ts", [], env);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).not.toContain("Created database");
      expect(second.stdout).toContain("Seed graph already up to date: nothing changed.");
    }, 120_000);
  },
);
