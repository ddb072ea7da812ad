// Every error the project raises on purpose, in one place:
// - the errors a client may see in a GraphQL answer, each with a fixed `extensions.code` (anything
//   else is masked by Yoga as an internal error);
// - the results of a write that failed, which mutations answer as members of their result unions;
// - the failures of the command-line tools and of the start-up, said to a person with an exit code.
import { GraphQLError } from "graphql";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "INVALID_ID"
  | "INVALID_CURSOR"
  | "PAGE_SIZE_OUT_OF_RANGE"
  | "UNKNOWN_RELATION_TYPE";

export class UserInputError extends GraphQLError {
  constructor(message: string, code: ErrorCode = "BAD_USER_INPUT", details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

/** The limits a request is held to (README, "Operating it"), by the name a client reads in `extensions.limit`. */
export type LimitName = "tokens" | "depth" | "aliases" | "directives" | "cost" | "variablesDepth" | "responseSize";

/**
 * A request refused because it asks for more work than the server allows; nothing of it ran.
 * `spec: true` keeps Yoga's rule for such request errors: HTTP 400 under
 * application/graphql-response+json, 200 under application/json (GraphQL over HTTP).
 */
export class LimitExceededError extends GraphQLError {
  constructor(message: string, limit: LimitName, max: number, actual: number) {
    super(message, { extensions: { code: "LIMIT_EXCEEDED", limit, max, actual, http: { spec: true, status: 400 } } });
  }
}

/** Text PostgreSQL cannot store (U+0000), refused before it reaches the database. */
export class NulCharacterError extends GraphQLError {
  constructor(where: string) {
    super(`${where} contains a NUL character (U+0000), which no text in this graph can hold.`, {
      extensions: { code: "BAD_USER_INPUT", http: { spec: true, status: 400 } },
    });
  }
}

/** A variable holding a lone UTF-16 surrogate: not Unicode text, refused before anything runs. */
export class IllFormedTextError extends GraphQLError {
  constructor(path: string) {
    const variable = /^\$\w+/.exec(path)?.[0] ?? path;
    super(`Variable "${variable}" holds a lone UTF-16 surrogate (at ${path}); text must be well-formed Unicode.`, {
      extensions: { code: "BAD_USER_INPUT", http: { spec: true, status: 400 } },
    });
  }
}

/**
 * A plain list (a place's policies) longer than the server answers in one piece: that field alone
 * fails, and the message names how to page it.
 */
export class ListTooLongError extends GraphQLError {
  constructor(message: string, max: number) {
    super(message, { extensions: { code: "LIST_TOO_LONG", max } });
  }
}

/**
 * The request could not be answered now, through no fault of its own: the database is unreachable,
 * or the request ran past its deadline. Clients may retry; with no data at all the status is 503.
 */
export type UnavailableCode = "DATABASE_UNAVAILABLE" | "TIMEOUT";

export class ServiceUnavailableError extends GraphQLError {
  /** `status` for an error that ends the whole request (a deadline): its HTTP status, with Retry-After. */
  constructor(message: string, code: UnavailableCode, status?: number) {
    super(message, { extensions: { code, ...(status ? { http: { status, headers: { "retry-after": "1" } } } : {}) } });
  }
}

/** The request ran past REQUEST_TIMEOUT_MS: its whole answer is a 503 with Retry-After. */
export function deadlineError(timeoutMs: number): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `The request ran past its deadline of ${timeoutMs} ms (REQUEST_TIMEOUT_MS).`,
    "TIMEOUT",
    503,
  );
}

/** Too many requests from one client; `Retry-After` says when the next one is accepted. */
export class RateLimitedError extends GraphQLError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      `Too many requests: at most ${limit} a minute per client (RATE_LIMIT_PER_MINUTE). Retry in ${retryAfterSeconds} s.`,
      {
        extensions: { code: "RATE_LIMITED", retryAfter: retryAfterSeconds },
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Write results. Plain classes, not GraphQL errors: the mutations list them as result types
// (plugin-errors), so a client gets them as data in the mutation's union.
export interface FieldError {
  /** Where the problem is, from the mutation's arguments down: ["input", "validFrom"]. */
  path: string[];
  message: string;
}

export abstract class WriteError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends WriteError {
  readonly code = "VALIDATION_FAILED";
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((error) => `${error.path.join(".") || "input"}: ${error.message}`).join("; "));
    this.name = "ValidationError";
  }

  static at(path: (string | number)[], message: string): ValidationError {
    return new ValidationError([{ path: path.map(String), message }]);
  }

  /** The same problems, seen from one level up (a record's `to` becomes the mutation's `input.to`). */
  within(prefix: string[]): ValidationError {
    return new ValidationError(this.fieldErrors.map((error) => ({ ...error, path: [...prefix, ...error.path] })));
  }
}

export class NotFoundError extends WriteError {
  readonly code = "NOT_FOUND";
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends WriteError {
  readonly code = "CONFLICT";
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export type ForbiddenReason = "MISSING_TOKEN" | "INVALID_TOKEN" | "MISSING_SCOPE";

export class ForbiddenError extends WriteError {
  readonly code = "FORBIDDEN";
  constructor(
    message: string,
    readonly reason: ForbiddenReason,
    readonly requiredScope: string | null = null,
  ) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/**
 * A destructive write (delete, or the duplicate of a merge) named an entity merged away. Following
 * its redirect would destroy the entity it was merged into, which the caller never named.
 */
export function mergedAway(requestedKey: string, survivorKey: string): ConflictError {
  return new ConflictError(
    `"${requestedKey}" was merged into "${survivorKey}"; deletes and merges act only on the entity an id names, never through a merge. Use the id of "${survivorKey}" to act on it.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// The command-line tools' and the start-up's failures: said to a person, with an exit code.

export class ManifestError extends Error {}

export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`The seed bundle has ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  }
}

/** Input the user can fix (a missing option, a bad file): the CLI reports it and exits with 2. */
export class IngestInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `The article cannot be ingested:\n  ${problems.join("\n  ")}`);
  }
}

export class GenerateOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** The seed is taken by a generated graph with other parameters (and `replace` was not asked for). */
export class GeneratedGraphConflictError extends Error {}

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is in use by process ${pid} (a running \`npm start\`?). ` +
        "Stop it first, or use a PostgreSQL server (DATABASE_URL), which many processes can share.",
    );
    this.name = "DataDirLockedError";
  }
}

export class TokenError extends Error {}

export class UsageError extends Error {}
