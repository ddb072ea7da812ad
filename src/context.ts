// Per-request context: the Prisma client, fresh dataloaders, the caller's token (looked up only if
// a mutation asks) and the pub/sub that carries change events to subscriptions.
import { initContextCache } from "@pothos/core";
import { RequestAuth } from "./auth/request-auth.js";
import type { GraphPubSub } from "./events/pubsub.js";
import type { GraphDatabase } from "./db/database.js";
import { readerWithDeadline, type Deadline, type SqlReader } from "./db/sql-reader.js";
import type { PrismaClient } from "./generated/prisma/client.js";
import { createLoaders, type Loaders } from "./reads/loaders.js";
import type { SearchWith } from "./reads/search.js";

export interface Context {
  prisma: PrismaClient;
  sql: SqlReader;
  loaders: Loaders;
  auth: RequestAuth;
  pubSub: GraphPubSub;
  /** Set when a query starts (src/limits/plugin.ts); statements past it are not sent. */
  deadline: Deadline;
  /** How searches find their candidates (SEARCH_INDEX): this server's index of every alias, or PostgreSQL's. */
  searchWith: SearchWith;
}

export interface ContextOptions {
  pubSub: GraphPubSub;
  /** The request's Authorization header, if any. */
  authorization?: string | null;
  searchWith?: SearchWith;
}

export function createContext(db: GraphDatabase, options: ContextOptions): Context {
  const { prisma } = db;
  const deadline: Deadline = { at: null, timeoutMs: 0 };
  const sql = readerWithDeadline(db.sql, deadline);
  return {
    prisma,
    sql,
    loaders: createLoaders({ prisma, sql }),
    auth: new RequestAuth(sql, options.authorization ?? null),
    pubSub: options.pubSub,
    deadline,
    searchWith: options.searchWith ?? "statement",
  };
}

/**
 * A subscription runs every event with the context it started with. Each event must read the graph
 * as it is now, so it gets fresh dataloaders and fresh Pothos request caches.
 */
export function refreshForEvent(context: Context): void {
  context.loaders = createLoaders(context);
  Object.assign(context, initContextCache());
}
