// Graceful shutdown on SIGTERM or SIGINT: the instance says it is going away (/ready answers 503),
// keeps accepting for `delayMs` so a load balancer can stop routing to it, then refuses new
// connections, lets requests in flight finish and ends subscriptions cleanly (SSE streams complete,
// graphql-ws sockets close with 1001 "going away"), waits at most `graceMs` for all of that, then
// cuts what is left, closes the pools and lets the process exit 0.
import type { Server } from "node:http";
import { log } from "../log.js";

export interface ShutdownSteps {
  /** Time between the signal and closing the listener (the load balancer's reaction time). */
  delayMs: number;
  /** Longest wait for requests in flight once the listener is closed. */
  graceMs: number;
  /** Marks the instance as draining and ends subscriptions. */
  beginDraining(): void;
  /** Closes the WebSocket server (graphql-ws), its sockets with 1001. */
  closeWebSockets(): Promise<void>;
  /** Closes what the requests used: the Yoga app, Redis, the database. */
  closeResources(): Promise<void>;
}

/** Counts the requests being served, so shutdown knows when none is left. */
export function trackRequests(server: Server): { inFlight(): number } {
  let inFlight = 0;
  server.on("request", (_request, response) => {
    inFlight += 1;
    response.once("close", () => (inFlight -= 1));
  });
  return { inFlight: () => inFlight };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function gracefulShutdown(server: Server, requests: { inFlight(): number }, steps: ShutdownSteps): (signal: string) => Promise<void> {
  let started: Promise<void> | null = null;
  const run = async (signal: string) => {
    const began = Date.now();
    log.info({ signal, delayMs: steps.delayMs, graceMs: steps.graceMs }, `${signal}: draining; /ready answers 503`);
    steps.beginDraining();
    if (steps.delayMs > 0) await sleep(steps.delayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + steps.graceMs;
    // Idle keep-alive connections go at once; busy ones when their response is sent.
    while (requests.inFlight() > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await sleep(50);
    }
    const cut = requests.inFlight();
    await steps.closeWebSockets();
    server.closeAllConnections();
    await closed;
    await steps.closeResources();
    log.info({ ms: Date.now() - began, requestsCut: cut }, cut ? `Stopped; ${cut} request(s) still running after the grace period were cut` : "Stopped cleanly");
  };
  return (signal) => (started ??= run(signal));
}
