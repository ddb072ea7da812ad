// Every request's work is bounded before and while it runs: the document's tokens, depth, aliases
// and directives as it is parsed (before validation, which a hostile document can keep busy); its
// variables as they arrive; its cost, computed from the schema with its variables, before execution;
// its time, by a deadline past which no statement is sent; and the size of its answer.
import type { GraphQLError, ExecutionResult, GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../context.js";
import { IllFormedTextError, LimitExceededError, NulCharacterError, type LimitName } from "../errors.js";
import { operationCost, operationOf } from "./cost.js";
import { checkDocument, count } from "./document.js";
import { checkVariables } from "./values.js";
import type { RequestLimits } from "./defaults.js";

// graphql-js 16 says "more that".
const tokensExceeded = /contains more th(?:an|at) \d+ tokens/;

export function useRequestLimits(schema: GraphQLSchema, limits: RequestLimits): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        let document: ReturnType<typeof parseFn>;
        try {
          document = parseFn(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          // By its message: the parser may come from another copy of graphql than ours.
          if (error instanceof Error && tokensExceeded.test(error.message)) {
            throw new LimitExceededError(
              `The document holds more than ${limits.maxTokens} tokens (MAX_TOKENS); parsing stopped there.`,
              "tokens",
              limits.maxTokens,
              limits.maxTokens + 1,
            );
          }
          throw error;
        }
        const problem = checkDocument(document, limits);
        if (problem) throw problem;
        return document;
      });
    },
    onParams({ params, setResult }) {
      const problem = checkVariables(params.variables, limits.maxVariablesDepth);
      if (problem?.kind === "depth") {
        setResult(
          refused(
            new LimitExceededError(
              `The variables are nested more than ${limits.maxVariablesDepth} levels deep (MAX_VARIABLES_DEPTH).`,
              "variablesDepth",
              limits.maxVariablesDepth,
              problem.depth,
            ),
          ),
        );
      } else if (problem?.kind === "nul") {
        setResult(refused(new NulCharacterError(`The value of ${problem.path}`)));
      } else if (problem?.kind === "surrogate") {
        setResult(refused(new IllFormedTextError(problem.path)));
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const operation = operationOf(args.document, args.operationName);
      if (!operation) return;
      const cost = operationCost(schema, args.document, operation, args.variableValues, limits.cost);
      if (cost > limits.maxCost) {
        setResultAndStopExecution(
          refused(
            new LimitExceededError(
              `The operation would cost ${count(cost)}; the limit is ${count(limits.maxCost)} (MAX_COST). ` +
                "Every field costs 1 and what lies beneath a list costs once per item it may hold: ask for smaller pages or fewer levels.",
              "cost",
              limits.maxCost,
              cost,
            ),
          ),
        );
        return;
      }
      // Queries only: a mutation stopped halfway would still commit, and a subscription lives on.
      // No statement is sent past the deadline (src/db/sql-reader.ts): a clock read per statement,
      // where an AbortSignal handed to the executor cost a quarter of a small request's CPU.
      const context = args.contextValue as Partial<Pick<Context, "deadline">>;
      if (limits.requestTimeoutMs > 0 && operation.operation === "query" && context.deadline) {
        context.deadline.at = Date.now() + limits.requestTimeoutMs;
        context.deadline.timeoutMs = limits.requestTimeoutMs;
      }
    },
    onExecutionResult({ result, setResult }) {
      if (!result || Symbol.asyncIterator in result) return;
      // The answer is measured as it is printed, once: printing it to measure it would double the work.
      setResult({ ...result, stringify: (printed) => capped(printed, limits.maxResponseChars) });
    },
  };
}

function refused(error: GraphQLError): ExecutionResult {
  return { errors: [error] };
}

/** The answer as JSON, or, when that is longer than `max`, the error that says so instead. */
function capped(result: unknown, max: number): string {
  const text = JSON.stringify(result);
  if (text.length <= max) return text;
  const message = `The answer would be ${count(text.length)} characters long; the limit is ${count(max)} (MAX_RESPONSE_CHARS): ask for smaller pages or fewer fields.`;
  const limit: LimitName = "responseSize";
  return JSON.stringify({
    data: null,
    errors: [{ message, extensions: { code: "LIMIT_EXCEEDED", limit, max, actual: text.length } }],
  });
}
