// A real service for one test file: a fresh database (in-memory PGlite, or a new PostgreSQL database
// when TEST_DATABASE_URL is set), migrated and seeded, behind the Yoga app, with every SQL statement
// recorded so tests can count them.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { connect } from "node:net";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { readDefaultBundle } from "../../src/data/geography.js";
import { applySeed } from "../../src/data/seed.js";
import { createServer, type GraphServer, type ServerOptions } from "../../src/server.js";
import { createToken } from "../../src/auth/tokens.js";
import { snapshotFailure } from "./global-setup.js";
import { createScratchDatabase } from "./scratch-database.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const dialectUnderTest = testDatabaseUrl ? "postgres" : "pglite";
/**
 * Redis for the multi-instance tests: they run with the PostgreSQL pass, as deployments pair the two,
 * and are skipped, saying so, when no Redis answers.
 */
export const testRedisUrl = await reachableRedis(
  process.env.TEST_REDIS_URL || (testDatabaseUrl ? "redis://127.0.0.1:6379" : undefined),
);

async function reachableRedis(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 1_000 });
    const settle = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once("connect", () => settle(true));
    socket.once("error", () => settle(false));
    socket.once("timeout", () => settle(false));
  });
  if (reachable) return url;
  console.warn(`SKIPPED: the Redis-backed tests; nothing answers at ${url}.`);
  return undefined;
}

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export interface TestGraph {
  db: Database;
  yoga: GraphServer;
  /** SQL statements sent since the last `resetStatements()`. */
  statements: string[];
  resetStatements(): void;
  query<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<Data>>;
  /** Creates an API token with these scopes (a fresh name unless given) and returns the bearer string. */
  token(scopes: string[], name?: string): Promise<string>;
  close(): Promise<void>;
}

