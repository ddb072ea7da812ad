// An empty PGlite folder gets its cluster from initdb run on another thread (src/db/initdb-worker.ts),
// so that the main thread loads the service meanwhile; a folder that holds one is opened as it is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { hasCluster, openDatabase } from "../../src/db/database.js";
import { initdbInWorker } from "../../src/db/initdb-worker.js";
import { migrate } from "../../src/db/migrate.js";
import { Prisma } from "../../src/generated/prisma/client.js";

// Node announces every worker thread this process starts.
const made = { count: 0 };
process.on("worker", () => made.count++);

const dataDir = mkdtempSync(join(tmpdir(), "graph-new-cluster-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("makes an empty folder's cluster in a worker, once, and opens it as PGlite's own afterwards", async () => {
  expect(hasCluster(dataDir)).toBe(false);
  const first = await openDatabase({ dataDir });
  try {
    expect(made.count).toBe(1);
    expect(hasCluster(dataDir)).toBe(true);
    // A whole cluster: migrations (the trigram extension, functions, indexes) run on it, and it
    // answers as PGlite's own initdb would have made it.
    await migrate(first);
    const [row] = await first.sql.query<{ encoding: string; collate: string; db: string }>(Prisma.sql`
      SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, current_database() AS db
      FROM pg_database WHERE datname = current_database()`);
    expect(row).toEqual({ encoding: "UTF8", collate: "C", db: "postgres" });
    await first.execScript(
      `INSERT INTO "RelationType" (key, label, "inverseLabel", description) VALUES ('kept', 'k', 'k', 'k')`,
    );
  } finally {
    await first.close();
  }

  const later = await openDatabase({ dataDir });
  try {
    expect(made.count).toBe(1);
    const kept = await later.sql.query<{ key: string }>(Prisma.sql`SELECT key FROM "RelationType" WHERE key = 'kept'`);
    expect(kept).toEqual([{ key: "kept" }]);
  } finally {
    await later.close();
  }
});

it("makes no cluster of its own for an in-memory database, a given dump or a cluster being made", async () => {
  const memory = await openDatabase({ dataDir: "memory://" });
  const dump = await memory.dumpDataDir!();
  await memory.close();
  const other = mkdtempSync(join(tmpdir(), "graph-new-cluster-"));
  try {
    const loaded = await openDatabase({ dataDir: other, loadDataDir: dump });
    await loaded.close();
    expect(made.count).toBe(1);
    // src/main.ts begins the cluster of a new folder before anything else loads, and opens the folder later.
    const fresh = join(other, "fresh");
    const cluster = initdbInWorker();
    await cluster;
    expect(hasCluster(fresh)).toBe(false);
    const opened = await openDatabase({ dataDir: fresh, cluster });
    await opened.close();
    expect(made.count).toBe(2);
    expect(hasCluster(fresh)).toBe(true);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
