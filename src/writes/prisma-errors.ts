// The one place where database failures become write errors. Prisma reports them as P-codes over
// the pg adapter, and as the raw PostgreSQL SQLSTATE over the PGlite adapter; a statement sent on
// the transaction's own connection (src/db/transaction.ts) fails with the driver's error, its
// SQLSTATE in `code`. All end up here.
import { ConflictError, NotFoundError, ValidationError, type WriteError } from "../errors.js";

type Failure = "unique" | "foreignKey" | "notFound" | "retry";

const byPrismaCode: Record<string, Failure> = {
  P2002: "unique",
  P2003: "foreignKey",
  P2025: "notFound",
  P2034: "retry",
};
const bySqlState: Record<string, Failure> = {
  "23505": "unique",
  "23503": "foreignKey",
  "40001": "retry",
  "40P01": "retry",
};

interface ErrorShape {
  code?: unknown;
  meta?: {
    modelName?: unknown;
    driverAdapterError?: { cause?: { originalCode?: unknown; constraint?: { fields?: unknown; index?: unknown } } };
  };
  cause?: { kind?: unknown; code?: unknown; detail?: unknown };
  detail?: unknown;
  message?: unknown;
}

function classify(error: unknown): { failure: Failure; detail: string } | null {
  if (!error || typeof error !== "object") return null;
  const shape = error as ErrorShape;
  const prismaFailure = typeof shape.code === "string" ? byPrismaCode[shape.code] : undefined;
  const sqlState =
    shape.cause?.kind === "postgres"
      ? shape.cause.code
      : (shape.meta?.driverAdapterError?.cause?.originalCode ?? (prismaFailure ? undefined : shape.code));
  const failure = prismaFailure ?? (typeof sqlState === "string" ? bySqlState[sqlState] : undefined);
  if (!failure) return null;
  const constraint = shape.meta?.driverAdapterError?.cause?.constraint;
  const detail =
    typeof shape.cause?.detail === "string"
      ? shape.cause.detail
      : typeof shape.detail === "string"
        ? shape.detail
        : Array.isArray(constraint?.fields)
          ? `${String(shape.meta?.modelName ?? "row")} (${constraint.fields.join(", ")})`
          : typeof constraint?.index === "string"
            ? constraint.index
            : String(shape.meta?.modelName ?? "");
  return { failure, detail };
}

/** A deadlock or serialization failure: the transaction may simply be run again. */
export function isRetryable(error: unknown): boolean {
  return classify(error)?.failure === "retry";
}

/** P2002 -> Conflict, P2003 -> Validation, P2025 -> NotFound; null for anything unexpected. */
export function toWriteError(error: unknown): WriteError | null {
  const classified = classify(error);
  switch (classified?.failure) {
    case "unique":
      return new ConflictError(`That already exists: ${classified.detail || "a unique value is taken"}.`);
    case "foreignKey":
      return ValidationError.at([], `A referenced record does not exist: ${classified.detail}.`);
    case "notFound":
      return new NotFoundError(
        `The record to change does not exist${classified.detail ? ` (${classified.detail})` : ""}.`,
      );
    default:
      return null;
  }
}
