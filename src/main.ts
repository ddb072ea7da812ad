// Process entry: read the settings, begin opening the database, then load and run the service
// (src/serve.ts). The database opens while the service's modules load and its schema builds: on the
// embedded database PGlite reads its files and compiles its WebAssembly off this thread, and on an
// empty folder initdb runs on another (src/db/initdb-worker.ts), where before they came one after
// the other.
import { readConfig } from "./config.js";
import { hasCluster, isInMemory, openDatabase } from "./db/database.js";
import { initdbInWorker } from "./db/initdb-worker.js";
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
const options = {
  databaseUrl: config.databaseUrl,
  dataDir: config.dataDir,
  sharedBuffers: config.pgliteSharedBuffers,
  poolSize: config.poolSize,
  statementTimeoutMs: config.statementTimeoutMs,
};
const failed = (error: unknown) =>
  stop(error instanceof DataDirLockedError ? error.message : `The database could not be opened: ${String(error)}`);
// Known before the folder is touched: a new database is created, migrated and seeded by this start.
const inMemory = isInMemory(config.dataDir);
const newFolder = !config.databaseUrl && !inMemory && !hasCluster(config.dataDir);
// A folder that holds a database opens now. A new one gets its cluster made now, in memory on
// another thread, and is itself written only once the start goes on (serve.ts checks the manifests
// first), so a start that stops leaves no folder behind.
const cluster = newFolder ? initdbInWorker() : undefined;
cluster?.catch(() => {}); // awaited by openDatabase, which reports its failure
const opening = newFolder ? undefined : openDatabase(options).catch(failed);
const { serve } = await import("./serve.js");
await serve(config, {
  open: () => opening ?? openDatabase({ ...options, cluster }).catch(failed),
  newDatabase: newFolder || (!config.databaseUrl && inMemory),
  async stop(message) {
    // Closed first when it was opening: the folder is left as a finished start leaves it.
    await (await opening)?.close();
    return stop(message);
  },
});
