// Process settings from the environment, checked once at start-up.
import { defaultLimits, type RequestLimits } from "./limits/defaults.js";

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PGlite's shared_buffers (e.g. "32MB"); unset: src/db/database.ts's default. */
  pgliteSharedBuffers: string | undefined;
  /** PostgreSQL connections per process (DATABASE_URL only). */
  poolSize: number;
  /** PostgreSQL's statement_timeout on every connection (ms; 0: none). */
  statementTimeoutMs: number;
  /** Redis for change events across instances; unset: in-process events (one instance). */
  redisUrl: string | undefined;
  redisChannelPrefix: string;
  /** Seconds a query's response is served from the cache; 0 turns the cache off. */
  responseCacheTtl: number;
  /** The persisted operations' manifest; `required` when the environment named it (else it may be absent). */
  persistedOperations: { path: string; required: boolean };
  /** Run the manifest's documents only (trusted documents). */
  persistedOperationsOnly: boolean;
  /** What one request may ask for. */
  limits: RequestLimits;
  /** Requests a minute per client (token, else address); 0: no limit. */
  rateLimitPerMinute: number;
  /** Trust X-Forwarded-For for the client's address (behind your own proxy). */
  trustProxy: boolean;
  /** Browser origins allowed to send credentials; empty: any origin, without credentials. */
  corsOrigins: string[];
  /** Answer introspection queries. */
  introspection: boolean;
  /** Searches find their candidates in a per-server index of every alias (src/reads/search-index.ts). */
  searchIndex: boolean;
  /** NODE_ENV=production: no field suggestions in validation errors. */
  production: boolean;
  /** One log line per request. */
  accessLog: boolean;
  /** How long a shutdown keeps accepting connections while /ready says 503 (ms). */
  shutdownDelayMs: number;
  /** How long a shutdown waits for requests in flight before closing them (ms). */
  shutdownGraceMs: number;
}

type Env = NodeJS.ProcessEnv;

/** A whole number from the environment, at least `min`, or the default when unset. */
function wholeNumber(env: Env, name: string, fallback: number, min = 0, meaning = "a whole number"): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be ${meaning}, at least ${min}, got "${text}".`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean, meaning: string): boolean {
  const text = env[name] ?? (fallback ? "1" : "0");
  if (text !== "0" && text !== "1") throw new Error(`${name} must be 1 (${meaning}) or 0, got "${text}".`);
  return text === "1";
}

function readLimits(env: Env): RequestLimits {
  const d = defaultLimits;
  return {
    maxTokens: wholeNumber(env, "MAX_TOKENS", d.maxTokens, 1, "a number of tokens"),
    maxDepth: wholeNumber(env, "MAX_DEPTH", d.maxDepth, 1, "a number of levels"),
    maxAliases: wholeNumber(env, "MAX_ALIASES", d.maxAliases, 0, "a number of aliases"),
    maxDirectives: wholeNumber(env, "MAX_DIRECTIVES", d.maxDirectives, 0, "a number of directives"),
    maxCost: wholeNumber(env, "MAX_COST", d.maxCost, 1, "a cost"),
    maxVariablesDepth: wholeNumber(env, "MAX_VARIABLES_DEPTH", d.maxVariablesDepth, 1, "a number of levels"),
    maxResponseChars: wholeNumber(env, "MAX_RESPONSE_CHARS", d.maxResponseChars, 1, "a number of characters"),
    requestTimeoutMs: wholeNumber(env, "REQUEST_TIMEOUT_MS", d.requestTimeoutMs, 0, "milliseconds (0: no deadline)"),
    cost: d.cost,
  };
}

export function readConfig(env: Env = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}".`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be a postgresql:// URL, got "${databaseUrl}".`);
  }
  const pgliteSharedBuffers = env.PGLITE_SHARED_BUFFERS || undefined;
  if (pgliteSharedBuffers && !/^\d+(kB|MB|GB)$/.test(pgliteSharedBuffers))
    throw new Error(`PGLITE_SHARED_BUFFERS must be a size such as 32MB (kB, MB or GB), got "${pgliteSharedBuffers}".`);
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new Error(`REDIS_URL must be a redis:// URL, got "${redisUrl}".`);
  const responseCacheTtl = Number(env.RESPONSE_CACHE_TTL ?? 60);
  if (!Number.isFinite(responseCacheTtl) || responseCacheTtl < 0) {
    throw new Error(
      `RESPONSE_CACHE_TTL must be a number of seconds (0 turns the cache off), got "${env.RESPONSE_CACHE_TTL}".`,
    );
  }
  const only = flag(env, "PERSISTED_OPERATIONS_ONLY", false, "manifest documents only");
  if (only && !env.PERSISTED_OPERATIONS)
    throw new Error("PERSISTED_OPERATIONS_ONLY=1 needs PERSISTED_OPERATIONS, the manifest it allows.");
  const corsOrigins = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new Error(
        `CORS_ORIGINS must list origins such as https://app.example.com, separated by commas; got "${origin}".`,
      );
  }
  return {
    port,
    host: env.HOST ?? "localhost",
    dataDir: env.DATA_DIR ?? "./data",
    databaseUrl,
    pgliteSharedBuffers,
    poolSize: wholeNumber(env, "POOL_SIZE", 10, 1, "a whole number of connections"),
    statementTimeoutMs: wholeNumber(env, "STATEMENT_TIMEOUT_MS", 10_000, 0, "milliseconds (0: none)"),
    redisUrl,
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX ?? "graph:",
    responseCacheTtl,
    persistedOperations: env.PERSISTED_OPERATIONS
      ? { path: env.PERSISTED_OPERATIONS, required: true }
      : { path: "persisted-operations.json", required: false },
    persistedOperationsOnly: only,
    limits: readLimits(env),
    rateLimitPerMinute: wholeNumber(env, "RATE_LIMIT_PER_MINUTE", 600, 0, "requests a minute (0: no limit)"),
    trustProxy: flag(env, "TRUST_PROXY", false, "take the client's address from X-Forwarded-For"),
    corsOrigins,
    introspection: flag(env, "INTROSPECTION", true, "answer introspection queries"),
    searchIndex: flag(env, "SEARCH_INDEX", false, "keep every alias in this server's memory for search"),
    production: env.NODE_ENV === "production",
    accessLog: flag(env, "ACCESS_LOG", true, "one log line per request"),
    shutdownDelayMs: wholeNumber(env, "SHUTDOWN_DELAY_MS", 0, 0, "milliseconds"),
    shutdownGraceMs: wholeNumber(env, "SHUTDOWN_GRACE_MS", 10_000, 0, "milliseconds"),
  };
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl
    ? `PostgreSQL at ${new URL(config.databaseUrl).host}`
    : `embedded PGlite in ${config.dataDir}`;
}
