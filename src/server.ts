// The Yoga app: schema, per-request context, GraphiQL with example tabs, coded errors only, and the
// guards every request passes (limits, rate limit, CSRF, CORS), readiness and metrics.
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import { useEngine } from "@envelop/core";
import { GraphQLError } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import {
  createResponseCache,
  GraphVersion,
  versionedPubSub,
  type ResponseCacheOptions,
} from "./cache/response-cache.js";
import { createContext, type Context } from "./context.js";
import { createGraphEvents, type GraphPubSub } from "./events/pubsub.js";
import { useSharedSubscriptionExecution } from "./events/shared-execution.js";
import { exampleTabs } from "./examples.js";
import { useGraphiQLPage } from "./http/graphiql.js";
import { useCsrfPrevention } from "./http/csrf.js";
import { isUnexpected, maskError, useNoSuggestions, useUnavailableStatus } from "./http/errors.js";
import { useReadiness } from "./http/readiness.js";
import { createMetrics } from "./http/metrics.js";
import { useRequestLog, type ScopedContext } from "./http/request-log.js";
import { defaultLimits, type RequestLimits } from "./limits/defaults.js";
import { useRequestLimits } from "./limits/plugin.js";
import { useRateLimit } from "./limits/rate-limit.js";
import { createPersistedOperations, documentIdParam, type PersistedOperationsOptions } from "./operations/persisted.js";
import { RequestAuth } from "./auth/request-auth.js";
import { useRequestBodyLimit } from "./http/request-body-limit.js";
import { usePictures } from "./http/pictures/routes.js";
import { useExplorer } from "./http/explorer.js";
import type { ServedDatabase } from "./db/database.js";
import type { SharedRedis } from "./db/redis.js";
import { execute } from "./execute.js";
import { log } from "./log.js";
import { schema } from "./schema/index.js";

export type GraphServer = YogaServerInstance<ScopedContext, Context>;

function authorizationOf(initial: { request?: Request; connectionParams?: Record<string, unknown> }): string | null {
  const fromParams = initial.connectionParams?.authorization ?? initial.connectionParams?.Authorization;
  return initial.request?.headers.get("authorization") ?? (typeof fromParams === "string" ? fromParams : null);
}

export interface ServerOptions {
  /** Where change events go; an in-process pub/sub when absent (one instance). */
  pubSub?: GraphPubSub;
  /** Shared by every instance: the response cache, persisted-query registrations, rate-limit counts. */
  redis?: SharedRedis | null;
  /** Serve repeated queries from a response cache (in `redis` when given); off when absent. */
  responseCache?: Omit<ResponseCacheOptions, "redis"> | null;
  /** Manifest and trusted-documents mode; APQ alone (no manifest) when absent. */
  persistedOperations?: Omit<PersistedOperationsOptions, "mayRunAnyDocument" | "redis">;
  /** Largest request body accepted, in bytes (Yoga's 25 MB when absent). */
  requestBodyLimit?: number;
  /** The work one request may ask for (src/limits); the documented defaults for what is not given. */
  limits?: Partial<RequestLimits>;
  /** Requests a minute per client; no limit when absent. */
  rateLimit?: { perMinute: number; trustProxy?: boolean } | null;
  /** Browser origins allowed to call with credentials; any origin without credentials when absent. */
  corsOrigins?: string[] | null;
  /** Production: validation errors do not suggest field names. */
  production?: boolean;
  /** Answer introspection queries (on unless false). */
  introspection?: boolean;
  /** Searches find their candidates in this process's index of every alias (off when absent). */
  searchIndex?: boolean;
  /** Where the explorer's build is (web/dist when absent); served at `/`. */
  explorerDir?: string;
  /** True once the process is shutting down: /ready answers 503. */
  draining?: () => boolean;
}

