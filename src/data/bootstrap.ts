// Brings a database to the current schema and, when it holds no entities yet, loads the seed graph.
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { readDefaultBundle } from "./geography.js";
import { applySeed, type SeedStats } from "./seed.js";

export interface PrepareResult {
  migrationsApplied: string[];
  seeded: SeedStats | null;
}

export async function prepareDatabase(db: Database, log: (line: string) => void = () => {}): Promise<PrepareResult> {
  const { applied } = await migrate(db, (name) => log(`Applying migration ${name}`));
  if ((await db.prisma.entity.count()) > 0) return { migrationsApplied: applied, seeded: null };
  log("Empty database: loading the seed graph");
  const seeded = await applySeed(db.prisma, await readDefaultBundle());
  return { migrationsApplied: applied, seeded };
}
