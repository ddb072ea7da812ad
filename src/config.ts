// Process settings from the environment, checked once at start-up.
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL connections per process (DATABASE_URL only). */
  poolSize: number;
  /** Redis for change events across instances; unset: in-process events (one instance). */
  redisUrl: string | undefined;
  redisChannelPrefix: string;
  /** Seconds a query's response is served from the cache; 0 turns the cache off. */
  responseCacheTtl: number;
  /** Execute queries compiled by graphql-jit (default); false: graphql-js's interpreter. */
  graphqlJit: boolean;
  /** The persisted operations' manifest; `required` when the environment named it (else it may be absent). */
  persistedOperations: { path: string; required: boolean };
  /** Run the manifest's documents only (trusted documents). */
  persistedOperationsOnly: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, got "${databaseUrl}".`);
  }
  const poolSize = Number(env.POOL_SIZE ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`POOL_SIZE must be a whole number of connections, at least 1, got "${env.POOL_SIZE}".`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// URL, got "${redisUrl}".`);
  const responseCacheTtl = Number(env.RESPONSE_CACHE_TTL ?? 60);
  if (!Number.isFinite(responseCacheTtl) || responseCacheTtl < 0) {
    throw new Error(`RESPONSE_CACHE_TTL must be a number of seconds (0 turns the cache off), got "${env.RESPONSE_CACHE_TTL}".`);
  }
  const jit = env.GRAPHQL_JIT ?? "1";
  if (jit !== "0" && jit !== "1") throw new Error(`GRAPHQL_JIT must be 1 (compiled queries) or 0 (graphql-js's interpreter), got "${jit}".`);
  const only = env.PERSISTED_OPERATIONS_ONLY ?? "0";
  if (only !== "0" && only !== "1") throw new Error(`PERSISTED_OPERATIONS_ONLY must be 1 (manifest documents only) or 0, got "${only}".`);
  if (only === "1" && !env.PERSISTED_OPERATIONS) throw new Error("PERSISTED_OPERATIONS_ONLY=1 needs PERSISTED_OPERATIONS, the manifest it allows.");
  return {
    port,
    host: env.HOST ?? "localhost",
    dataDir: env.DATA_DIR ?? "./data",
    databaseUrl,
    poolSize,
    redisUrl,
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX ?? "graph:",
    responseCacheTtl,
    graphqlJit: jit === "1",
    persistedOperations: env.PERSISTED_OPERATIONS
      ? { path: env.PERSISTED_OPERATIONS, required: true }
      : { path: "persisted-operations.json", required: false },
    persistedOperationsOnly: only === "1",
  };
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `embedded PGlite in ${config.dataDir}`;
}
