// An empty PGlite folder gets its cluster from initdb run on another thread (src/db/initdb-worker.ts),
// so that the main thread loads the service meanwhile; a folder that holds one is opened as it is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";

const made = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/db/initdb-worker.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/db/initdb-worker.js")>();
  return {
    ...original,
    initdbInWorker: () => {
      made.count++;
      return original.initdbInWorker();
    },
  };
});

const { hasCluster, openDatabase } = await import("../../src/db/database.js");
const { migrate } = await import("../../src/db/migrate.js");

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

it("makes no cluster in a worker for an in-memory database or a given dump", async () => {
  const memory = await openDatabase({ dataDir: "memory://" });
  const dump = await memory.dumpDataDir!();
  await memory.close();
  const other = mkdtempSync(join(tmpdir(), "graph-new-cluster-"));
  try {
    const loaded = await openDatabase({ dataDir: other, loadDataDir: dump });
    await loaded.close();
    expect(made.count).toBe(1);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});
