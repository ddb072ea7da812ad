// Fair use: at most `perMinute` requests a minute from one client, counted by its token when it
// sends a live one, else by its address. Counted in Redis when there is one, so every instance
// shares the count; in memory per instance while Redis is away (rate-limiter-flexible's insurance
// limiter) or when there is none. A graph:admin token is never limited. Refusals are HTTP 429
// with Retry-After and a RATE_LIMITED error.
import type { IncomingMessage } from "node:http";
import type { Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { findLiveToken, hashToken, type TokenSummary } from "../auth/tokens.js";
import type { SharedRedis } from "../db/redis.js";
import { RateLimitedError } from "../errors.js";
import type { SqlReader } from "../db/sql-reader.js";

export interface RateLimitOptions {
  perMinute: number;
  redis?: SharedRedis | null;
  /** Take the client's address from the first X-Forwarded-For entry (behind a proxy you run). */
  trustProxy?: boolean;
  /** Called for each refused request (metrics). */
  onRefused?(): void;
}

// A token's scopes, looked up once a minute at most per token: the count needs a key on every request.
const tokenTtlMs = 60_000;

export function useRateLimit(sql: SqlReader, options: RateLimitOptions): Plugin {
  const { perMinute, redis } = options;
  const local = new RateLimiterMemory({ points: perMinute, duration: 60 });
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis.commands,
        keyPrefix: `${redis.prefix}rate`,
        points: perMinute,
        duration: 60,
        rejectIfRedisNotReady: true,
        insuranceLimiter: local,
      })
    : local;
  const tokens = new LRUCache<string, { token: TokenSummary | null }>({ max: 10_000, ttl: tokenTtlMs });

  // Token lookups per address, apart from its requests: made-up tokens must not buy a database read
  // each, and a real token must not be refused because others share its address.
  const lookups = new RateLimiterMemory({ points: perMinute, duration: 60 });

  /** The live token a request carries, looked up at most once a minute per token. */
  const tokenOf = async (
    authorization: string | null,
    addressKey: string,
  ): Promise<TokenSummary | null | { refusedMs: number }> => {
    const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    if (!bearer) return null;
    const hash = hashToken(bearer);
    let known = tokens.get(hash);
    if (!known) {
      const refused = await lookups.consume(addressKey).then(
        () => null,
        (refusal: unknown) => refusal,
      );
      if (refused instanceof RateLimiterRes) return { refusedMs: refused.msBeforeNext };
      // A database that cannot answer leaves the request counted by its address.
      known = { token: await findLiveToken(sql, bearer).catch(() => null) };
      tokens.set(hash, known);
    }
    return known.token;
  };

  const refuse = (msBeforeNext: number, fetchAPI: { Response: typeof Response }) => {
    options.onRefused?.();
    const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
    const error = new RateLimitedError(perMinute, retryAfter);
    return new fetchAPI.Response(
      JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] }),
      {
        status: 429,
        headers: { "content-type": "application/json; charset=utf-8", "retry-after": String(retryAfter) },
      },
    );
  };

  return {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      const addressKey = `address:${clientAddress(request, serverContext as { req?: IncomingMessage }, options.trustProxy)}`;
      const token = await tokenOf(request.headers.get("authorization"), addressKey);
      if (token && "refusedMs" in token) return endResponse(refuse(token.refusedMs, fetchAPI));
      if (token?.scopes.includes("graph:admin")) return;
      try {
        await limiter.consume(token ? `token:${token.id}` : addressKey);
      } catch (refusal) {
        // Not a refusal but a failure of both stores: let the request through rather than refuse everyone.
        if (refusal instanceof RateLimiterRes) endResponse(refuse(refusal.msBeforeNext, fetchAPI));
      }
    },
  };
}

/** The client's address: the socket's peer, or the first X-Forwarded-For hop when the proxy is trusted. */
export function clientAddress(request: Request, serverContext: { req?: IncomingMessage }, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return serverContext.req?.socket?.remoteAddress ?? "unknown";
}
