// Process settings: the documented defaults, and a clear refusal of a bad value at start-up.
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";

describe("readConfig", () => {
  it("defaults to the embedded database, in-process events, a 60 s response cache and compiled queries", () => {
    expect(readConfig({})).toEqual({
      port: 4000,
      host: "localhost",
      dataDir: "./data",
      databaseUrl: undefined,
      poolSize: 10,
      redisUrl: undefined,
      redisChannelPrefix: "graph:",
      responseCacheTtl: 60,
      graphqlJit: true,
      persistedOperations: { path: "persisted-operations.json", required: false },
      persistedOperationsOnly: false,
    });
  });

  it("reads every variable", () => {
    const config = readConfig({
      PORT: "0",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgresql://u@db:5432/graph",
      POOL_SIZE: "25",
      REDIS_URL: "redis://cache:6379",
      REDIS_CHANNEL_PREFIX: "prod:",
      RESPONSE_CACHE_TTL: "0",
      GRAPHQL_JIT: "0",
      PERSISTED_OPERATIONS: "/srv/operations.json",
      PERSISTED_OPERATIONS_ONLY: "1",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "0.0.0.0",
      poolSize: 25,
      redisUrl: "redis://cache:6379",
      redisChannelPrefix: "prod:",
      responseCacheTtl: 0,
      graphqlJit: false,
      persistedOperations: { path: "/srv/operations.json", required: true },
      persistedOperationsOnly: true,
    });
  });

  it.each([
    [{ PORT: "70000" }, /PORT must be a port number/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgresql:\/\/ URL/],
    [{ POOL_SIZE: "0" }, /POOL_SIZE must be a whole number/],
    [{ REDIS_URL: "localhost:6379" }, /REDIS_URL must be a redis:\/\/ URL/],
    [{ RESPONSE_CACHE_TTL: "soon" }, /RESPONSE_CACHE_TTL must be a number of seconds/],
    [{ GRAPHQL_JIT: "yes" }, /GRAPHQL_JIT must be 1/],
    [{ PERSISTED_OPERATIONS_ONLY: "true", PERSISTED_OPERATIONS: "ops.json" }, /PERSISTED_OPERATIONS_ONLY must be 1/],
    [{ PERSISTED_OPERATIONS_ONLY: "1" }, /needs PERSISTED_OPERATIONS/],
  ])("refuses %o", (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
