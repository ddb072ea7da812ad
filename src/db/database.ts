// One database handle for the whole process: the Prisma client over a driver adapter, plus a raw
// script runner for migrations. PGlite (embedded, in a folder or in memory) unless a PostgreSQL
// URL is given; the same schema, migrations and queries serve both.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { PrismaClient } from "../generated/prisma/client.js";
import { throttledWarning } from "../log.js";
import { lockDataDir } from "./data-dir-lock.js";
import { initdbInWorker, type NewCluster } from "./initdb-worker.js";
import type { SqlReader } from "./sql-reader.js";

export type Dialect = "pglite" | "postgres";

export interface Database {
  prisma: PrismaClient;
  /** Hand-written read SQL, straight to the driver (see sql-reader.ts). */
  sql: SqlReader;
  dialect: Dialect;
  /** Runs a multi-statement SQL script (a migration) outside Prisma's prepared statements. */
  execScript(sql: string): Promise<void>;
  /** Whether the database answers a trivial statement within `timeoutMs` (readiness). */
  ping(timeoutMs?: number): Promise<boolean>;
  /** The connection pools' use now (PostgreSQL server only; PGlite has none). */
  pools(): PoolStats[];
  /** PGlite only: the whole cluster as a tarball, for `loadDataDir` (tests copy one seeded database). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** What the read paths of the API need: Prisma for generated queries, the reader for hand-written SQL. */
export type GraphDatabase = Pick<Database, "prisma" | "sql">;

/** What the server needs besides: a readiness probe and the pools' use (metrics). */
export type ServedDatabase = GraphDatabase & Pick<Database, "ping" | "pools">;

export interface PoolStats {
  name: string;
  total: number;
  idle: number;
  waiting: number;
}

export interface DatabaseOptions {
  /** A postgresql:// URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** PGlite folder, or "memory://" for a throwaway database. */
  dataDir?: string;
  /** Called with every SQL statement sent (statement counting in tests and benchmarks). */
  onQuery?: (sql: string) => void;
  /** Connections per pool: one for Prisma and ad-hoc SQL, one for prepared reads (sql-reader.ts). */
  poolSize?: number;
  /** PostgreSQL's `statement_timeout` on every connection, in ms (0: none). PGlite cannot interrupt a statement. */
  statementTimeoutMs?: number;
  /** PGlite only: start from this dump (`dumpDataDir`) instead of an empty cluster, skipping initdb. */
  loadDataDir?: Blob;
  /** PGlite only: its `shared_buffers` (PostgreSQL's units, e.g. "32MB"); see `pgliteSharedBuffers`. */
  sharedBuffers?: string;
  /**
   * PGlite only: the cluster for an empty folder, being made already (`initdbInWorker`, begun before
   * the folder is touched). Without it an empty folder's cluster is made here, also in a worker.
   */
  cluster?: Promise<NewCluster>;
}

/**
 * PGlite's page cache. PostgreSQL's default of 128 MB lives inside PGlite's WebAssembly memory, so
 * once touched it stays resident in this process for good: about 100 MB of the server's memory on
 * the seed graph (34 MB of tables and indexes). With 32 MB, pages beyond it come from the operating
 * system's file cache: reading every table of the seed graph took 1.1 to 1.3 times as long, once, and
 * requests read far less than that. A larger imported graph may want more (PGLITE_SHARED_BUFFERS,
 * docs/operating.md).
 */
export const pgliteSharedBuffers = "32MB";

/** How long a request waits for a connection before the database counts as unreachable. */
const connectTimeoutMs = 2_000;
const warn = throttledWarning();

/**
 * A pool that survives its server: a connection that dies while idle (a restart, a failover,
 * `pg_terminate_backend`) is an `error` event on the pool, which without a listener ends the
 * process. The pool drops that connection and opens a new one when next asked.
 */
function resilientPool(Pool: typeof pg.Pool, config: pg.PoolConfig, role: string): pg.Pool {
  const pool = new Pool({ connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, ...config });
  pool.on("error", (error: Error & { code?: string }) =>
    warn(`pool:${role}`, `PostgreSQL dropped an idle connection (${role} pool); it will reconnect when asked`, {
      code: error.code,
      error: error.message,
    }),
  );
  return pool;
}

function poolStats(name: string, pool: pg.Pool): PoolStats {
  return { name, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

async function answersWithin(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([
      probe().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Prisma's generated client, the SQL reader and the transactions' connections, imported as a
 * database opens rather than with this module: src/main.ts imports it to begin opening the database
 * first thing, and Prisma's runtime loads meanwhile instead of before.
 */
const clientModules = () =>
  Promise.all([import("../generated/prisma/client.js"), import("./sql-reader.js"), import("./transaction.js")]);

function createClient(
  { PrismaClient }: typeof import("../generated/prisma/client.js"),
  adapter: SqlDriverAdapterFactory,
  onQuery?: (sql: string) => void,
): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ level: "query" as const, emit: "event" as const }] });
  prisma.$on("query", (event) => onQuery(event.query));
  return prisma;
}

/** A throwaway PGlite database, held in memory ("memory://…"), not a folder. */
export const isInMemory = (dataDir: string) => dataDir.startsWith("memory://");

/** Whether a PGlite folder holds a database cluster yet (initdb has run in it). */
export function hasCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    // Imported only here, as PGlite's are below: node-postgres and its Prisma adapter (about 50 module
    // files) are not loaded by a start on the embedded database.
    const [
      { default: pg },
      { PrismaPg },
      [prismaClient, { pgReader, preparedPoolOptions }, { notingConnections, registerPgTransactions }],
    ] = await Promise.all([import("pg"), import("@prisma/adapter-pg"), clientModules()]);
    const max = options.poolSize ?? 10;
    const statement_timeout = options.statementTimeoutMs || undefined;
    const pool = resilientPool(pg.Pool, { connectionString: options.databaseUrl, max, statement_timeout }, "main");
    const prepared = resilientPool(
      pg.Pool,
      { ...preparedPoolOptions(options.databaseUrl), max, statement_timeout },
      "prepared",
    );
    const prisma = createClient(prismaClient, notingConnections(new PrismaPg(pool)), options.onQuery);
    registerPgTransactions(prisma, pg.types, options.onQuery);
    return {
      prisma,
      sql: pgReader({ pool, prepared }, pg.types, options.onQuery),
      dialect: "postgres",
      async execScript(sql) {
        await pool.query(sql);
      },
      ping: (timeoutMs = connectTimeoutMs) => answersWithin(() => pool.query("SELECT 1"), timeoutMs),
      pools: () => [poolStats("main", pool), poolStats("prepared", prepared)],
      async close() {
        await prisma.$disconnect();
        await Promise.all([pool.end(), prepared.end()]);
      },
    };
  }
  const dataDir = options.dataDir ?? "./data";
  const inMemory = isInMemory(dataDir);
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  // A folder without a cluster: initdb starts now on another thread (initdb-worker.ts), before this
  // one loads PGlite, while the caller goes on loading the service.
  const cluster =
    options.loadDataDir || inMemory || hasCluster(dataDir) ? undefined : (options.cluster ?? initdbInWorker());
  cluster?.catch(() => {}); // awaited below; a failure is reported there, not as an unhandled rejection
  // Imported only here: PGlite's module and its adapter hold about 30 MB that a server on PostgreSQL never uses.
  const [{ PGlite }, { PrismaPGlite }, { pgliteExtensions }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("pglite-prisma-adapter"),
    import("./pglite-extensions.js"),
  ]).catch((error: unknown) => {
    unlock();
    throw error;
  });
  let pglite: PGlite;
  let client: Awaited<ReturnType<typeof clientModules>>;
  try {
    const made = await cluster;
    const opening = PGlite.create(dataDir, {
      extensions: pgliteExtensions,
      loadDataDir: options.loadDataDir ?? made?.tarball,
      pgliteWasmModule: made?.pgliteWasmModule,
      startParams: [
        ...PGlite.defaultStartParams,
        "-c",
        `shared_buffers=${options.sharedBuffers ?? pgliteSharedBuffers}`,
      ],
    });
    // Prisma's client loads while PGlite reads its files and compiles its WebAssembly on V8's threads.
    [pglite, client] = await Promise.all([opening, clientModules()]);
  } catch (error) {
    unlock();
    throw error;
  }
  // pglite-prisma-adapter 0.6 bundles its own copy of the adapter interface types; they match at runtime.
  const [prismaClient, { pgliteReader }, { registerPgliteTransactions }] = client;
  const prisma = createClient(
    prismaClient,
    new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory,
    options.onQuery,
  );
  registerPgliteTransactions(prisma, pglite, options.onQuery);
  return {
    prisma,
    sql: pgliteReader(pglite, options.onQuery),
    dialect: "pglite",
    async execScript(sql) {
      await pglite.exec(sql);
    },
    ping: (timeoutMs = connectTimeoutMs) => answersWithin(() => pglite.query("SELECT 1"), timeoutMs),
    pools: () => [],
    dumpDataDir: () => pglite.dumpDataDir("none"),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}
