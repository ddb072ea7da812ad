// A throwaway database on the PostgreSQL server under test, so test files never share state.
import { randomUUID } from "node:crypto";
import pg from "pg";

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** `template`: a database to copy (migrated and seeded once by tests/support/global-setup.ts). */
export async function createScratchDatabase(
  baseUrl: string,
  prefix = "graph_test",
  template?: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => dropDatabase(baseUrl, name),
  };
}

/** Drops database `name` on the server of `baseUrl`, once the connections closing to it are gone. */
export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  // Let the pools' connections finish closing: `pool.end()` resolves before their sockets do, a
  // forced drop would kill them mid-goodbye, and a pg client killed while ending reports that as an
  // uncaught error.
  for (let wait = 0; wait < 50; wait++) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`,
      [name],
    );
    if (!rows[0]?.n) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}
