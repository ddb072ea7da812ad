// The PostgreSQL database a URL names, created when the server has none of that name, so that
// `npm run db:seed` on a fresh server needs no `createdb` first. The check runs on the server's
// `postgres` database; when that cannot be reached (no rights), nothing is created and the open
// that follows reports what is wrong.
import pg from "pg";

/** Creates the database `url` names unless it exists; returns its name if it did, else null. */
export async function createDatabaseIfMissing(url: string): Promise<string | null> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name || name === "postgres") return null;
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return null;
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return name;
  } catch {
    // Created meanwhile by another process (42P04), or no rights here: the open reports what matters.
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
