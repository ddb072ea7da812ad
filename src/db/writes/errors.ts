// The failures a write can end in. They are plain classes, not GraphQL errors: the mutations list
// them as result types (plugin-errors), so a client gets them as data in the mutation's union.

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
