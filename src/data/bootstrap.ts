// Brings a database to the current schema and, when it holds no entities yet, loads the seed graph.
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Bundle as SeedBundle } from "./bundle/schema.js";
import type { SeedStats } from "./seed.js";

export interface PrepareResult {
  migrationsApplied: string[];
  seeded: SeedStats | null;
}

/**
 * The seed graph, read and validated (geography, gazetteer, the seed's articles: about a second of
 * CPU). A start that knows its database is new (an empty PGlite folder, src/main.ts) reads it while
 * the database is being made, and hands it to `prepareDatabase`.
 */
export async function readSeedGraph(): Promise<SeedBundle> {
  const { readDefaultBundle } = await import("./geography.js");
  return readDefaultBundle();
}

export interface PrepareOptions {
  /** The seed graph if already being read; read here when the database turns out to be empty. */
  seed?: Promise<SeedBundle>;
}

export async function prepareDatabase(
  db: Database,
  log: (line: string) => void = () => {},
  options: PrepareOptions = {},
): Promise<PrepareResult> {
  const { applied } = await migrate(db, (name) => log(`Applying migration ${name}`));
  // Through the SQL reader, not Prisma: a start that finds its data loads neither Prisma's query
  // compiler nor the seed's modules (geography, gazetteer, bundle validation) before it serves.
  const [graph] = await db.sql.query<{ empty: boolean }>(
    Prisma.sql`SELECT NOT EXISTS (SELECT 1 FROM "Entity") AS empty`,
  );
  if (!graph?.empty) return { migrationsApplied: applied, seeded: null };
  log("Empty database: loading the seed graph");
  const [bundle, { applySeed }] = await Promise.all([options.seed ?? readSeedGraph(), import("./seed.js")]);
  const seeded = await applySeed(db.prisma, bundle);
  return { migrationsApplied: applied, seeded };
}
