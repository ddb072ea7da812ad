// One access-log line per request (method, path, status, duration, bytes, client, operation, the
// request id), and the request id on every other line logged while serving it (src/log.ts). A
// caller's X-Request-Id is kept when it looks like one, so a trace crosses the proxy; otherwise one
// is made. The query string is never logged: a GET request carries its whole document there.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "graphql-yoga";
import { currentRequest, inRequestScope, log } from "../log.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const requestIdPattern = /^[\w.:@-]{1,128}$/;

export function withRequestLog(handler: Handler, { trustProxy = false, accessLog = true } = {}): Handler {
  return (request, response) => {
    const given = request.headers["x-request-id"];
    const id = typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    response.setHeader("x-request-id", id);
    const scope = { id, operation: undefined as string | undefined };
    const started = performance.now();
    if (accessLog) response.once("close", () => {
      const forwarded = trustProxy ? String(request.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim() : "";
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
    inRequestScope(scope, () => handler(request, response));
  };
}

/** Names the operation in the request's access-log line once its parameters are known. */
export function useOperationName(): Plugin {
  return {
    onParams({ params }) {
      const scope = currentRequest();
      if (scope) scope.operation = params.operationName ?? undefined;
    },
  };
}
