// The service, once the process entry (src/main.ts) has read the settings and begun opening the
// database: check the persisted-operations manifests, bring the database to the current schema (on
// first start create and seed it), then listen, and on SIGTERM or SIGINT drain and stop
// (src/http/shutdown.ts).
import { createServer as createHttpServer } from "node:http";
import { type Config, describeDatabase } from "./config.js";
import { prepareDatabase, readSeedGraph } from "./data/bootstrap.js";
import type { Database } from "./db/database.js";
import { attachWebSocket } from "./http/websocket.js";
import { createGraphEvents } from "./events/pubsub.js";
import { withRequestLog } from "./http/request-log.js";
import { gracefulShutdown, trackRequests } from "./http/shutdown.js";
import { log } from "./log.js";
import { buildSearchIndex } from "./reads/search.js";
import { createServer } from "./server.js";
import { loadManifest } from "./operations/manifest.js";
import { explorerManifest } from "./http/explorer.js";
import { ManifestError } from "./errors.js";
import { schema } from "./schema/index.js";

export interface ServeOptions {
  /** Opens the database (src/main.ts began opening it already, unless its folder is new). */
  open: () => Promise<Database>;
  /** The database is new (an empty PGlite folder): it will be seeded, so the seed graph is read at once. */
  newDatabase: boolean;
  /** Ends the process with a message on stderr, the database closed if it was opening. */
  stop: (message: string) => Promise<never>;
}

/** Runs the service: checks the manifests, prepares the database, listens. */
export async function serve(config: Config, { open, newDatabase, stop }: ServeOptions): Promise<void> {
  // A new database's cluster is made on another thread (src/db/initdb-worker.ts): this one reads
  // the seed graph meanwhile rather than after.
  const seed = newDatabase ? readSeedGraph() : undefined;
  seed?.catch(() => {}); // awaited when the database turns out to be empty; its error is reported there
  // A manifest that no longer matches the schema stops the start, naming each problem.
  let explorerOperations: ReadonlyMap<string, string> = new Map();
  const manifest = (() => {
    try {
      // The explorer's operations join the manifest: under PERSISTED_OPERATIONS_ONLY it still works.
      explorerOperations = explorerManifest(schema, (message) => log.warn(message));
      return new Map([...explorerOperations, ...loadManifest(schema, config.persistedOperations)]);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      return error;
    }
  })();
  if (manifest instanceof ManifestError) return stop(manifest.message);
  const db = await open();
  log.info(`Database: ${describeDatabase(config)}`);
  const prepared = await prepareDatabase(db, (line) => log.info(line), { seed });
  if (prepared.seeded) {
    const created = Object.values(prepared.seeded).reduce((sum, table) => sum + table.created, 0);
    log.info(`Seed graph loaded: ${created} rows`);
  }

  // ioredis is imported only when Redis is configured: a start without it does not load the client.
  const redis = config.redisUrl
    ? (await import("./db/redis.js")).connectRedis(config.redisUrl, config.redisChannelPrefix)
    : null;
  if (redis) {
    const up = await redis.ready(2_000);
    log.info(
      `Redis at ${new URL(config.redisUrl!).host}: ${up ? "connected" : "not answering yet; serving without it until it does"}`,
    );
  }
  log.info(`Change events: ${redis ? `Redis at ${new URL(config.redisUrl!).host}` : "in-process"}`);
  const responseCache = config.responseCacheTtl > 0 ? { ttlSeconds: config.responseCacheTtl } : null;
  log.info(
    `Response cache: ${responseCache ? `${responseCache.ttlSeconds} s, ${redis ? "in Redis" : "in memory"}` : "off"}`,
  );
  const { path: manifestPath, required: manifestNamed } = config.persistedOperations;
  const only = config.persistedOperationsOnly;
  log.info(
    `Persisted operations: ${manifest.size - explorerOperations.size || manifestNamed ? `${manifest.size - explorerOperations.size} from ${manifestPath}` : "no manifest"}, ${explorerOperations.size} of the explorer, ` +
      (only
        ? "nothing else runs (trusted documents)"
        : `automatic persisted queries ${redis ? "shared in Redis" : "in memory"}`),
  );
  log.info(
    {
      limits: config.limits,
      rateLimitPerMinute: config.rateLimitPerMinute,
      statementTimeoutMs: config.statementTimeoutMs,
    },
    "Request limits",
  );

  let draining = false;
  const yoga = createServer(db, {
    pubSub: createGraphEvents(redis),
    redis,
    responseCache,
    persistedOperations: { manifest, only },
    limits: config.limits,
    rateLimit: { perMinute: config.rateLimitPerMinute, trustProxy: config.trustProxy },
    corsOrigins: config.corsOrigins,
    production: config.production,
    introspection: config.introspection,
    searchIndex: config.searchIndex,
    draining: () => draining,
  });
  const server = createHttpServer(withRequestLog(yoga, { trustProxy: config.trustProxy, accessLog: config.accessLog }));
  const requests = trackRequests(server);
  const websocket = attachWebSocket(server, yoga, config.limits.maxVariablesDepth);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    log.info(`GraphiQL: http://${config.host}:${port}${yoga.graphqlEndpoint}`);
    // Prisma loads its query compiler (WebAssembly, about a second) on its first call; the start no
    // longer makes one (src/db/migrate.ts), so it loads now, while serving, rather than in a request.
    db.prisma.$connect().catch((error: unknown) => log.warn({ err: error }, "Prisma could not connect yet"));
    // A server started for search builds its index now, while it serves, so no search waits for it.
    if (config.searchIndex) {
      const started = performance.now();
      buildSearchIndex(db.sql).then(
        (aliases) =>
          log.info(`Search index built: ${aliases} aliases in ${((performance.now() - started) / 1000).toFixed(1)} s`),
        (error: unknown) => log.warn({ err: error }, "Search index not built yet: the first search builds it"),
      );
    }
  });

  const shutdown = gracefulShutdown(server, requests, {
    delayMs: config.shutdownDelayMs,
    graceMs: config.shutdownGraceMs,
    beginDraining() {
      draining = true;
    },
    closeWebSockets: () => websocket.close(),
    async closeResources() {
      await yoga.dispose();
      await redis?.close();
      await db.close();
    },
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, "Shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
