// Graceful shutdown of a real `src/main.ts` (issue 17): on SIGTERM the instance says it is going
// away (/ready 503 "draining") at once, finishes the requests it is serving, closes graphql-ws
// subscriptions with 1001 (going away) instead of cutting them, and exits 0 within its grace
// period (SHUTDOWN_GRACE_MS) and a margin.
//
// Embedded PGlite in a temporary folder: this file kills no dependency, so it needs no throwaway
// server and runs wherever the suite runs. PGlite executes one statement at a time, which keeps the
// heavy requests below genuinely in flight when the signal lands (the test checks that they are).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/auth/tokens.js";
import { openDatabase } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import {
  changeSubscription,
  chongqing,
  describeAnswer,
  describeEntity,
  getEndpoint,
  graphql,
  heavyQueries,
  isProbe,
  sleep,
  startInstance,
  succeeded,
  wsConnection,
  WsSubscription,
  type Answer,
  type Instance,
  type WsConnection,
} from "../support/fault-kit.js";

const dataDir = mkdtempSync(join(tmpdir(), "graph-shutdown-"));
const started: Instance[] = [];
const connections: WsConnection[] = [];
/** Time allowed past the grace period for closing pools and exiting. */
const marginMs = 3_000;

const start = async (graceMs: number) => {
  const instance = await startInstance("main.ts", { DATA_DIR: dataDir, RESPONSE_CACHE_TTL: "0", SHUTDOWN_GRACE_MS: String(graceMs) });
  started.push(instance);
  return instance;
};

let token: string;

beforeAll(async () => {
  // PGlite is one process's database: the token is made before a server opens the folder (the
  // first start then seeds it, as on an empty database).
  const db = await openDatabase({ dataDir });
  try {
    await migrate(db);
    token = (await createToken(db.prisma, "shutdown-writer", ["graph:write"])).token;
  } finally {
    await db.close();
  }
});

afterAll(async () => {
  await Promise.allSettled(connections.map((connection) => connection.client.dispose()));
  await Promise.allSettled(started.map((instance) => instance.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls /ready until it answers 503 (the signal is handled on the server's event loop, busy with the requests in flight). */
async function readinessAfterSignal(instance: Instance, withinMs: number): Promise<{ status: number | null; body: unknown; failure: string | null; ms: number }> {
  const signalled = Date.now();
  for (;;) {
    const ready = await getEndpoint(instance.url, "/ready", withinMs);
    const ms = Date.now() - signalled;
    if (ready.status === 503 || ready.status === null || ms > withinMs) return { ...ready, ms };
    await sleep(20);
  }
}

describe("SIGTERM", () => {
  it("/ready turns 503 draining at once, requests in flight complete with 200, graphql-ws subscriptions close with 1001, exit 0 within the grace period", async () => {
    const graceMs = 10_000;
    const instance = await start(graceMs);

    // Each heavy request answers on its own (compiled, warmed), so a failure below is the shutdown's.
    for (const { name, query, variables } of heavyQueries) {
      const answer = await graphql(instance.url, query, variables);
      expect(succeeded(answer), `${name}: ${describeAnswer(answer)}`).toBe(true);
    }

    // An open subscription, live: it has heard a write.
    const connection = wsConnection(instance.url);
    connections.push(connection);
    const subscription = new WsSubscription("entityChanged(Chongqing)", connection, changeSubscription, { id: chongqing });
    const live = await subscription.goLive((n) => describeEntity(instance.url, token, chongqing, `probe ${n}`), 15_000);
    expect(live instanceof Error ? live.message : "live").toBe("live");

    // Requests in flight: fired together, the signal sent while most are still unanswered.
    const pending = new Set<number>();
    const requests = Array.from({ length: 12 }, (_, i) => {
      const { query, variables } = heavyQueries[i % heavyQueries.length]!;
      pending.add(i);
      return graphql(instance.url, query, variables, { timeoutMs: graceMs + marginMs }).finally(() => pending.delete(i));
    });
    await sleep(50);
    const inFlight = pending.size;
    expect(inFlight, "too few requests still in flight at the signal: the test would prove nothing").toBeGreaterThanOrEqual(4);
    const signalledAt = Date.now();
    instance.child.kill("SIGTERM");

    const ready = await readinessAfterSignal(instance, 1_000);
    const answers: Answer[] = await Promise.all(requests);
    const exit = await instance.waitForExit(graceMs + marginMs);

    // Soft: each part of the contract is reported, not only the first one broken.
    expect.soft(ready.status, `/ready ${ready.ms} ms after SIGTERM: ${JSON.stringify(ready)}`).toBe(503);
    expect.soft(ready.body).toMatchObject({ status: "draining" });
    const failed = answers.filter((answer) => !succeeded(answer));
    expect.soft(failed.map(describeAnswer), `${failed.length} of the ${inFlight} requests in flight at SIGTERM failed`).toEqual([]);
    expect.soft(connection.closes.map(({ code }) => code), "the graphql-ws socket's close codes").toContain(1001);
    expect(exit, `still running ${graceMs + marginMs} ms after SIGTERM`).not.toBeNull();
    expect({ code: exit!.code, signal: exit!.signal }, instance.crashSummary()).toEqual({ code: 0, signal: null });
    expect(exit!.at - signalledAt).toBeLessThan(graceMs + marginMs);
    // Probe events may still be queued; the stream must end, not hang.
    for (;;) {
      const next = await subscription.next(2_000);
      if (next instanceof Error) {
        expect(next.message).toMatch(/stream ended/);
        break;
      }
      const event = Object.values(next.data ?? {})[0];
      expect(event && isProbe(event as Parameters<typeof isProbe>[0]), JSON.stringify(next)).toBe(true);
    }
  });

  it("exits 0 within SHUTDOWN_GRACE_MS and a margin even when a subscription stream (SSE) never ends on its own", async () => {
    const graceMs = 1_500;
    const instance = await start(graceMs);
    const controller = new AbortController();
    const stream = await fetch(instance.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: `subscription { graphChanged { id } }` }),
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    // Read it so the server is not held back by a full socket buffer, only by the open stream.
    const reading = (async () => {
      const reader = stream.body!.getReader();
      try {
        while (!(await reader.read()).done);
      } catch {
        // Cut by the server's exit or by our abort: either way the stream is over.
      }
    })();
    await sleep(300);

    const signalledAt = Date.now();
    instance.child.kill("SIGTERM");
    const exit = await instance.waitForExit(graceMs + marginMs);
    controller.abort();
    await reading;
    expect(exit, `still running ${graceMs + marginMs} ms after SIGTERM with an SSE subscription open`).not.toBeNull();
    expect({ code: exit!.code, signal: exit!.signal }, instance.crashSummary()).toEqual({ code: 0, signal: null });
    expect(exit!.at - signalledAt).toBeLessThan(graceMs + marginMs);
  });
});
