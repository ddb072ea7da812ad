// npm run db:migration:new -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql, the SQL
// that takes prisma/schema.prisma as it stood when the latest migration was committed to the schema
// as it is now. (With a driver adapter configured, the Prisma CLI diffs schema files, not databases.)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrationsDir } from "../db/migrate.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration:new -- <snake_case_name>");
  process.exit(2);
}
const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
const lastMigrationCommit = git("log", "-1", "--format=%H", "--", "prisma/migrations");
const scratch = mkdtempSync(join(tmpdir(), "migration-diff-"));
const before = join(scratch, "schema.prisma");
writeFileSync(before, git("show", `${lastMigrationCommit}:prisma/schema.prisma`));
const diff = spawnSync(
  "npx",
  [
    "prisma",
    "migrate",
    "diff",
    "--from-schema-datamodel",
    before,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  // A fresh DATA_DIR: the CLI opens the configured PGlite folder and, for a diff, never closes it.
  {
    env: { ...process.env, DATA_DIR: join(scratch, "db"), DATABASE_URL: "", CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 120_000,
  },
);
rmSync(scratch, { recursive: true, force: true });
if (diff.status !== 0 || !diff.stdout) {
  console.error(diff.stderr || diff.error?.message);
  process.exit(1);
}
if (/^-- This is an empty migration\.\s*$/.test(diff.stdout.trim())) {
  console.log("The schema matches the latest migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), diff.stdout);
console.log(`Wrote ${join(dir, "migration.sql")}; review it, then npm run db:migrate.`);
