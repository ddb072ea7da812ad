// Applies prisma/migrations in order, in-process, recording each in Prisma's own
// `_prisma_migrations` table so that `prisma migrate status/deploy` agree with it. In-process,
// because an in-memory PGlite (tests) or a running server's PGlite cannot be reached by the CLI.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Prisma } from "../generated/prisma/client.js";
import type { Database } from "./database.js";

export const migrationsDir = new URL("../../prisma/migrations/", import.meta.url).pathname;

const ledger = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(db: Database, onApply?: (name: string) => void): Promise<MigrationResult> {
  // Every start asks; nearly every start finds them all recorded. So the ledger is read first, through
  // the SQL reader: no DDL and no Prisma call, whose query compiler (about a second of a start to
  // load) then waits for the first request that needs it. The ledger is created only to record one.
  const [ledgerExists] = await db.sql.query<{ present: boolean }>(
    Prisma.sql`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
  );
  const done = ledgerExists?.present
    ? await db.sql.query<{ migration_name: string; checksum: string }>(Prisma.sql`
        SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
    : [];
  const doneByName = new Map(done.map((row) => [row.migration_name, row.checksum]));
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  const applied: string[] = [];
  for (const name of names) {
    const sql = await readFile(join(migrationsDir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const previous = doneByName.get(name);
    if (previous !== undefined) {
      if (previous !== checksum)
        throw new Error(`Migration ${name} was edited after it was applied (checksum differs).`);
      continue;
    }
    if (!applied.length) await db.execScript(ledger);
    onApply?.(name);
    // The script and its ledger row commit together: a failed migration leaves nothing behind.
    await db.execScript(`BEGIN;\n${sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
      VALUES ('${randomUUID()}', '${checksum}', '${name.replaceAll("'", "''")}', now(), 1);\nCOMMIT;`);
    applied.push(name);
  }
  return { applied, alreadyApplied: names.length - applied.length };
}
