// Which failures are the database's, not the request's: the server unreachable or going away (a
// restart, a failover, a terminated connection) and statements cancelled by `statement_timeout`.
// They come in three wrappings: node-postgres' own errors (SQL reader), Prisma's (P1001, or a
// driver error carried in its meta or message) and Node's socket errors.

export type DatabaseFault = "unavailable" | "timeout";

// SQLSTATE: class 08 connection exceptions, 57P01-57P05 shutdown and crash, 53300 too many connections.
const unavailableStates = /^(08...|57P0[1-5]|53300)$/;
const timeoutState = "57014";
const unavailablePrismaCodes = new Set(["P1001", "P1002", "P1017", "P2024"]);
const timeoutPrismaCodes = new Set(["P1008"]);
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
const unavailableMessages = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
  /Server has closed the connection/i,
];

/** The database fault behind `error`, or null when it is something else (a bug, a bad value). */
export function databaseFault(error: unknown): DatabaseFault | null {
  for (let cause = error, hops = 0; cause && typeof cause === "object" && hops < 8; hops++) {
    const fault = faultOf(cause as Record<string, unknown>);
    if (fault) return fault;
    cause =
      (cause as { cause?: unknown; originalError?: unknown }).originalError ?? (cause as { cause?: unknown }).cause;
  }
  return null;
}

function faultOf(error: Record<string, unknown>): DatabaseFault | null {
  const codes = codesOf(error);
  if (codes.some((code) => code === timeoutState || timeoutPrismaCodes.has(code))) return "timeout";
  if (codes.some((code) => unavailableStates.test(code) || unavailablePrismaCodes.has(code) || socketCodes.has(code)))
    return "unavailable";
  const message = typeof error.message === "string" ? error.message : "";
  return unavailableMessages.some((pattern) => pattern.test(message)) ? "unavailable" : null;
}

function codesOf(error: Record<string, unknown>): string[] {
  const codes: unknown[] = [error.code];
  const meta = error.meta as { code?: unknown; driverAdapterError?: { cause?: Record<string, unknown> } } | undefined;
  codes.push(meta?.code, meta?.driverAdapterError?.cause?.code, meta?.driverAdapterError?.cause?.originalCode);
  // Prisma's raw-query failures name the SQLSTATE only in their message ("Code: `57P01`").
  const inMessage = typeof error.message === "string" ? /Code: `(\w+)`/.exec(error.message)?.[1] : undefined;
  codes.push(inMessage);
  return codes.filter((code): code is string => typeof code === "string");
}
