// Graceful shutdown on SIGTERM or SIGINT: the instance says it is going away (/ready answers 503),
// keeps accepting for `delayMs` so a load balancer can stop routing to it, then refuses new
// connections and lets the requests in flight finish, for at most `graceMs`. Subscriptions are not
// completed (a client would take `complete` for the end of the stream, never to resubscribe): their
// connections are closed, graphql-ws sockets with 1001 "going away", SSE streams once the other
// requests are done, and clients reconnect, to another instance. Then the pools close and the
// process exits 0.
import type { Server, ServerResponse } from "node:http";
import { log } from "../log.js";

export interface ShutdownSteps {
  /** Time between the signal and closing the listener (the load balancer's reaction time). */
  delayMs: number;
  /** Longest wait for requests in flight once the listener is closed. */
  graceMs: number;
  /** Marks the instance as draining: /ready answers 503. */
  beginDraining(): void;
  /** Closes the WebSocket server (graphql-ws), its sockets with 1001. */
  closeWebSockets(): Promise<void>;
  /** Closes what the requests used: the Yoga app, Redis, the database. */
  closeResources(): Promise<void>;
}

export interface RequestsInFlight {
  /** Requests being answered, not counting event streams (SSE subscriptions), which never end on their own. */
  answering(): number;
}

/** Keeps the responses being written, so shutdown knows when the last answer has left. */
export function trackRequests(server: Server): RequestsInFlight {
  const open = new Set<ServerResponse>();
  server.on("request", (_request, response) => {
    open.add(response);
    response.once("close", () => open.delete(response));
  });
  const isStream = (response: ServerResponse) =>
    response.headersSent && String(response.getHeader("content-type")).startsWith("text/event-stream");
  return {
    answering: () => {
      let count = 0;
      for (const response of open) if (!isStream(response)) count += 1;
      return count;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function gracefulShutdown(
  server: Server,
  requests: RequestsInFlight,
  steps: ShutdownSteps,
): (signal: string) => Promise<void> {
  let started: Promise<void> | null = null;
  const run = async (signal: string) => {
    const began = Date.now();
    log.info({ signal, delayMs: steps.delayMs, graceMs: steps.graceMs }, `${signal}: draining; /ready answers 503`);
    steps.beginDraining();
    if (steps.delayMs > 0) await sleep(steps.delayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await steps.closeWebSockets();
    const deadline = Date.now() + steps.graceMs;
    // Idle keep-alive connections go at once; busy ones when their response is sent.
    while (requests.answering() > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await sleep(50);
    }
    const cut = requests.answering();
    // What is left: event streams, and answers still unfinished after the grace period.
    server.closeAllConnections();
    await closed;
    await steps.closeResources();
    log.info(
      { ms: Date.now() - began, requestsCut: cut },
      cut ? `Stopped; ${cut} request(s) still running after the grace period were cut` : "Stopped cleanly",
    );
  };
  return (signal) => (started ??= run(signal));
}
