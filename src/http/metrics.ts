// /metrics in Prometheus' text format: requests, their latency and errors per operation (Yoga's
// Prometheus plugin), the database pools' use, the response cache's hits and stores, rate-limit
// refusals, and Node's own process metrics. One registry per server, so several servers in one
// process (tests) never collide.
import { usePrometheus } from "@graphql-yoga/plugin-prometheus";
import type { Plugin } from "graphql-yoga";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { PoolStats } from "../db/database.js";

export interface ServerMetrics {
  plugin: Plugin;
  registry: Registry;
  cache: { hit(): void; stored(): void };
  rateLimited(): void;
}

export function createMetrics(pools: () => PoolStats[], endpoint = "/metrics"): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const poolConnections = new Gauge({
    name: "graph_db_pool_connections",
    help: "PostgreSQL connections of each pool, by state (idle, busy) and requests waiting for one",
    labelNames: ["pool", "state"],
    registers: [registry],
    collect() {
      for (const pool of pools()) {
        this.set({ pool: pool.name, state: "idle" }, pool.idle);
        this.set({ pool: pool.name, state: "busy" }, pool.total - pool.idle);
        this.set({ pool: pool.name, state: "waiting" }, pool.waiting);
      }
    },
  });
  void poolConnections;
  const cacheHits = new Counter({ name: "graph_response_cache_hits_total", help: "Answers served from the response cache", registers: [registry] });
  const cacheStores = new Counter({ name: "graph_response_cache_stores_total", help: "Answers written to the response cache", registers: [registry] });
  const rateLimited = new Counter({ name: "graph_rate_limited_total", help: "Requests refused with 429 by the rate limit", registers: [registry] });
  const plugin = usePrometheus({
    registry,
    endpoint,
    skipIntrospection: true,
    labels: { operationName: true, operationType: true, method: true, statusCode: true, url: false, fieldName: false, typeName: false },
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_error_result: true,
      graphql_yoga_http_duration: true,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
    },
  });
  return {
    plugin,
    registry,
    cache: { hit: () => cacheHits.inc(), stored: () => cacheStores.inc() },
    rateLimited: () => rateLimited.inc(),
  };
}
