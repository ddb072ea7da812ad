// Opens the database the environment names (DATABASE_URL or PGlite under DATA_DIR), for the CLI tools.
import { describeDatabase, readConfig } from "../config.js";
import { openDatabase } from "../db/database.js";

export async function openConfiguredDatabase() {
  const config = readConfig();
  // stderr: stdout may be carrying data (graph export).
  console.error(`Database: ${describeDatabase(config)}`);
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}
