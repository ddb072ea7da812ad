// One access-log line per request (method, path, status, duration, bytes, client, operation, the
// request id), and the request id on the error lines of its execution. A caller's X-Request-Id is
// kept when it looks like one, so a trace crosses the proxy; otherwise one is made. The query string
// is never logged: a GET request carries its whole document there.
//
// The request's scope travels in Yoga's server context (the third argument of its Node handler),
// not in an AsyncLocalStorage: on Node 20 that turns on promise hooks for the whole process, which
// cost 7% of a lookup's CPU.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "graphql-yoga";
import { isUnexpected } from "./errors.js";
import { log } from "../log.js";

/** What is known of the request being served. */
export interface RequestScope {
  id: string;
  operation?: string;
}

/** The server context Yoga's handlers and plugins see for a request served through withRequestLog. */
export type ScopedContext = {
  requestScope?: RequestScope;
};

type YogaHandler = (request: IncomingMessage, response: ServerResponse, context: ScopedContext) => void;
type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const requestIdPattern = /^[\w.:@-]{1,128}$/;

export function withRequestLog(handler: YogaHandler, { trustProxy = false, accessLog = true } = {}): Handler {
  return (request, response) => {
    const given = request.headers["x-request-id"];
    const id = typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    response.setHeader("x-request-id", id);
    const scope: RequestScope = { id };
    const started = performance.now();
    if (accessLog) {
      response.once("close", () => {
        const forwarded = trustProxy
          ? String(request.headers["x-forwarded-for"] ?? "")
              .split(",")[0]
              ?.trim()
          : "";
        log.info(
          {
            reqId: id,
            method: request.method,
            path: (request.url ?? "").split("?")[0],
            status: response.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
            bytes: Number(response.getHeader("content-length")) || undefined,
            client: forwarded || request.socket.remoteAddress,
            operation: scope.operation,
            completed: response.writableFinished,
          },
          "request",
        );
      });
    }
    handler(request, response, { requestScope: scope });
  };
}

/**
 * Names the operation in the request's access-log line once its parameters are known, and logs each
 * internal error of its execution with the request id, its path and its stack. (Errors the client
 * caused come back to it coded, and are not the server's to log.)
 */
export function useRequestLog(): Plugin {
  return {
    onParams({ params, context }) {
      const scope = (context as ScopedContext).requestScope;
      if (scope) scope.operation = params.operationName ?? undefined;
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          for (const error of result.errors ?? []) {
            if (!isUnexpected(error)) continue;
            const reqId = (args.contextValue as ScopedContext).requestScope?.id;
            log.error({ reqId, path: error.path, err: error.originalError ?? error }, error.message);
          }
        },
      };
    },
  };
}
