// Opens the database the environment names (DATABASE_URL or PGlite under DATA_DIR), for the CLI tools.
import { describeDatabase, readConfig } from "../config.js";
import { createDatabaseIfMissing } from "../db/create-database.js";
import { openDatabase, type Database, type DatabaseOptions } from "../db/database.js";
import { DataDirLockedError } from "../errors.js";

/**
 * Opens the database, or, when a running server holds the embedded folder, says so and exits 1:
 * that is a user's situation to resolve, not a crash to print a stack trace for.
 */
export async function openOrExplain(options: DatabaseOptions): Promise<Database> {
  try {
    return await openDatabase(options);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * `create`: make the PostgreSQL database first if the server has none of that name (db:migrate, db:seed).
 * `env`: the environment to read instead of the process's (a command run inside a test).
 */
export async function openConfiguredDatabase(
  options: { create?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<Database> {
  const config = readConfig(options.env);
  // stderr: stdout may be carrying data (graph export).
  console.error(`Database: ${describeDatabase(config)}`);
  const created = options.create && config.databaseUrl ? await createDatabaseIfMissing(config.databaseUrl) : null;
  if (created) console.error(`Created database "${created}".`);
  return openOrExplain({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}
