// The Yoga app: schema, per-request context, GraphiQL with example tabs, and coded errors only.
import { useGraphQlJit } from "@envelop/graphql-jit";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { getOperationAST, GraphQLError, type ExecutionArgs, type GraphQLErrorExtensions } from "graphql";
import { createYoga, maskError as maskUnexpected, type Plugin, type YogaServerInstance } from "graphql-yoga";
import { PothosValidationError } from "@pothos/core";
import { createResponseCache, GraphVersion, versionedPubSub, type ResponseCacheOptions } from "./cache/response-cache.js";
import { createContext, type Context } from "./context.js";
import { createGraphEvents, type GraphPubSub } from "./events/pubsub.js";
import { UserInputError } from "./errors.js";
import { exampleOperations } from "./examples.js";
import { createPersistedOperations, documentIdParam, type PersistedOperationsOptions } from "./operations/persisted.js";
import { RequestAuth } from "./auth/request-auth.js";
import { useRequestBodyLimit } from "./request-body-limit.js";
import { useWellFormedVariables } from "./well-formed-variables.js";
import { usePictures } from "./pictures/routes.js";
import type { GraphDatabase } from "./db/database.js";
import { schema } from "./schema/index.js";

export type GraphServer = YogaServerInstance<Record<string, never>, Context>;

/**
 * Errors raised on purpose reach the client with their code: ours (UserInputError), the argument
 * checks of Pothos (PothosValidationError), and request errors raised before execution (variables
 * that do not coerce, persisted operations: they have no path). Everything else is an internal
 * error and is masked.
 */
function maskError(error: unknown, message: string, isDev?: boolean): Error {
  if (!(error instanceof GraphQLError)) return maskUnexpected(error, message, isDev);
  const original = error.originalError;
  if (!error.path && (!original || original instanceof GraphQLError)) return coded(error, error.extensions?.code ?? "BAD_USER_INPUT");
  if (original instanceof UserInputError || original instanceof PothosValidationError) {
    return coded(error, original.extensions.code ?? codeOfPothosError(original), original.extensions);
  }
  return maskUnexpected(error, message, isDev);
}

/**
 * The error with its code. Yoga logs every error maskError replaces as an unexpected one, with its
 * stack, so one that carries its code already (a UserInputError's, whose extensions GraphQLError
 * copies; persisted operations') comes back as the same object; errors are frozen, so the others
 * (Pothos' argument checks, variables graphql-jit refuses) are copies.
 */
function coded(error: GraphQLError, code: unknown, extensions: GraphQLErrorExtensions = error.extensions): GraphQLError {
  if (error.extensions?.code === code) return error;
  const { nodes, source, positions, path } = error;
  return new GraphQLError(error.message, { nodes, source, positions, path, extensions: { ...error.extensions, ...extensions, code } });
}

function isQuery({ document, operationName }: ExecutionArgs): boolean {
  return getOperationAST(document, operationName)?.operation === "query";
}

function authorizationOf(initial: { request?: Request; connectionParams?: Record<string, unknown> }): string | null {
  const fromParams = initial.connectionParams?.authorization ?? initial.connectionParams?.Authorization;
  return initial.request?.headers.get("authorization") ?? (typeof fromParams === "string" ? fromParams : null);
}

// Pothos checks `first`/`last` for negatives before our page-size hook runs; one code for both.
function codeOfPothosError(error: GraphQLError): string {
  return /^Argument "(first|last)"/.test(error.message) ? "PAGE_SIZE_OUT_OF_RANGE" : "BAD_USER_INPUT";
}

export interface ServerOptions {
  /** Where change events go; an in-process pub/sub when absent (one instance). */
  pubSub?: GraphPubSub;
  /** Serve repeated queries from a response cache; off when absent. */
  responseCache?: ResponseCacheOptions | null;
  /** Execute compiled queries (graphql-jit); on unless false. */
  jit?: boolean;
  /** Manifest, trusted-documents mode and APQ store; APQ alone (no manifest) when absent. */
  persistedOperations?: Omit<PersistedOperationsOptions, "mayRunAnyDocument">;
  /** Largest request body accepted, in bytes (Yoga's 25 MB when absent). */
  requestBodyLimit?: number;
}

export function createServer(db: GraphDatabase, options: ServerOptions = {}): GraphServer {
  let pubSub = options.pubSub ?? createGraphEvents().pubSub;
  const plugins: Plugin[] = [usePictures(db), useRequestBodyLimit(options.requestBodyLimit), useWellFormedVariables()];
  // graphql-jit compiles each query document once (cached with Yoga's parsed document) into one
  // function that calls the resolvers directly: on the 3-level traversal, about 1,000 fields, it
  // halved the server's CPU per request (README, Performance). Queries only: subscriptions and
  // mutations are not hot, and graphql-js runs them as before.
  // (An envelop plugin typed for any context; Yoga's Plugin type asks for its own.)
  if (options.jit !== false) plugins.push(useGraphQlJit({}, { enableIf: isQuery }) as Plugin);
  const persisted = createPersistedOperations({
    manifest: new Map(),
    ...options.persistedOperations,
    // Trusted-documents mode still runs any document for an administrator (GraphiQL, operators).
    mayRunAnyDocument: (request) => new RequestAuth(db.prisma, request.headers.get("authorization")).hasScope("graph:admin"),
  });
  // Before the response cache: its key is the document, which an id becomes here.
  plugins.push(...persisted.plugins, { onDispose: persisted.close });
  if (options.responseCache) {
    const version = new GraphVersion(db.prisma);
    pubSub = versionedPubSub(pubSub, version);
    const cache = createResponseCache(version, options.responseCache);
    plugins.push(cache.plugin, { onDispose: cache.close });
  }
  return createYoga<Record<string, never>, Context>({
    schema,
    // Over HTTP the token comes in the Authorization header; over graphql-ws, in the connection params.
    context: (initial) => createContext(db, { pubSub, authorization: authorizationOf(initial) }),
    maskedErrors: { maskError },
    extraParamNames: [documentIdParam],
    // Ours instead (useRequestBodyLimit): the same limit, at a fraction of the cost.
    maxRequestBodySize: false,
    graphiql: {
      title: "China regional economy graph",
      defaultTabs: exampleOperations.map(({ query }) => ({ query })),
    },
    renderGraphiQL,
    plugins,
    logging: process.env.NODE_ENV === "test" ? "warn" : "info",
  });
}
