// Process settings: the documented defaults, and a clear refusal of a bad value at start-up.
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";
import { defaultLimits } from "../src/limits/defaults.js";

describe("readConfig", () => {
  it("defaults to the embedded database, in-process events, a 60 s response cache and the documented limits", () => {
    expect(readConfig({})).toEqual({
      port: 4000,
      host: "localhost",
      dataDir: "./data",
      databaseUrl: undefined,
      pgliteSharedBuffers: undefined,
      poolSize: 10,
      statementTimeoutMs: 10_000,
      redisUrl: undefined,
      redisChannelPrefix: "graph:",
      responseCacheTtl: 60,
      persistedOperations: { path: "persisted-operations.json", required: false },
      persistedOperationsOnly: false,
      limits: defaultLimits,
      rateLimitPerMinute: 600,
      trustProxy: false,
      corsOrigins: [],
      introspection: true,
      searchIndex: false,
      production: false,
      accessLog: true,
      shutdownDelayMs: 0,
      shutdownGraceMs: 10_000,
    });
  });

  it("reads every variable", () => {
    const config = readConfig({
      PORT: "0",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgresql://u@db:5432/graph",
      PGLITE_SHARED_BUFFERS: "64MB",
      POOL_SIZE: "25",
      REDIS_URL: "redis://cache:6379",
      REDIS_CHANNEL_PREFIX: "prod:",
      RESPONSE_CACHE_TTL: "0",
      PERSISTED_OPERATIONS: "/srv/operations.json",
      PERSISTED_OPERATIONS_ONLY: "1",
      STATEMENT_TIMEOUT_MS: "2500",
      MAX_DEPTH: "8",
      MAX_ALIASES: "5",
      MAX_DIRECTIVES: "4",
      MAX_TOKENS: "900",
      MAX_COST: "1000",
      MAX_VARIABLES_DEPTH: "6",
      MAX_RESPONSE_CHARS: "1000000",
      REQUEST_TIMEOUT_MS: "0",
      RATE_LIMIT_PER_MINUTE: "0",
      TRUST_PROXY: "1",
      CORS_ORIGINS: "https://app.example, http://localhost:5173",
      INTROSPECTION: "0",
      SEARCH_INDEX: "1",
      NODE_ENV: "production",
      ACCESS_LOG: "0",
      SHUTDOWN_DELAY_MS: "5000",
      SHUTDOWN_GRACE_MS: "30000",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "0.0.0.0",
      poolSize: 25,
      pgliteSharedBuffers: "64MB",
      redisUrl: "redis://cache:6379",
      redisChannelPrefix: "prod:",
      responseCacheTtl: 0,
      persistedOperations: { path: "/srv/operations.json", required: true },
      persistedOperationsOnly: true,
      statementTimeoutMs: 2500,
      limits: {
        maxDepth: 8,
        maxAliases: 5,
        maxDirectives: 4,
        maxTokens: 900,
        maxCost: 1000,
        maxVariablesDepth: 6,
        maxResponseChars: 1_000_000,
        requestTimeoutMs: 0,
        cost: defaultLimits.cost,
      },
      rateLimitPerMinute: 0,
      trustProxy: true,
      corsOrigins: ["https://app.example", "http://localhost:5173"],
      introspection: false,
      searchIndex: true,
      production: true,
      accessLog: false,
      shutdownDelayMs: 5000,
      shutdownGraceMs: 30_000,
    });
  });

  it.each([
    [{ PORT: "70000" }, /PORT must be a port number/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgresql:\/\/ URL/],
    [{ POOL_SIZE: "0" }, /POOL_SIZE must be a whole number/],
    [{ SEARCH_INDEX: "yes" }, /SEARCH_INDEX must be 1/],
    [{ PGLITE_SHARED_BUFFERS: "32" }, /PGLITE_SHARED_BUFFERS must be a size such as 32MB/],
    [{ REDIS_URL: "localhost:6379" }, /REDIS_URL must be a redis:\/\/ URL/],
    [{ RESPONSE_CACHE_TTL: "soon" }, /RESPONSE_CACHE_TTL must be a number of seconds/],
    [{ MAX_DEPTH: "0" }, /MAX_DEPTH must be a number of levels, at least 1/],
    [{ MAX_COST: "lots" }, /MAX_COST must be a cost/],
    [{ REQUEST_TIMEOUT_MS: "-1" }, /REQUEST_TIMEOUT_MS must be milliseconds/],
    [{ RATE_LIMIT_PER_MINUTE: "1.5" }, /RATE_LIMIT_PER_MINUTE must be requests a minute/],
    [{ TRUST_PROXY: "yes" }, /TRUST_PROXY must be 1/],
    [{ CORS_ORIGINS: "*" }, /CORS_ORIGINS must list origins/],
    [{ INTROSPECTION: "off" }, /INTROSPECTION must be 1/],
    [{ PERSISTED_OPERATIONS_ONLY: "true", PERSISTED_OPERATIONS: "ops.json" }, /PERSISTED_OPERATIONS_ONLY must be 1/],
    [{ PERSISTED_OPERATIONS_ONLY: "1" }, /needs PERSISTED_OPERATIONS/],
  ])("refuses %o", (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
