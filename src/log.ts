// The process's one logger: JSON lines on stdout (pino), one object per event, so a log collector
// can index them. LOG_LEVEL sets the level (default info; warn under tests, so that a test run prints
// only what fails). Nothing secret is logged: tokens travel in Authorization headers, which are
// redacted wherever they appear.
import { pino } from "pino";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info");

export const log = pino({
  level,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["authorization", "*.authorization", "headers.authorization", "*.headers.authorization"],
    censor: "[redacted]",
  },
});

/** A warning logged at most once per `intervalMs` for each key: an outage must not flood the log. */
export function throttledWarning(
  intervalMs = 10_000,
): (key: string, message: string, details?: Record<string, unknown>) => void {
  const last = new Map<string, number>();
  return (key, message, details) => {
    const now = Date.now();
    if ((last.get(key) ?? 0) + intervalMs > now) return;
    last.set(key, now);
    log.warn(details ?? {}, message);
  };
}
