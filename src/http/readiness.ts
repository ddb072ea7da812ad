// /ready: whether this instance should be sent traffic: the database answers, Redis too when there
// is one, and it is not shutting down. (/health, whether the process answers at all, is Yoga's own.)
import type { Plugin } from "graphql-yoga";
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
      const [database, cache] = await Promise.all([
        db.ping(probeTimeoutMs),
        redis ? redis.ready(probeTimeoutMs) : Promise.resolve(null),
      ]);
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
