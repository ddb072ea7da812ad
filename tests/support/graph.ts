// A real service for one test file: a fresh database (in-memory PGlite, or a new PostgreSQL database
// when TEST_DATABASE_URL is set), migrated and seeded, behind the Yoga app, with every SQL statement
// recorded so tests can count them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { readDefaultBundle } from "../../src/db/geography.js";
import { applySeed } from "../../src/db/seed.js";
import { createServer, type GraphServer } from "../../src/server.js";
import { createToken } from "../../src/auth/tokens.js";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const dialectUnderTest = testDatabaseUrl ? "postgres" : "pglite";

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
  query<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<Data>>;
  /** Creates an API token with these scopes (a fresh name unless given) and returns the bearer string. */
  token(scopes: string[], name?: string): Promise<string>;
  close(): Promise<void>;
}

async function createScratchDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `graph_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      // Let the pool's connections finish closing: a forced drop would kill them mid-goodbye, and a
      // pg client killed while ending reports that as an uncaught error.
      for (let wait = 0; wait < 50; wait++) {
        const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
        if (!rows[0]?.n) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function startTestGraph(options: { seed?: boolean } = {}): Promise<TestGraph> {
  const statements: string[] = [];
  const scratch = testDatabaseUrl ? await createScratchDatabase(testDatabaseUrl) : null;
  const db = await openDatabase({ databaseUrl: scratch?.url, dataDir: "memory://", onQuery: (sql) => statements.push(sql) });
  await migrate(db);
  if (options.seed !== false) await applySeed(db.prisma, await readDefaultBundle());
  const yoga = createServer(db.prisma);
  statements.length = 0;
  return {
    db,
    yoga,
    statements,
    resetStatements: () => void (statements.length = 0),
    async query(query, variables, options = {}) {
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
    },
    async token(scopes, name) {
      const { token } = await createToken(db.prisma, name ?? `test-${randomUUID().slice(0, 8)}`, scopes);
      return token;
    },
    async close() {
      await db.close();
      await scratch?.drop();
    },
  };
}