export function createServer(db: ServedDatabase, options: ServerOptions = {}): GraphServer {
  let pubSub = options.pubSub ?? createGraphEvents();
  const metrics = createMetrics(() => db.pools());
  const plugins: Plugin[] = [
    // First, where Yoga's own GraphiQL plugin sat: the page answers before any other plugin's onRequest.
    useGraphiQLPage({ title: "China regional economy graph", defaultTabs: exampleTabs }),
    // graphql-js's own executor rather than Yoga's (@graphql-tools/executor, built for @defer,
    // @stream and cancellation, which this schema does not use): 20% less server CPU on the
    // benchmark's traversal, measured side by side. A field without arguments is given one shared
    // empty object rather than two new ones (src/execute.ts).
    useEngine({ execute }) as Plugin,
    // Subscriptions on graphql-js's too, each event executed once per document, variables and
    // viewer in this instance, not once per subscriber (src/events/shared-execution.ts).
    useSharedSubscriptionExecution(),
    useReadiness({ db, redis: options.redis, draining: options.draining ?? (() => false) }),
    metrics.plugin,
    // Before the rate limit: loading the page and its assets is not asking the graph anything.
    useExplorer(options.explorerDir),
  ];
  if (options.rateLimit && options.rateLimit.perMinute > 0) {
    plugins.push(useRateLimit(db.sql, { ...options.rateLimit, redis: options.redis, onRefused: metrics.rateLimited }));
  }
  plugins.push(
    usePictures(db),
    useRequestBodyLimit(options.requestBodyLimit),
    useCsrfPrevention(),
    useRequestLog(),
    useRequestLimits(schema, { ...defaultLimits, ...options.limits }),
  );
  if (options.introspection === false) plugins.push(useDisableIntrospection());
  if (options.production) plugins.push(useNoSuggestions());
  const persisted = createPersistedOperations({
    manifest: new Map(),
    ...options.persistedOperations,
    redis: options.redis,
    // Trusted-documents mode still runs any document for an administrator (GraphiQL, operators).
    mayRunAnyDocument: (request) =>
      new RequestAuth(db.sql, request.headers.get("authorization")).hasScope("graph:admin"),
  });
  // Before the response cache: its key is the document, which an id becomes here.
  plugins.push(...persisted.plugins);
  if (options.responseCache) {
    const version = new GraphVersion(db.prisma);
    pubSub = versionedPubSub(pubSub, version);
    const cache = createResponseCache(version, { ...options.responseCache, redis: options.redis }, metrics.cache);
    plugins.push(cache.plugin, { onDispose: cache.close });
  }
  plugins.push(useUnavailableStatus());
  return createYoga<ScopedContext, Context>({
    schema,
    // Over HTTP the token comes in the Authorization header; over graphql-ws, in the connection params.
    context: (initial) =>
      createContext(db, {
        pubSub,
        authorization: authorizationOf(initial),
        searchWith: options.searchIndex ? "index" : "statement",
      }),
    maskedErrors: { maskError },
    extraParamNames: [documentIdParam],
    // Ours instead (useRequestBodyLimit): the same limit, at a fraction of the cost.
    maxRequestBodySize: false,
    // Reads are public and tokens travel in a header, never a cookie: any origin may read, and only
    // the origins named in CORS_ORIGINS may send credentials.
    cors: options.corsOrigins?.length
      ? { origin: options.corsOrigins, credentials: true }
      : { origin: "*", credentials: false },
    // Ours instead (useGraphiQLPage): the same page, compressed once and revalidated with an ETag.
    graphiql: false,
    plugins,
    logging: yogaLogger,
  });
}

// Yoga's own messages as JSON lines of the process log. Yoga reports every error it replaced as an
// error: one that reached the client with its code (a bad argument, a refused variable) was the
// client's mistake, and an internal error of an execution (it has a path) is logged with its request
// id by useRequestLog; both go to debug here.
const yogaLogger = {
  debug: (...args: unknown[]) => log.debug({ detail: args.slice(1) }, String(args[0])),
  info: (...args: unknown[]) => log.info({ detail: args.slice(1) }, String(args[0])),
  warn: (...args: unknown[]) => log.warn({ detail: args.slice(1) }, String(args[0])),
  error: (...args: unknown[]) => {
    const [first] = args;
    if (!(first instanceof Error)) return log.error({ detail: args.slice(1) }, String(first));
    const executed = first instanceof GraphQLError && first.path !== undefined;
    if (executed || !isUnexpected(first)) return log.debug({ err: first }, first.message);
    return log.error({ err: first }, first.message);
  },
};
