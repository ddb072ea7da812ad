// Liveness, readiness and the end of a subscription's life when the process stops.
// /health: the process answers (Yoga's own check). /ready: it should be sent traffic: the database
// answers, Redis too when there is one, and it is not shutting down.
import { Repeater, isAsyncIterable, type Plugin } from "graphql-yoga";
import type { ServedDatabase } from "../db/database.js";
import type { SharedRedis } from "../db/redis.js";

export interface Readiness {
  db: Pick<ServedDatabase, "ping">;
  redis?: SharedRedis | null;
  /** True from the moment the process begins to shut down. */
  draining(): boolean;
}

const probeTimeoutMs = 1_000;

export function useReadiness({ db, redis, draining }: Readiness, endpoint = "/ready"): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      const [database, cache] = await Promise.all([db.ping(probeTimeoutMs), redis ? redis.ready(probeTimeoutMs) : Promise.resolve(null)]);
      const checks: Record<string, string> = { database: database ? "ok" : "down" };
      if (cache !== null) checks.redis = cache ? "ok" : "down";
      const status = draining() ? "draining" : database && cache !== false ? "ready" : "unavailable";
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status, checks }), {
          status: status === "ready" ? 200 : 503,
          headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
        }),
      );
    },
  };
}

/**
 * Subscriptions complete when `signal` aborts (the process is shutting down): an SSE stream ends
 * with its `complete` event and a graphql-ws subscription with its `complete` message, instead of a
 * cut connection, so clients know to reconnect elsewhere.
 */
export function useEndSubscriptions(signal: AbortSignal): Plugin {
  return {
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (isAsyncIterable(result)) setResult(until(result, signal));
      },
    }),
  };
}

function until<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterableIterator<T> {
  return new Repeater<T>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const end = () => stop();
    signal.addEventListener("abort", end, { once: true });
    if (signal.aborted) stop();
    stop.then(() => iterator.return?.()).catch(() => undefined);
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stop.then(() => ({ done: true, value: undefined }) as IteratorResult<T>)]);
        if (next.done) break;
        await push(next.value);
      }
    } finally {
      signal.removeEventListener("abort", end);
      stop();
    }
  });
}
