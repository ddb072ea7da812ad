// Process settings from the environment, checked once at start-up.
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Redis for change events across instances; unset: in-process events (one instance). */
  redisUrl: string | undefined;
  redisChannelPrefix: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, got "${databaseUrl}".`);
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new Error(`REDIS_URL must be a redis:// URL, got "${redisUrl}".`);
  return {
    port,
    host: env.HOST ?? "localhost",
    dataDir: env.DATA_DIR ?? "./data",
    databaseUrl,
    redisUrl,
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX ?? "graph:",
  };
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `embedded PGlite in ${config.dataDir}`;
}
