// How errors leave the server: coded ones as they are, database faults as a retryable coded error
// (503 when the request got no data), everything else masked as "Unexpected error." and logged.
import { PothosValidationError } from "@pothos/core";
import { GraphQLError, type ExecutionResult, type GraphQLErrorExtensions } from "graphql";
import { maskError as maskUnexpected, type Plugin } from "graphql-yoga";
import { databaseFault } from "../db/faults.js";
import { ServiceUnavailableError, UserInputError } from "../errors.js";

/**
 * Errors raised on purpose reach the client with their code: ours (UserInputError and the other
 * classes of src/errors.ts), the argument checks of Pothos (PothosValidationError), and request
 * errors raised before execution (variables that do not coerce, persisted operations, limits: they
 * have no path). A database that is away or cancelled a statement is DATABASE_UNAVAILABLE or
 * TIMEOUT. Everything else is an internal error and is masked.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const fault = databaseFault(error);
  if (fault) return unavailable(fault, error);
  if (!(error instanceof GraphQLError)) return maskUnexpected(error, message, isDev);
  const original = error.originalError;
  if (!error.path && (!original || original instanceof GraphQLError))
    return coded(error, error.extensions?.code ?? "BAD_USER_INPUT");
  if (
    original instanceof UserInputError ||
    original instanceof ServiceUnavailableError ||
    original instanceof PothosValidationError
  ) {
    return coded(error, original.extensions.code ?? codeOfPothosError(original), original.extensions);
  }
  return maskUnexpected(error, message, isDev);
}

/** A field's error keeps its path; one without a path failed the whole request, which is then a 503. */
/** Whether `error` reaches the client masked, as an internal error: the server's fault, to be logged. */
export function isUnexpected(error: unknown): boolean {
  const masked = maskError(error, "");
  return !(masked instanceof GraphQLError) || masked.extensions?.code === "INTERNAL_SERVER_ERROR";
}

function unavailable(fault: "unavailable" | "timeout", error: unknown): GraphQLError {
  const whole = !(error instanceof GraphQLError) || !error.path;
  const status = whole ? 503 : undefined;
  const cause =
    fault === "timeout"
      ? new ServiceUnavailableError(
          "The database cancelled a statement that ran past STATEMENT_TIMEOUT_MS.",
          "TIMEOUT",
          status,
        )
      : new ServiceUnavailableError("The database is unavailable; try again shortly.", "DATABASE_UNAVAILABLE", status);
  if (whole) return cause;
  const { nodes, source, positions, path } = error;
  return new GraphQLError(cause.message, { nodes, source, positions, path, extensions: cause.extensions });
}

/**
 * The error with its code. Yoga logs every error maskError replaces as an unexpected one, with its
 * stack, so one that carries its code already (a UserInputError's, whose extensions GraphQLError
 * copies; persisted operations') comes back as the same object; errors are frozen, so the others
 * (Pothos' argument checks) are copies.
 */
function coded(
  error: GraphQLError,
  code: unknown,
  extensions: GraphQLErrorExtensions = error.extensions,
): GraphQLError {
  if (error.extensions?.code === code) return error;
  const { nodes, source, positions, path } = error;
  return new GraphQLError(error.message, {
    nodes,
    source,
    positions,
    path,
    extensions: { ...error.extensions, ...extensions, code },
  });
}

// Pothos checks `first`/`last` for negatives before our page-size hook runs; one code for both.
// plugin-prisma parses the cursor of a related connection while it plans the parent's query, before
// the connection's own check (src/schema/cursors.ts) can run: the same code for its refusal.
function codeOfPothosError(error: GraphQLError): string {
  if (/^Argument "(first|last)"/.test(error.message)) return "PAGE_SIZE_OUT_OF_RANGE";
  return /^Invalid (offset )?cursor\b/.test(error.message) ? "INVALID_CURSOR" : "BAD_USER_INPUT";
}

const unavailableCodes = new Set(["DATABASE_UNAVAILABLE", "TIMEOUT"]);

/**
 * A request that got no data because the database was away or the deadline passed is a 503 with
 * Retry-After, so load balancers and clients retry it; partial data stays a 200 with its errors.
 */
export function useUnavailableStatus(retryAfterSeconds = 1): Plugin {
  return {
    onExecutionResult({ result, setResult }) {
      if (!result || Symbol.asyncIterator in result) return;
      if (!hasNoData(result) || !result.errors?.some((error) => unavailableCodes.has(String(error.extensions?.code))))
        return;
      setResult({
        ...result,
        extensions: {
          ...result.extensions,
          http: { status: 503, headers: { "retry-after": String(retryAfterSeconds) } },
        },
      });
    },
  };
}

function hasNoData(result: Pick<ExecutionResult, "data">): boolean {
  return result.data == null || Object.values(result.data).every((value) => value == null);
}

const suggestion = / ?Did you mean .+\?$/;

/** In production, validation errors do not list the fields they guess were meant (schema probing). */
export function useNoSuggestions(): Plugin {
  return {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map((error) =>
            suggestion.test(error.message)
              ? new GraphQLError(error.message.replace(suggestion, ""), {
                  nodes: error.nodes,
                  source: error.source,
                  positions: error.positions,
                  extensions: error.extensions,
                })
              : error,
          ),
        );
      },
  };
}
