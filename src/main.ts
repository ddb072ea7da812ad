// Process entry: open (and on first start create, migrate and seed) the database, then listen.
import { createServer as createHttpServer } from "node:http";
import { describeDatabase, readConfig } from "./config.js";
import { prepareDatabase } from "./db/bootstrap.js";
import { openOrExplain } from "./cli/db.js";
import { attachWebSocket } from "./events/websocket.js";
import { createGraphEvents } from "./events/pubsub.js";
import { createServer } from "./server.js";
import { loadManifest, ManifestError } from "./operations/manifest.js";
import { schema } from "./schema/index.js";

const config = readConfig();
// Before the database: a manifest that no longer matches the schema stops the start, naming each problem.
const manifest = (() => {
  try {
    return loadManifest(schema, config.persistedOperations);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
})();
const db = await openOrExplain({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
console.log(`Database: ${describeDatabase(config)}`);
const prepared = await prepareDatabase(db, (line) => console.log(line));
if (prepared.seeded) {
  const created = Object.values(prepared.seeded).reduce((sum, table) => sum + table.created, 0);
  console.log(`Seed graph loaded: ${created} rows`);
}

const events = createGraphEvents({ redisUrl: config.redisUrl, channelPrefix: config.redisChannelPrefix });
console.log(`Change events: ${config.redisUrl ? `Redis at ${new URL(config.redisUrl).host}` : "in-process"}`);
const responseCache = config.responseCacheTtl > 0
  ? { ttlSeconds: config.responseCacheTtl, redisUrl: config.redisUrl, keyPrefix: config.redisChannelPrefix }
  : null;
console.log(`Response cache: ${responseCache ? `${responseCache.ttlSeconds} s, ${config.redisUrl ? "in Redis" : "in memory"}` : "off"}`);
console.log(`Execution: ${config.graphqlJit ? "compiled (graphql-jit)" : "graphql-js"}`);
const { path: manifestPath, required: manifestNamed } = config.persistedOperations;
const only = config.persistedOperationsOnly;
console.log(
  `Persisted operations: ${manifest.size || manifestNamed ? `${manifest.size} from ${manifestPath}` : "no manifest"}, ` +
    (only ? "nothing else runs (trusted documents)" : `automatic persisted queries ${config.redisUrl ? "shared in Redis" : "in memory"}`),
);
const yoga = createServer(db, {
  pubSub: events.pubSub,
  responseCache,
  jit: config.graphqlJit,
  persistedOperations: { manifest, only, redisUrl: config.redisUrl, keyPrefix: config.redisChannelPrefix },
});
const server = createHttpServer(yoga);
const websocket = attachWebSocket(server, yoga);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`GraphiQL: http://${config.host}:${port}${yoga.graphqlEndpoint}`);
});

async function shutdown(signal: string) {
  console.log(`${signal}: shutting down`);
  server.close();
  await websocket.close();
  await yoga.dispose();
  await events.close();
  await db.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
