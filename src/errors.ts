// The errors a client may see. Each has a fixed `extensions.code`; anything else is masked by Yoga.
import { GraphQLError } from "graphql";

export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "INVALID_ID" | "INVALID_CURSOR" | "PAGE_SIZE_OUT_OF_RANGE" | "UNKNOWN_RELATION_TYPE";

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
  return new ServiceUnavailableError(`The request ran past its deadline of ${timeoutMs} ms (REQUEST_TIMEOUT_MS).`, "TIMEOUT", 503);
}

/** Too many requests from one client; `Retry-After` says when the next one is accepted. */
export class RateLimitedError extends GraphQLError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(`Too many requests: at most ${limit} a minute per client (RATE_LIMIT_PER_MINUTE). Retry in ${retryAfterSeconds} s.`, {
      extensions: { code: "RATE_LIMITED", retryAfter: retryAfterSeconds },
    });
  }
}
