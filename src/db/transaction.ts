// A Prisma interactive transaction and the connection it holds. Prisma runs the generated queries;
// some statements go straight to that connection, in the same transaction: COPY, which Prisma has
// no way to send (bulk writes, src/writes/bulk-rows.ts), and the write path's hand-written
// statements, which cost about 300 µs less server CPU each there than through `$queryRaw` (which
// compiles every call anew in its WebAssembly query compiler and re-types every value).
//
// Prisma's transaction client does not expose its connection. On PostgreSQL the pg adapter checks
// one out of the pool as the transaction starts; its `startTransaction` is wrapped to note that
// connection in the async context `connectedTransaction` opened, so concurrent transactions each
// find their own. On PGlite (one session behind a mutex) it is the one open transaction, noted as
// pglite-prisma-adapter opens it through `transaction()`.
import { AsyncLocalStorage } from "node:async_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { driverParameters, readerParsers, readerTypes } from "./sql-reader.js";

/**
 * Sends `data`, rows in COPY's text format, into `target` (a table and its column list, quoted),
 * on the transaction's connection. Given as chunks, the rows are one COPY: on PostgreSQL each chunk
 * is made as the connection takes the one before, so Node writes the next rows while PostgreSQL
 * stores the last; PGlite, in this process, takes them all at once.
 */
export type CopyIn = (target: string, data: string | Iterable<string>) => Promise<void>;

/** What runs on a transaction's own connection. */
interface TxConnection {
  /** One statement; rows typed as `$queryRaw` types them (the SQL reader's parsers). */
  query<Row>(sql: Prisma.Sql): Promise<Row[]>;
  copy: CopyIn;
}

type Tx = Prisma.TransactionClient;

/** Per Prisma client: the connection of the transaction whose callback is running (called inside it). */
const openers = new WeakMap<PrismaClient, () => TxConnection>();
const connections = new WeakMap<Tx, TxConnection>();

/**
 * PostgreSQL: where `connectedTransaction` waits for the pool client its transaction starts on, and
 * learns that Prisma has begun to end it. Prisma ends a transaction that outlives its `timeout` on
 * its own, while the callback may still run: it sends `ROLLBACK` on the connection and returns it to
 * the pool. A statement sent after that would run outside the transaction (committed on its own),
 * or inside another's once the pool hands the connection on; none is sent once `ended`.
 */
interface Starting {
  client?: pg.PoolClient;
  ended?: boolean;
}
const starting = new AsyncLocalStorage<Starting>();

/**
 * The pg adapter, each transaction it starts noting its pool client for `connectedTransaction`.
 * adapter-pg 6.19 keeps that client in its transaction's (protected) `client` field.
 */
export function notingConnections(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await start(isolationLevel);
      const store = starting.getStore();
      if (store) {
        store.client = (transaction as unknown as { client: pg.PoolClient }).client;
        // Prisma ends a transaction by sending COMMIT or ROLLBACK through it, then commit() or rollback().
        const executeRaw = transaction.executeRaw.bind(transaction);
        transaction.executeRaw = (query) => {
          if (/^(COMMIT|ROLLBACK)\b/i.test(query.sql)) store.ended = true;
          return executeRaw(query);
        };
        for (const end of ["commit", "rollback"] as const) {
          const ending = transaction[end].bind(transaction);
          transaction[end] = () => {
            store.ended = true;
            return ending();
          };
        }
      }
      return transaction;
    };
    return adapter;
  };
  return factory;
}

/** PostgreSQL: statements and COPY on the pool client the running transaction noted. */
export function registerPgTransactions(
  prisma: PrismaClient,
  driverTypes: typeof pg.types,
  onQuery?: (sql: string) => void,
): void {
  const types = readerTypes(driverTypes);
  openers.set(prisma, () => {
    const store = starting.getStore();
    const client = store?.client;
    if (!store || !client || typeof client.query !== "function")
      throw new Error("The transaction's connection was not noted (src/db/transaction.ts): is the pg adapter wrapped?");
    // Checked as each statement is queued: one queued before Prisma's COMMIT or ROLLBACK runs before it.
    const open = () => {
      if (store.ended) throw new Error("The transaction has ended (it ran past its timeout?): nothing more is sent.");
    };
    return {
      async query<Row>(sql: Prisma.Sql) {
        open();
        onQuery?.(sql.text);
        return (await client.query({ text: sql.text, values: driverParameters(sql.values), types })).rows as Row[];
      },
      async copy(target, data) {
        // Imported on the first COPY: a server that never bulk-writes does not load it.
        const { from: copyFrom } = await import("pg-copy-streams");
        open();
        const sql = `COPY ${target} FROM STDIN`;
        onQuery?.(sql);
        await pipeline(Readable.from(typeof data === "string" ? [data] : data), client.query(copyFrom(sql)));
      },
    };
  });
}

/** PGlite: its one open transaction, noted as pglite-prisma-adapter opens it through `transaction()`. */
export function registerPgliteTransactions(
  prisma: PrismaClient,
  pglite: PGlite,
  onQuery?: (sql: string) => void,
): void {
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
  openers.set(prisma, () => {
    const tx = open;
    if (!tx) throw new Error("No PGlite transaction is open.");
    return {
      async query<Row>(sql: Prisma.Sql) {
        onQuery?.(sql.text);
        return (await tx.query<Row>(sql.text, driverParameters(sql.values), { parsers: readerParsers })).rows;
      },
      async copy(target, data) {
        const sql = `COPY ${target} FROM '/dev/blob'`;
        onQuery?.(sql);
        await tx.query(sql, [], { blob: new Blob(typeof data === "string" ? [data] : [...data]) });
      },
    };
  });
}

/**
 * A Prisma interactive transaction whose statements may also go to its connection (`txQuery`,
 * `copyChannel`). Every write runs in one: mutations (src/writes/run.ts) and bulk loads alike.
 */
export async function connectedTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: Tx) => Promise<T>,
  options: { timeout: number; maxWait: number },
): Promise<T> {
  const open = openers.get(prisma);
  if (!open) throw new Error("This Prisma client was not opened by openDatabase: it has no connection to note.");
  return starting.run({}, () =>
    prisma.$transaction(async (tx) => {
      connections.set(tx, open());
      return fn(tx);
    }, options),
  );
}

/**
 * One statement in the transaction `tx`, rows typed as `$queryRaw` types them: on its connection
 * when `connectedTransaction` opened it, else (a test's own `$transaction`, a plain client) through Prisma.
 */
export function txQuery<Row>(tx: Tx, sql: Prisma.Sql): Promise<Row[]> {
  const connection = connections.get(tx);
  return connection ? connection.query<Row>(sql) : tx.$queryRaw<Row[]>(sql);
}

export function copyChannel(tx: Tx): CopyIn {
  const connection = connections.get(tx);
  if (!connection)
    throw new Error("Bulk writes run in a connectedTransaction (src/db/transaction.ts): this one is not.");
  return connection.copy;
}
