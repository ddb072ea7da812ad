// Whole-response cache for queries. Every key carries the graph's version, the id of the newest
// change an instance knows of: a committed mutation moves it forward (here at once, on the other
// instances through the change events they already receive), so no response from before a write is
// served after it, whatever the query read: entities, edges, counts or series. Entries of older
// versions are never asked for again and expire by TTL (or drop out of the in-memory LRU).
import { createRedisCache } from "@envelop/response-cache-redis";
import { createInMemoryCache, hashSHA256, useResponseCache, type Cache } from "@graphql-yoga/plugin-response-cache";
import type { Plugin } from "graphql-yoga";
import { Redis } from "ioredis";
import type { ChangeEvent, GraphPubSub } from "../events/pubsub.js";
import type { PrismaClient } from "../generated/prisma/client.js";

export interface ResponseCacheOptions {
  /** Seconds a response is served from the cache; also bounds how stale a write outside the API (the CLI) can leave it. */
  ttlSeconds: number;
  /** Shared cache for every instance; in-memory (per instance) when absent. */
  redisUrl?: string;
  /** Prepended to every Redis key, as for the change events. */
  keyPrefix?: string;
  /** In-memory entries kept at most. */
  maxEntries?: number;
}

/** The newest change id seen: read once from the database, then advanced by change events. */
export class GraphVersion {
  private current = 0;
  private readonly ready: Promise<void>;

  constructor(prisma: PrismaClient) {
    this.ready = prisma.change
      .aggregate({ _max: { id: true } })
      .then((row) => this.advance(row._max.id ?? 0));
  }

  advance(changeId: number): void {
    if (changeId > this.current) this.current = changeId;
  }

  async value(): Promise<number> {
    await this.ready;
    return this.current;
  }
}

/**
 * The pub/sub the server publishes change events through, advancing `version` as each one leaves
 * (so the writing instance never serves a stale answer to its own client), and listening for the
 * events of other instances.
 */
export function versionedPubSub(pubSub: GraphPubSub, version: GraphVersion): GraphPubSub {
  void (async () => {
    for await (const event of pubSub.subscribe("graph:changed")) version.advance(event.changeId);
  })();
  const publish: GraphPubSub["publish"] = (...args) => {
    if (args[0] === "graph:changed") version.advance((args[1] as ChangeEvent).changeId);
    return pubSub.publish(...args);
  };
  return { ...pubSub, publish };
}

export interface GraphResponseCache {
  plugin: Plugin;
  close(): Promise<void>;
}

export function createResponseCache(version: GraphVersion, options: ResponseCacheOptions): GraphResponseCache {
  const prefix = options.keyPrefix ?? "graph:";
  let cache: Cache;
  let close = async () => {};
  if (options.redisUrl) {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
    cache = createRedisCache({ redis }) as Cache;
    close = async () => void (await redis.quit().catch(() => undefined));
  } else {
    cache = createInMemoryCache({ max: options.maxEntries ?? 10_000 });
  }
  const plugin = useResponseCache({
    cache,
    ttl: options.ttlSeconds * 1000,
    // Reads are public: one answer for every caller, token or not.
    session: () => null,
    // Invalidation is by version. The plugin's own per-entity invalidation stays on only because
    // turning it off makes the plugin cache mutation results like queries.
    invalidateViaMutation: true,
    buildResponseCacheKey: async ({ documentString, variableValues, operationName }) =>
      `${prefix}response:v${await version.value()}:${await hashSHA256(
        JSON.stringify([documentString, operationName ?? null, variableValues ?? {}]),
      )}`,
  });
  return { plugin, close };
}
