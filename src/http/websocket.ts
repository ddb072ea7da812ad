// graphql-ws on the HTTP server's /graphql path, executed by the same Yoga envelope as HTTP
// requests (same schema, context, error masking).
import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { YogaServerInstance } from "graphql-yoga";
import type { Context } from "../context.js";
import type { ScopedContext } from "./request-log.js";
import { IllFormedTextError, LimitExceededError, NulCharacterError } from "../errors.js";
import { checkVariables } from "../limits/values.js";

interface EnvelopedRoot {
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

/** The check Yoga's HTTP path makes of the variables (src/limits/plugin.ts), which graphql-ws bypasses. */
function variablesProblem(variables: Record<string, unknown> | null | undefined, maxDepth: number) {
  const problem = checkVariables(variables, maxDepth);
  if (!problem) return null;
  if (problem.kind === "depth")
    return new LimitExceededError(
      `The variables are nested more than ${maxDepth} levels deep (MAX_VARIABLES_DEPTH).`,
      "variablesDepth",
      maxDepth,
      problem.depth,
    );
  return problem.kind === "nul"
    ? new NulCharacterError(`The value of ${problem.path}`)
    : new IllFormedTextError(problem.path);
}

export function attachWebSocket(
  httpServer: Server,
  yoga: YogaServerInstance<ScopedContext, Context>,
  maxVariablesDepth: number,
): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const refused = variablesProblem(params.variables, maxVariablesDepth);
        if (refused) return [refused];
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wsServer,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