/** POSTs one GraphQL request to a Yoga server in process, as a client would over HTTP. */
export async function queryServer<Data = Record<string, any>>(
  yoga: GraphServer,
  query: string,
  variables?: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<GraphQLResponse<Data>> {
  const response = await yoga.fetch("http://graph.test/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

export interface TestGraphOptions {
  seed?: boolean;
  /** Passed to `createServer`: change events, response cache. */
  server?: ServerOptions;
  /**
   * The PostgreSQL server to create the scratch database on; null forces in-memory PGlite. Absent:
   * TEST_DATABASE_URL's choice. For tests that compare the two dialects side by side (tests/fuzz).
   */
  postgresUrl?: string | null;
  /**
   * The file only reads the seeded graph: on PGlite it gets the one its worker keeps for such files
   * (a server of its own over it) instead of loading a copy of its own (about a second a file), and
   * its close fails if it wrote anything, so no file can see another's changes. Ignored with `seed`
   * or `postgresUrl`, on PostgreSQL (a database from the template costs little there), and while
   * another read-only graph is open (its statements would mix with this one's).
   */
  readOnly?: boolean;
}

/** SQL that leaves something behind for the next file on a shared graph (SET LOCAL ends with its transaction). */
const changes =
  /^\s*(INSERT|UPDATE|DELETE|MERGE|ALTER|CREATE|DROP|TRUNCATE|COPY|GRANT|REVOKE|SET(?!\s+LOCAL\b)|LOCK)\b/i;

interface SharedGraph {
  db: Database;
  /** The statements list of the file using it, and the first change it made. */
  file: { statements: string[]; changed?: string } | null;
}
let shared: Promise<SharedGraph> | undefined;

function sharedGraph(): Promise<SharedGraph> {
  shared ??= (async () => {
    const graph: SharedGraph = { db: undefined as unknown as Database, file: null };
    graph.db = await openDatabase({
      dataDir: "memory://",
      loadDataDir: await dumpIn(snapshots.seeded),
      onQuery(sql) {
        if (!graph.file) return;
        graph.file.statements.push(sql);
        if (changes.test(sql)) graph.file.changed ??= sql;
      },
    });
    return graph;
  })();
  return shared;
}

async function startReadOnlyGraph(server: ServerOptions | undefined): Promise<TestGraph | null> {
  const graph = await sharedGraph();
  if (graph.file) return null;
  const file = { statements: [] as string[], changed: undefined as string | undefined };
  graph.file = file;
  const yoga = createServer(graph.db, server);
  return {
    db: graph.db,
    yoga,
    statements: file.statements,
    resetStatements: () => void (file.statements.length = 0),
    query: (query, variables, options) => queryServer(yoga, query, variables, options),
    token: () => Promise.reject(new Error("a read-only test graph makes no tokens: start one of the file's own")),
    async close() {
      await yoga.dispose();
      if (graph.file === file) graph.file = null;
      if (file.changed)
        throw new Error(`A read-only test graph was changed (the next file would see it): ${file.changed}`);
    },
  };
}

// The copies global-setup.ts made for this run (PGlite dumps, or templates on TEST_DATABASE_URL's
// server); a graph elsewhere (tests/fuzz compares the two dialects) is built from scratch.
const snapshots = inject("testSnapshots");
const dumps = new Map<string, Promise<Blob>>();
const dumpIn = (file: string) => {
  let dump = dumps.get(file);
  if (!dump) dumps.set(file, (dump = built(file).then(() => readFile(file).then((bytes) => new Blob([bytes])))));
  return dump;
};

/** Waits for global-setup.ts, which builds the PGlite copies while the first files run. */
async function built(file: string): Promise<void> {
  const failure = snapshotFailure(dirname(file));
  for (const deadline = Date.now() + 180_000; !existsSync(file); ) {
    if (existsSync(failure))
      throw new Error(`The test database copies could not be built:\n${readFileSync(failure, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`${file} did not appear within 3 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const { readOnly, server, ...others } = options;
  if (readOnly && !Object.keys(others).length && !testDatabaseUrl && snapshots?.dialect === "pglite") {
    const graph = await startReadOnlyGraph(server);
    if (graph) return graph;
  }
  const statements: string[] = [];
  const postgresUrl = options.postgresUrl === undefined ? testDatabaseUrl : options.postgresUrl;
  const copies = postgresUrl
    ? snapshots?.dialect === "postgres" && postgresUrl === testDatabaseUrl
    : snapshots?.dialect === "pglite";
  const copy = copies ? snapshots[options.seed === false ? "migrated" : "seeded"] : undefined;
  const scratch = postgresUrl ? await createScratchDatabase(postgresUrl, "graph_test", copy) : null;
  const db = await openDatabase({
    databaseUrl: scratch?.url,
    dataDir: "memory://",
    loadDataDir: copy && !postgresUrl ? await dumpIn(copy) : undefined,
    onQuery: (sql) => statements.push(sql),
  });
  if (!copy) {
    await migrate(db);
    if (options.seed !== false) await applySeed(db.prisma, await readDefaultBundle());
  }
  const yoga = createServer(db, options.server);
  statements.length = 0;
  return {
    db,
    yoga,
    statements,
    resetStatements: () => void (statements.length = 0),
    query: (query, variables, options) => queryServer(yoga, query, variables, options),
    async token(scopes, name) {
      const { token } = await createToken(db.prisma, name ?? `test-${randomUUID().slice(0, 8)}`, scopes);
      return token;
    },
    async close() {
      await yoga.dispose();
      await db.close();
      await scratch?.drop();
    },
  };
}

/**
 * Fills a new PGlite folder, for a process given it as DATA_DIR, with this run's migrated (or, with
 * `seed`, seeded) database: loading the copy takes a fraction of what a first open (initdb), the
 * migrations and the seed cost. Without the PGlite copies (the PostgreSQL pass) it builds the folder.
 */
export async function copyToDataDir(dataDir: string, options: { seed?: boolean } = {}): Promise<void> {
  const copy = snapshots?.dialect === "pglite" ? snapshots[options.seed ? "seeded" : "migrated"] : undefined;
  const db = await openDatabase({ dataDir, loadDataDir: copy ? await dumpIn(copy) : undefined });
  try {
    if (!copy) {
      await migrate(db);
      if (options.seed) await applySeed(db.prisma, await readDefaultBundle());
    }
  } finally {
    await db.close();
  }
}
