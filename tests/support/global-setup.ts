// Once per test run: a migrated database and a migrated, seeded one, which every test graph copies
// instead of building its own (tests/support/graph.ts). On PGlite a copy is a dump loaded into a new
// in-memory cluster (no initdb, no migrations, no seed: 0.8 s instead of 4.5 s); on PostgreSQL it is
// a database created from a template.
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { readDefaultBundle } from "../../src/data/geography.js";
import { applySeed } from "../../src/data/seed.js";
import { openDatabase } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { compileSource } from "./compiled-source.js";
import { createScratchDatabase } from "./scratch-database.js";

/** Where the copies are: PGlite dumps (files) or PostgreSQL template databases (names). */
export interface TestSnapshots {
  dialect: "pglite" | "postgres";
  migrated: string;
  seeded: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    testSnapshots: TestSnapshots;
    /** src/ transpiled, for the processes tests start (tests/support/compiled-source.ts). */
    compiledSource: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const compiled = await compileSource();
  project.provide("compiledSource", compiled.dir);
  const databases = await setupDatabases(project);
  return async () => {
    await databases();
    await compiled.remove();
  };
}

async function setupDatabases(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  const bundle = await readDefaultBundle();
  if (databaseUrl) {
    const migrated = await createScratchDatabase(databaseUrl, "graph_template");
    const migratedDb = await openDatabase({ databaseUrl: migrated.url, poolSize: 1 });
    await migrate(migratedDb);
    await migratedDb.close();
    const seeded = await createScratchDatabase(databaseUrl, "graph_template", migrated.name);
    const seededDb = await openDatabase({ databaseUrl: seeded.url, poolSize: 1 });
    await applySeed(seededDb.prisma, bundle);
    await seededDb.close();
    project.provide("testSnapshots", { dialect: "postgres", migrated: migrated.name, seeded: seeded.name });
    return async () => {
      await Promise.all([migrated.drop(), seeded.drop()]);
    };
  }
  // Built while the first files run: those that need no copy (npm start's test, the fault tests, the
  // pure ones) start at once instead of waiting seconds for it; a test graph waits for its file
  // (tests/support/graph.ts), which appears whole (written aside, then renamed).
  const dir = await mkdtemp(join(tmpdir(), "graph-test-snapshots-"));
  const migrated = join(dir, "migrated.tar");
  const seeded = join(dir, "seeded.tar");
  const building = (async () => {
    const db = await openDatabase({ dataDir: "memory://" });
    try {
      const dump = async (file: string) => {
        const blob = await db.dumpDataDir!();
        await writeFile(`${file}.part`, Buffer.from(await blob.arrayBuffer()));
        await rename(`${file}.part`, file);
      };
      await migrate(db);
      await dump(migrated);
      await applySeed(db.prisma, bundle);
      await dump(seeded);
    } finally {
      await db.close();
    }
  })().catch((error: unknown) =>
    // Every test graph waiting for a copy fails with this, instead of waiting for a file that never comes.
    writeFile(snapshotFailure(dir), error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  project.provide("testSnapshots", { dialect: "pglite", migrated, seeded });
  return async () => {
    await building;
    await rm(dir, { recursive: true, force: true });
  };
}

/** The file that holds why the PGlite copies could not be built. */
export const snapshotFailure = (dir: string) => join(dir, "failed.txt");
