// The benchmark's database: created on the machine's PostgreSQL when missing, migrated and seeded as
// `npm run db:seed` would (src/data/bootstrap.ts), and for a full run grown by the graph generator
// (`npm run graph -- generate`, which reuses a graph already generated with the same parameters).
import { spawn } from "node:child_process";
import pg from "pg";
import { prepareDatabase } from "../src/data/bootstrap.js";
import { openDatabase } from "../src/db/database.js";
import { root } from "./systems.js";

export interface GraphSize {
  entities: number;
  relationships: number;
  observations: number;
  seed: number;
}

/** Creates the database named in `url` unless it exists (connecting to the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${name}`);
    return true;
  } finally {
    await client.end();
  }
}

/** Migrations and, on an empty database, the seed graph (the semantics of `npm run db:seed` on first start). */
export async function seedDatabase(url: string, log: (line: string) => void): Promise<void> {
  const db = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    await prepareDatabase(db, log);
  } finally {
    await db.close();
  }
}

/** Runs the generator as its own process (its progress bars go to our terminal). */
export function generateGraph(url: string, size: GraphSize): Promise<void> {
  const args = [
    "run",
    "graph",
    "--",
    "generate",
    "--entities",
    String(size.entities),
    "--relationships",
    String(size.relationships),
    "--observations",
    String(size.observations),
    "--seed",
    String(size.seed),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`npm run graph -- generate exited with ${code ?? signal}`)),
    );
  });
}

/**
 * Fresh planner statistics and visibility maps after bulk writes, so that autovacuum does not start
 * in the middle of a timed run and plans do not change between systems. Only when the tables have
 * changed much since their last analyze.
 */
export async function settleDatabase(url: string, log: (line: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
       WHERE n_live_tup > 0 AND (n_mod_since_analyze > 0.05 * n_live_tup OR n_ins_since_vacuum > 0.05 * n_live_tup
         OR coalesce(last_analyze, last_autoanalyze) IS NULL)`,
    );
    if (!rows.length) return;
    log(`VACUUM ANALYZE ${rows.map((r) => r.relname).join(", ")}`);
    for (const { relname } of rows) await client.query(`VACUUM (ANALYZE) "${relname.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Server version and settings worth recording with the results. */
export async function describeServer(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const settings = ["server_version", "shared_buffers", "work_mem", "effective_cache_size", "max_connections", "jit"];
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)`,
      [settings],
    );
    const size = await client.query<{ size: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`,
    );
    return { ...Object.fromEntries(rows.map((r) => [r.name, r.setting])), database_size: size.rows[0]!.size };
  } finally {
    await client.end();
  }
}
