// Operations named by id instead of sent as text, in the two protocols clients speak:
// - `documentId` (Relay's persisted queries, GraphQL Codegen's client preset, trusted documents):
//   the id of a document in the manifest (src/operations/manifest.ts);
// - automatic persisted queries (APQ: Apollo Client's and urql's persisted-query links): the client
//   sends `extensions.persistedQuery.sha256Hash`; an unknown hash answers PersistedQueryNotFound and
//   the client sends the text once with its hash, which registers it. Manifest documents answer to
//   their APQ hash too. A hash always means the same text, so the per-instance LRU in front of
//   Redis can never serve a stale registration.
// With `only`, nothing but the manifest runs (trusted documents): document texts, registrations
// included, are refused, except from callers `mayRunAnyDocument` lets through (graph:admin).
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import type { SharedRedis } from "../db/redis.js";
import { operationId, type Manifest } from "./manifest.js";

export interface PersistedOperationsOptions {
  manifest: Manifest;
  /** Run manifest documents only (trusted documents); `mayRunAnyDocument` decides the exceptions. */
  only?: boolean;
  mayRunAnyDocument?(request: Request): Promise<boolean>;
  /** Registered APQ documents shared by every instance; per instance when absent. */
  redis?: SharedRedis | null;
}

export interface PersistedOperations {
  plugins: Plugin[];
}

/** The request body parameter naming a manifest document (Yoga refuses unknown parameters). */
export const documentIdParam = "documentId";

// A registration lives a day after it was last made; the LRU bounds each instance.
const registrationTtlSeconds = 24 * 60 * 60;
const registrationsKept = 10_000;

function apqHash(params: GraphQLParams): string | null {
  const persisted = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  return persisted?.version === 1 && typeof persisted.sha256Hash === "string" ? persisted.sha256Hash : null;
}

function documentIdOf(params: GraphQLParams): string | null {
  const id = (params as GraphQLParams & { [documentIdParam]?: unknown })[documentIdParam];
  return typeof id === "string" && id ? id : null;
}

interface Registrations {
  get(hash: string): string | undefined | Promise<string | undefined>;
  set(hash: string, text: string): void | Promise<void>;
}

/**
 * APQ documents: this instance's, and with Redis every instance's. While Redis is away an instance
 * knows only its own registrations; a client meeting PersistedQueryNotFound sends the text again,
 * so that costs a round trip, never an answer.
 */
function registrations(redis: SharedRedis | null | undefined): Registrations {
  const local = new LRUCache<string, string>({ max: registrationsKept, ttl: registrationTtlSeconds * 1000 });
  if (!redis) return { get: (hash) => local.get(hash), set: (hash, text) => void local.set(hash, text) };
  const key = (hash: string) => `${redis.prefix}apq:${hash}`;
  return {
    async get(hash) {
      const known = local.get(hash);
      if (known !== undefined) return known;
      const shared = await redis.commands.get(key(hash)).catch(() => null);
      if (shared === null) return undefined;
      local.set(hash, shared);
      return shared;
    },
    async set(hash, text) {
      local.set(hash, text);
      await redis.commands.set(key(hash), text, "EX", registrationTtlSeconds).catch(() => undefined);
    },
  };
}

/** APQ's second step: a document sent with its hash is kept under it, if the hash is its own. */
function useRegistration(store: Registrations): Plugin {
  return {
    async onParams({ params }) {
      const hash = params.query ? apqHash(params) : null;
      if (!hash) return;
      if (operationId(params.query!) !== hash) {
        throw createGraphQLError(
          "PersistedQueryMismatch: extensions.persistedQuery.sha256Hash is not the SHA-256 of the query.",
          {
            extensions: { code: "PERSISTED_QUERY_MISMATCH", http: { status: 400 } },
          },
        );
      }
      await store.set(hash, params.query!);
    },
  };
}

export function createPersistedOperations(options: PersistedOperationsOptions): PersistedOperations {
  const { manifest, only = false } = options;
  const store = only ? null : registrations(options.redis);
  const byId = usePersistedOperations({
    extractPersistedOperationId: (params) => documentIdOf(params) ?? apqHash(params),
    getPersistedOperation: (id) => {
      const known = manifest.get(id);
      return known !== undefined || !store
        ? (known ?? null)
        : Promise.resolve(store.get(id)).then((text) => text ?? null);
    },
    allowArbitraryOperations: only ? (request) => options.mayRunAnyDocument?.(request) ?? Promise.resolve(false) : true,
    customErrors: {
      // APQ clients (Apollo, urql) send the text when they read exactly this message.
      notFound: ({ params }) =>
        documentIdOf(params)
          ? createGraphQLError(`No persisted operation has the id "${documentIdOf(params)}".`, {
              extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
            })
          : createGraphQLError("PersistedQueryNotFound", { extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }),
      keyNotFound: {
        message: `Send a GraphQL document as "query", or the id of a persisted operation as "${documentIdParam}".`,
        extensions: { code: "BAD_REQUEST", http: { status: 400 } },
      },
      persistedQueryOnly: {
        message: `This server runs persisted operations only: send "${documentIdParam}" (or extensions.persistedQuery.sha256Hash) of a document in its manifest, not a document.`,
        extensions: { code: "PERSISTED_QUERY_ONLY", http: { status: 400 } },
      },
    },
  });
  // Registration first, so it sees only what the client sent; trusted mode registers nothing.
  return { plugins: store ? [useRegistration(store), byId] : [byId] };
}
