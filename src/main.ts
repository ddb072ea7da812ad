// Process entry: read the settings, begin opening the database, then load and run the service
// (src/serve.ts). The database opens while the service's modules load and its schema builds: on the
// embedded database PGlite reads its files and compiles its WebAssembly off this thread, and on an
// empty folder initdb runs on another (src/db/initdb-worker.ts), where before they came one after
// the other.
import { readConfig } from "./config.js";
import { hasCluster, openDatabase } from "./db/database.js";
import { DataDirLockedError } from "./errors.js";

// A start that cannot go on says why on stderr, in words, and exits 1: a person or a supervisor reads it.
function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const config = (() => {
  try {
    return readConfig();
  } catch (error) {
    return stop(error instanceof Error ? error.message : String(error));
  }
})();
// Known before the folder is touched: an empty one is created, migrated and seeded by this start.
const newDatabase = !config.databaseUrl && (config.dataDir.startsWith("memory://") || !hasCluster(config.dataDir));
const opening = openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  sharedBuffers: config.pgliteSharedBuffers,
  poolSize: config.poolSize,
  statementTimeoutMs: config.statementTimeoutMs,
}).catch((error: unknown) =>
  stop(error instanceof DataDirLockedError ? error.message : `The database could not be opened: ${String(error)}`),
);
const { serve } = await import("./serve.js");
await serve(config, opening, { newDatabase, stop });
