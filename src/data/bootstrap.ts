// Brings a database to the current schema and, when it holds no entities yet, loads the seed graph.
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { Prisma } from "../generated/prisma/client.js";
import type { SeedStats } from "./seed.js";

export interface PrepareResult {
  migrationsApplied: string[];
  seeded: SeedStats | null;
}

export async function prepareDatabase(db: Database, log: (line: string) => void = () => {}): Promise<PrepareResult> {
  const { applied } = await migrate(db, (name) => log(`Applying migration ${name}`));
  // Through the SQL reader, not Prisma: a start that finds its data loads neither Prisma's query
  // compiler nor the seed's modules (geography, gazetteer, bundle validation) before it serves.
  const [graph] = await db.sql.query<{ empty: boolean }>(
    Prisma.sql`SELECT NOT EXISTS (SELECT 1 FROM "Entity") AS empty`,
  );
  if (!graph?.empty) return { migrationsApplied: applied, seeded: null };
  log("Empty database: loading the seed graph");
  const [{ readDefaultBundle }, { applySeed }] = await Promise.all([import("./geography.js"), import("./seed.js")]);
  const seeded = await applySeed(db.prisma, await readDefaultBundle());
  return { migrationsApplied: applied, seeded };
}
