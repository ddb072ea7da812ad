// Whole-response cache for queries. Every key carries the graph's version, the id of the newest
// change an instance knows of: a committed mutation moves it forward (here at once, on the other
// instances through the change events they already receive), so no response from before a write is
// served after it, whatever the query read: entities, edges, counts or series. Entries of older
// versions are never asked for again and expire by TTL (or drop out of the in-memory LRU).
//
// Shared through Redis, the cache survives Redis going away: a lookup that fails is a miss and a
// store that fails is skipped, so requests are answered from the database meanwhile. Change events
// can be missed while Redis is away, so an instance also reads the version from the database every
// `versionPollMs` and as soon as Redis is back: a write on another instance reaches this one's
// answers within that interval even if its event was lost.
import { createRedisCache } from "@envelop/response-cache-redis";
import { createInMemoryCache, hashSHA256, useResponseCache, type Cache } from "@graphql-yoga/plugin-response-cache";
import type { Plugin } from "graphql-yoga";
import type { SharedRedis } from "../db/redis.js";
import type { ChangeEvent, GraphPubSub } from "../events/pubsub.js";
import type { PrismaClient } from "../generated/prisma/client.js";

export interface ResponseCacheOptions {
  /** Seconds a response is served from the cache; also bounds how stale a write outside the API (the CLI) can leave it. */
  ttlSeconds: number;
  /** Shared cache for every instance; in-memory (per instance) when absent. */
  redis?: SharedRedis | null;
  /** In-memory entries kept at most. */
  maxEntries?: number;
  /** With Redis, how often the version is read from the database (ms; 0: only on Redis' return). */
  versionPollMs?: number;
}

export interface CacheCounters {
  hit(): void;
  stored(): void;
}

/** The newest change id seen: read from the database, then advanced by change events and refreshes. */
export class GraphVersion {
  private current = 0;
  private known: Promise<void> | null = null;

  constructor(private readonly prisma: PrismaClient) {
    // Read at once, so the first request finds it known; a failure is read again when asked.
    this.refresh().catch(() => undefined);
  }

  advance(changeId: number): void {
    if (changeId > this.current) this.current = changeId;
  }

  /** Reads the newest change id again; a failed read is tried again by the next caller. */
  refresh(): Promise<void> {
    const reading = this.prisma.change.aggregate({ _max: { id: true } }).then((row) => this.advance(row._max.id ?? 0));
    reading.catch(() => {
      if (this.known === reading) this.known = null;
    });
    this.known = reading;
    return reading;
  }

  async value(): Promise<number> {
    await (this.known ?? this.refresh());
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
  close(): void;
}

/** A cache whose failures (Redis away) are misses and skipped stores, never failed requests. */
function forgiving(cache: Cache, counters?: CacheCounters): Cache {
  return {
    async get(key) {
      const found = await Promise.resolve(cache.get(key)).catch(() => undefined);
      if (found) counters?.hit();
      return found;
    },
    async set(...args) {
      await Promise.resolve(cache.set(...args)).then(
        () => counters?.stored(),
        () => undefined,
      );
    },
    async invalidate(entities) {
      await Promise.resolve(cache.invalidate(entities)).catch(() => undefined);
    },
  };
}

export function createResponseCache(
  version: GraphVersion,
  options: ResponseCacheOptions,
  counters?: CacheCounters,
): GraphResponseCache {
  const redis = options.redis;
  const prefix = redis?.prefix ?? "graph:";
  const cache = redis
    ? (createRedisCache({ redis: redis.commands }) as Cache)
    : createInMemoryCache({ max: options.maxEntries ?? 10_000 });
  const stops: (() => void)[] = [];
  if (redis) {
    stops.push(redis.onRestored(() => void version.refresh().catch(() => undefined)));
    const pollMs = options.versionPollMs ?? 1_000;
    if (pollMs > 0) {
      const timer = setInterval(() => void version.refresh().catch(() => undefined), pollMs);
      timer.unref();
      stops.push(() => clearInterval(timer));
    }
  }
  const plugin = useResponseCache({
    cache: forgiving(cache, counters),
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
  return {
    plugin,
    close: () => {
      for (const stop of stops) stop();
    },
  };
}
