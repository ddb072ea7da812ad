// Graceful shutdown of a real `src/main.ts` (issue 17): on SIGTERM the instance says it is going
// away (/ready 503 "draining") at once, finishes the requests it is serving, closes graphql-ws
// subscriptions with 1001 (going away) instead of cutting them, and exits 0 within its grace
// period (SHUTDOWN_GRACE_MS) and a margin.
//
// On a throwaway PostgreSQL, so that the requests in flight at the signal are provably in the
// server's hands: the test holds an exclusive lock on the tables they read, fires them, waits until
// PostgreSQL shows their statements waiting on that lock, sends SIGTERM, and releases the lock only
// after checking readiness. (Fired at a busy server, requests can otherwise still sit unaccepted in
// its socket backlog: in flight for the client, unknown to the server.)
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "../../src/data/bootstrap.js";
import { openDatabase } from "../../src/db/database.js";
import {
  changeSubscription,
  chongqing,
  createWriterToken,
  describeAnswer,
  describeEntity,
  getEndpoint,
  graphql,
  heavyQueries,
  isProbe,
  sleep,
  startInstance,
  succeeded,
  waitUntil,
  wsConnection,
  WsSubscription,
  type Answer,
  type Instance,
  type WsConnection,
} from "../support/fault-kit.js";
import {
  startThrowawayPostgres,
  throwawayServersSkipReason,
  type ThrowawayPostgres,
} from "../support/throwaway-servers.js";

const skipReason = throwawayServersSkipReason("tests/faults/shutdown.test.ts", { postgres: true });

const started: Instance[] = [];
const connections: WsConnection[] = [];
/** Time allowed past the grace period for closing pools and exiting. */
const marginMs = 3_000;
let postgres: ThrowawayPostgres | undefined;
let token: string;

const start = async (graceMs: number, delayMs = 0) => {
  const instance = await startInstance("main.ts", {
    DATABASE_URL: postgres!.url,
    RESPONSE_CACHE_TTL: "0",
    SHUTDOWN_GRACE_MS: String(graceMs),
    SHUTDOWN_DELAY_MS: String(delayMs),
  });
  started.push(instance);
  return instance;
};

beforeAll(async () => {
  if (skipReason) return;
  postgres = await startThrowawayPostgres();
  // Migrated and seeded as a first start would (the token needs the tables), without starting a
  // process only to stop it: the starts under test are each test's own.
  const db = await openDatabase({ databaseUrl: postgres.url, poolSize: 1 });
  try {
    await prepareDatabase(db);
  } finally {
    await db.close();
  }
  token = await createWriterToken(postgres.url, "shutdown-writer");
});

afterAll(async () => {
  await Promise.allSettled(connections.map((connection) => connection.client.dispose()));
  await Promise.allSettled(started.map((instance) => instance.stop()));
  await postgres?.close();
});

/** Takes an exclusive lock on `tables` in an open transaction: every statement reading them waits until release(). */
async function lockTables(databaseUrl: string, tables: string[]): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  await client.query("BEGIN");
  await client.query(`LOCK TABLE ${tables.map((table) => `"${table}"`).join(", ")} IN ACCESS EXCLUSIVE MODE`);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Polls /ready until it answers 503 (or fails, or `withinMs` passes): the signal is handled on the server's event loop. */
async function readinessAfterSignal(
  instance: Instance,
  withinMs: number,
): Promise<{ status: number | null; body: unknown; failure: string | null; ms: number }> {
  const signalled = Date.now();
  for (;;) {
    const ready = await getEndpoint(instance.url, "/ready", withinMs);
    const ms = Date.now() - signalled;
    if (ready.status === 503 || ready.status === null || ms > withinMs) return { ...ready, ms };
    await sleep(20);
  }
}

describe.skipIf(skipReason)(`SIGTERM${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("/ready turns 503 draining at once, new connections are refused after SHUTDOWN_DELAY_MS, requests in flight complete with 200, graphql-ws subscriptions close with 1001, exit 0 within the grace period", async () => {
    const graceMs = 10_000;
    // The delay is the load balancer's time to see /ready fail; new connections are refused after it.
    const delayMs = 1_000;
    const instance = await start(graceMs, delayMs);

    // Each heavy request answers on its own (compiled, warmed), so a failure below is the shutdown's.
    for (const { name, query, variables } of heavyQueries) {
      const answer = await graphql(instance.url, query, variables);
      expect(succeeded(answer), `${name}: ${describeAnswer(answer)}`).toBe(true);
    }

    // An open subscription, live: it has heard a write.
    const connection = wsConnection(instance.url);
    connections.push(connection);
    const subscription = new WsSubscription("entityChanged(Chongqing)", connection, changeSubscription, {
      id: chongqing,
    });
    const live = await subscription.goLive((n) => describeEntity(instance.url, token, chongqing, `probe ${n}`), 15_000);
    expect(live instanceof Error ? live.message : "live").toBe("live");

    // Requests in flight: held up in PostgreSQL by the lock, so the server has them all in hand.
    const lock = await lockTables(postgres!.url, ["Entity", "Relationship"]);
    let answers: Answer[] = [];
    let ready: Awaited<ReturnType<typeof readinessAfterSignal>>;
    let refused: { status: number | null; failure: string | null } = { status: null, failure: null };
    let signalledAt = 0;
    let inFlight = 0;
    try {
      const requests = Array.from({ length: 12 }, (_, i) => {
        const { query, variables } = heavyQueries[i % heavyQueries.length]!;
        return graphql(instance.url, query, variables, { timeoutMs: graceMs + marginMs });
      });
      const waiting = await waitUntil(
        "the requests' statements waiting in PostgreSQL",
        async () => {
          const n = await postgres!.activeQueries();
          return n >= 6 ? n : undefined;
        },
        10_000,
        20,
      ).catch((error: Error) => error);
      expect(
        waiting instanceof Error ? waiting.message : "waiting",
        "the requests never reached PostgreSQL: the test would prove nothing",
      ).toBe("waiting");
      inFlight = requests.length;
      signalledAt = Date.now();
      instance.child.kill("SIGTERM");
      ready = await readinessAfterSignal(instance, 1_000);
      // Past the delay, the listener is closed: a new connection is refused while the requests still run.
      refused = await waitUntil(
        "a new connection refused",
        async () => {
          const health = await getEndpoint(instance.url, "/health", 500);
          return health.status === null ? health : undefined;
        },
        delayMs + 2_000,
        50,
      ).then(
        ({ value }) => value,
        () => ({ status: 200, failure: null }),
      );
      await lock.release();
      answers = await Promise.all(requests);
    } finally {
      await lock.release();
    }
    const exit = await instance.waitForExit(graceMs + marginMs);

    // Soft: each part of the contract is reported, not only the first one broken.
    expect.soft(ready.status, `/ready ${ready.ms} ms after SIGTERM: ${JSON.stringify(ready)}`).toBe(503);
    expect.soft(ready.body).toMatchObject({ status: "draining" });
    expect.soft(refused.status, "a new connection after SHUTDOWN_DELAY_MS").toBeNull();
    const failed = answers.filter((answer) => !succeeded(answer));
    expect
      .soft(failed.map(describeAnswer), `${failed.length} of the ${inFlight} requests in flight at SIGTERM failed`)
      .toEqual([]);
    expect
      .soft(
        connection.closes.map(({ code }) => code),
        "the graphql-ws socket's close codes",
      )
      .toContain(1001);
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
