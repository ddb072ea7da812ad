// COPY ... FROM STDIN inside a Prisma interactive transaction. Prisma has no COPY, and its
// transaction client does not expose the connection it runs on, so the database registers, for its
// Prisma client, how to find that connection: on PostgreSQL the pool's client whose backend pid the
// transaction reports (pg-copy-streams then streams into it), on PGlite the one open transaction
// (PGlite is a single session behind a mutex; `COPY ... FROM '/dev/blob'` reads a Blob passed with
// the query). Bulk writes (src/writes/bulk-rows.ts) run in `bulkTransaction`, so their rows go in
// through COPY in the same transaction as everything else they do: all or nothing still holds.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/**
 * Sends `data`, rows in COPY's text format, into `target` (a table and its column list, quoted),
 * on the transaction's connection. Given as chunks, the rows are one COPY: on PostgreSQL each chunk
 * is made as the connection takes the one before, so Node writes the next rows while PostgreSQL
 * stores the last; PGlite, in this process, takes them all at once.
 */
export type CopyIn = (target: string, data: string | Iterable<string>) => Promise<void>;

type Finder = (tx: Prisma.TransactionClient) => Promise<CopyIn>;

const finders = new WeakMap<PrismaClient, Finder>();
const channels = new WeakMap<Prisma.TransactionClient, CopyIn>();

/** PostgreSQL: the pool's connections, found again by the backend pid a transaction reports. */
export function registerPgCopy(prisma: PrismaClient, pool: pg.Pool, onQuery?: (sql: string) => void): void {
  const clients = new Set<pg.PoolClient>();
  pool.on("connect", (client) => clients.add(client));
  pool.on("remove", (client) => clients.delete(client as pg.PoolClient));
  finders.set(prisma, async (tx) => {
    const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    // pg sets processID from the server's BackendKeyData; @types/pg leaves it out.
    const client = [...clients].find((c) => (c as pg.PoolClient & { processID?: number }).processID === row?.pid);
    if (!client) throw new Error(`No pooled connection has backend pid ${row?.pid}: cannot COPY in this transaction.`);
    // Imported on the first COPY: a server that never bulk-writes does not load it.
    const { from: copyFrom } = await import("pg-copy-streams");
    return async (target, data) => {
      const sql = `COPY ${target} FROM STDIN`;
      onQuery?.(sql);
      await pipeline(Readable.from(typeof data === "string" ? [data] : data), client.query(copyFrom(sql)));
    };
  });
}

/** PGlite: its one open transaction, noted as pglite-prisma-adapter opens it through `transaction()`. */
export function registerPgliteCopy(prisma: PrismaClient, pglite: PGlite, onQuery?: (sql: string) => void): void {
  let open: Transaction | null = null;
  const transaction = pglite.transaction.bind(pglite);
  // An own property over the prototype's method: the adapter calls `pglite.transaction(...)`, and
  // PGlite's mutex means at most one callback runs at a time, so `open` is the transaction.
  pglite.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction(async (tx) => {
      open = tx;
      try {
        return await callback(tx);
      } finally {
        open = null;
      }
    });
  finders.set(prisma, async () => {
    const tx = open;
    if (!tx) throw new Error("No PGlite transaction is open: cannot COPY outside one.");
    return async (target, data) => {
      const sql = `COPY ${target} FROM '/dev/blob'`;
      onQuery?.(sql);
      await tx.query(sql, [], { blob: new Blob(typeof data === "string" ? [data] : [...data]) });
    };
  });
}

/** A Prisma interactive transaction in which the bulk writer can COPY (`copyChannel(tx)`). */
export async function bulkTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: { timeout: number; maxWait: number },
): Promise<T> {
  const finder = finders.get(prisma);
  if (!finder) throw new Error("This Prisma client was not opened by openDatabase: it has no COPY channel.");
  return prisma.$transaction(async (tx) => {
    channels.set(tx, await finder(tx));
    return fn(tx);
  }, options);
}

export function copyChannel(tx: Prisma.TransactionClient): CopyIn {
  const channel = channels.get(tx);
  if (!channel) throw new Error("Bulk writes run in a bulkTransaction (src/db/copy.ts): this one has no COPY channel.");
  return channel;
}
