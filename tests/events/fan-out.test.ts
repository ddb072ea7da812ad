// Change events at fan-out: many subscribers of one event. (1) Delivering an event costs no SQL per
// subscriber: a write heard by 40 subscribers sends the statements it sends with none listening.
// (2) With PostgreSQL and Redis: two instances, a few hundred subscriptions split across both and
// across graphql-ws and SSE, writes through both instances; every subscriber hears each write it
// matches exactly once and nothing else. No timings: the benchmark (npm run bench -- --live) has them.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createToken } from "../../src/auth/tokens.js";
import { readDefaultBundle } from "../../src/data/geography.js";
import { openDatabase } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { applySeed } from "../../src/data/seed.js";
import { startTestGraph, testDatabaseUrl, testRedisUrl, type TestGraph } from "../support/graph.js";
import { startMain, stopMain } from "../support/processes.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { gid } from "../support/writes.js";

const entityDocument = `subscription($id: ID!) { entityChanged(id: $id) { id targetKey after } }`;
const graphDocument = `subscription($kinds: [EntityKind!]) { graphChanged(kinds: $kinds) { id targetKey after } }`;
const updateDocument = `mutation($id: ID!, $description: String!) {
  updateEntity(id: $id, input: { description: $description }) { __typename }
}`;

type Sink = { next(payload: unknown): void; error(error: unknown): void; complete(): void };

/** One subscriber: the descriptions of the changes it heard, and anything else it was sent. */
class Listener {
  readonly heard: string[] = [];
  readonly problems: string[] = [];
  close: () => void = () => undefined;

  constructor(readonly label: string) {}

  readonly sink: Sink = {
    next: (payload) => {
      const { data, errors } = payload as {
        data?: Record<string, { after?: { description?: string } }>;
        errors?: unknown;
      };
      const description = Object.values(data ?? {})[0]?.after?.description;
      if (errors || typeof description !== "string") this.problems.push(JSON.stringify(payload));
      else this.heard.push(description);
    },
    error: (error) => this.problems.push(`ended with an error: ${JSON.stringify(error)}`),
    complete: () => this.problems.push("completed"),
  };

  /** Descriptions heard that start with `prefix`, in order. */
  writes(prefix: string): string[] {
    return this.heard.filter((description) => description.startsWith(prefix));
  }
}

/** Waits until `done()` holds, checking every 50 ms; fails naming `what` after `ms`. */
async function until(done: () => boolean, what: () => string, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; !done(); ) {
    if (Date.now() > deadline) throw new Error(`not within ${ms / 1000} s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Writes probes until every listener heard one: a server registers a subscription a moment after
 * the client opens it, and no protocol says when. From then on each hears every event it matches.
 */
async function bringLive(listeners: Listener[], probe: (n: number) => Promise<unknown>): Promise<void> {
  for (let n = 0; ; n++) {
    await probe(n);
    try {
      await until(
        () => listeners.every((listener) => listener.writes("probe ").length > 0),
        () => "",
        n < 5 ? 300 : 1_000,
      );
      return;
    } catch {
      if (n > 20) {
        const waiting = listeners.filter((listener) => !listener.writes("probe ").length);
        throw new Error(
          `${waiting.length} subscriptions never went live: ${waiting.map((l) => `${l.label} ${l.problems.slice(0, 2).join("; ")}`).join(", ")}`,
        );
      }
    }
  }
}

const chongqing = gid("City", "chongqing");

/**
 * A graph served in process for one describe block: a writer's token, the block's listeners (closed
 * after it), a write of Chongqing's description, and SSE clients through the server.
 */
function servedInProcess() {
  const served = {
    graph: undefined as unknown as TestGraph,
    token: "",
    listeners: [] as Listener[],
    async write(description: string) {
      const response = await served.graph.query(
        updateDocument,
        { id: chongqing, description },
        { token: served.token },
      );
      expect(response.data?.updateEntity).toEqual({ __typename: "UpdateEntitySuccess" });
    },
    sseClient(headers: Record<string, string> = {}) {
      return createSseClient({
        url: "http://graph.test/graphql",
        singleConnection: false,
        retryAttempts: 0,
        headers,
        fetchFn: (input: string, init: RequestInit) => served.graph.yoga.fetch(input, init),
      });
    },
  };
  beforeAll(async () => {
    served.graph = await startTestGraph();
    served.token = await served.graph.token(["graph:write"]);
  });
  afterAll(async () => {
    for (const listener of served.listeners) listener.close();
    await served.graph?.close();
  });
  return served;
}

describe("fan-out in one process", () => {
  const served = servedInProcess();
  const { listeners, write } = served;
  /** `count` more SSE subscribers through the server in process, half on Chongqing, half on every change. */
  const subscribe = (count: number) => {
    const client = served.sseClient();
    const added: Listener[] = [];
    for (let i = 0; i < count; i++) {
      const listener = new Listener(`subscriber ${listeners.length}`);
      const cancel = client.subscribe(
        i % 2 ? { query: graphDocument, variables: {} } : { query: entityDocument, variables: { id: chongqing } },
        listener.sink,
      );
      listener.close = cancel;
      listeners.push(listener);
      added.push(listener);
    }
    return added;
  };
  /** The statements of one write and of delivering its event to every listener. */
  const statementsOfWrite = async (description: string) => {
    served.graph.resetStatements();
    await write(description);
    await until(
      () => listeners.every((listener) => listener.heard.includes(description)),
      () => `${listeners.filter((l) => !l.heard.includes(description)).length} did not hear "${description}"`,
    );
    return served.graph.statements.length;
  };

  it("sends no SQL statement per subscriber: a write heard by 40 sends what it sends with none listening", async () => {
    served.graph.resetStatements();
    await write("heard by none");
    // Nothing listens, so nothing is delivered later: the write's statements are all in.
    const alone = served.graph.statements.length;
    subscribe(40);
    await bringLive(listeners, (n) => write(`probe ${n}`));
    expect(await statementsOfWrite("heard by forty")).toBe(alone);
    for (const listener of listeners) {
      expect(listener.problems, listener.label).toEqual([]);
      expect(listener.writes("heard by"), listener.label).toEqual(["heard by forty"]);
    }
  });
});

describe("one execution of an event per question", () => {
  const served = servedInProcess();
  const { listeners, write } = served;
  // `revertedBy` reads the database once per execution of the event (one statement): what an
  // execution costs is counted in statements. `$full` changes the answer's shape.
  const full = `subscription($id: ID!, $full: Boolean!) {
    entityChanged(id: $id) { id after @include(if: $full) revertedBy { id } }
  }`;
  // The same variables as `full`, another document: an answer is told apart by its document too.
  const keyOnly = `subscription($id: ID!, $full: Boolean!) {
    entityChanged(id: $id) { targetKey after @include(if: $full) revertedBy { id } }
  }`;

  /** Ten subscribers asking `query` with `variables` (and the Authorization `header`, if given). */
  const subscribe = (label: string, query: string, variables: Record<string, unknown>, header?: string) => {
    const client = served.sseClient(header ? { authorization: header } : {});
    const payloads: unknown[][] = [];
    for (let i = 0; i < 10; i++) {
      const listener = new Listener(`${label} ${i}`);
      const heard: unknown[] = [];
      payloads.push(heard);
      const sink = listener.sink;
      listener.close = client.subscribe(
        { query, variables },
        {
          ...sink,
          next: (payload) => {
            heard.push(payload);
            sink.next(payload);
          },
        },
      );
      listeners.push(listener);
    }
    return payloads;
  };

  it("subscribers asking the same thing share one execution of each event; any difference gets its own answer", async () => {
    served.graph.resetStatements();
    await write("heard by none");
    const alone = served.graph.statements.length;

    const withAfter = subscribe("full", full, { id: chongqing, full: true });
    const without = subscribe("without after", full, { id: chongqing, full: false });
    const keys = subscribe("key only", keyOnly, { id: chongqing, full: true });
    // The same question as `withAfter`, asked with a token: a read may depend on who asks.
    const withToken = subscribe("with a token", full, { id: chongqing, full: true }, `Bearer ${served.token}`);
    // The subscriptions of `without` hear no description: live once they hear anything.
    await bringLive(listeners.slice(0, 10).concat(listeners.slice(20)), (n) => write(`probe ${n}`));
    await until(
      () => without.every((heard) => heard.length > 0),
      () => "the subscribers without `after` heard no probe",
    );

    const last = (heard: unknown[][]) => heard.map((payloads) => payloads.at(-1));
    served.graph.resetStatements();
    await write("heard by forty");
    await until(
      () =>
        [withAfter, keys, withToken].flat().every((heard) => JSON.stringify(heard.at(-1)).includes("heard by forty")),
      () => "not every subscriber heard the write",
    );
    const changeId = (last(withAfter)[0] as { data: { entityChanged: { id: string } } }).data.entityChanged.id;
    const answered = (heard: unknown[]) => JSON.stringify(heard.at(-1)).includes(`"${changeId}"`);
    await until(
      () => without.every(answered),
      () => "the subscribers without `after` did not hear the write",
    );
    const after = { description: "heard by forty" };
    for (const payload of [...last(withAfter), ...last(withToken)]) {
      expect(payload).toEqual({
        data: { entityChanged: { id: changeId, after: expect.objectContaining(after), revertedBy: null } },
      });
    }
    for (const payload of last(without)) {
      expect(payload).toEqual({ data: { entityChanged: { id: changeId, revertedBy: null } } });
    }
    for (const payload of last(keys)) {
      expect(payload).toEqual({
        data: { entityChanged: { targetKey: "chongqing", after: expect.objectContaining(after), revertedBy: null } },
      });
    }
    // Four questions, four executions of the event: one statement each beyond the write's own.
    expect(served.graph.statements.length - alone).toBe(4);
    for (const listener of listeners)
      expect(
        listener.problems.filter((p) => p.includes("error")),
        listener.label,
      ).toEqual([]);
  });
});

describe.skipIf(!testDatabaseUrl || !testRedisUrl)(
  "fan-out across two instances (PostgreSQL + Redis; skipped without TEST_DATABASE_URL or Redis)",
  () => {
    let scratch: ScratchDatabase | undefined;
    let token: string;
    const servers: { url: string; child: ChildProcess }[] = [];
    const listeners: Listener[] = [];
    const closers: (() => unknown)[] = [];
    // Four watched entities of two kinds; Chengdu is never written, so its subscribers must hear nothing.
    const cities = ["chongqing", "wuhan"].map((key) => gid("City", key));
    const companies = ["seres", "huawei"].map((key) => gid("Company", key));
    const silent = gid("City", "chengdu");
    const watched = [...cities, ...companies];

    beforeAll(async () => {
      scratch = await createScratchDatabase(testDatabaseUrl!, "graph_fanout");
      const db = await openDatabase({ databaseUrl: scratch.url });
      try {
        await migrate(db);
        await applySeed(db.prisma, await readDefaultBundle());
        token = (await createToken(db.prisma, "fan-out-writer", ["graph:write"])).token;
      } finally {
        await db.close();
      }
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        NODE_ENV: "test",
        RESPONSE_CACHE_TTL: "0",
        RATE_LIMIT_PER_MINUTE: "0",
        DATABASE_URL: scratch.url,
        REDIS_URL: testRedisUrl!,
        REDIS_CHANNEL_PREFIX: `test-fanout-${randomUUID()}:`,
      };
      servers.push(...(await Promise.all([startMain(env), startMain(env)])));
    });
    afterAll(async () => {
      for (const close of closers) await close();
      await Promise.all(servers.map((server) => stopMain(server.child)));
      await scratch?.drop();
    });

    const write = async (server: number, id: string, description: string) => {
      const response = await fetch(servers[server]!.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: updateDocument, variables: { id, description } }),
      });
      expect(await response.json()).toEqual({ data: { updateEntity: { __typename: "UpdateEntitySuccess" } } });
    };

    it("300 subscribers, both transports on both instances: each hears every write it matches, once, and no other", async () => {
      // What each subscriber asks for, round robin: one of the watched entities, Chengdu, every change, or companies only.
      const asks = [
        ...watched.map((id) => ({ query: entityDocument, variables: { id }, matches: (w: string) => w === id })),
        { query: entityDocument, variables: { id: silent }, matches: () => false },
        { query: graphDocument, variables: {}, matches: () => true },
        { query: graphDocument, variables: { kinds: ["COMPANY"] }, matches: (w: string) => companies.includes(w) },
      ];
      const plans: { listener: Listener; matches: (written: string) => boolean }[] = [];
      for (let i = 0; i < 300; i++) {
        const server = servers[i % 2]!;
        const ask = asks[Math.floor(i / 4) % asks.length]!;
        const overWs = Math.floor(i / 2) % 2 === 0;
        const listener = new Listener(`#${i} ${overWs ? "ws" : "sse"} on ${i % 2 ? "B" : "A"}`);
        if (overWs) {
          const client = createWsClient({
            url: server.url.replace(/^http/, "ws"),
            webSocketImpl: WebSocket,
            retryAttempts: 2,
          });
          listener.close = client.subscribe({ query: ask.query, variables: ask.variables }, listener.sink);
          closers.push(() => client.dispose());
        } else {
          const client = createSseClient({ url: server.url, singleConnection: false, retryAttempts: 2 });
          listener.close = client.subscribe({ query: ask.query, variables: ask.variables }, listener.sink);
          closers.push(() => client.dispose());
        }
        closers.push(listener.close);
        listeners.push(listener);
        plans.push({ listener, matches: ask.matches });
        // A few at a time, as clients arrive: 300 connections at once timed out on a loaded machine.
        if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Probes through both instances, on every entity watched (Chengdu's listeners included).
      await bringLive(listeners, (n) =>
        Promise.all([...watched, silent].map((id, i) => write((n + i) % 2, id, `probe ${n}`))),
      );

      // 24 writes, six on each watched entity, alternating between the instances, a few at a time.
      const written: { id: string; description: string }[] = [];
      for (let round = 0; round < 6; round++) {
        await Promise.all(
          watched.map((id, i) => {
            const description = `write ${round}-${i}`;
            written.push({ id, description });
            return write((round + i) % 2, id, description);
          }),
        );
      }
      const owed = (plan: (typeof plans)[number]) =>
        written.filter((w) => plan.matches(w.id)).map((w) => w.description);
      await until(
        () => plans.every((plan) => plan.listener.writes("write ").length >= owed(plan).length),
        () =>
          `${plans.filter((p) => p.listener.writes("write ").length < owed(p).length).length} subscribers still owed events`,
      );
      // A moment for any duplicate or stray event to arrive, then every subscriber's record is checked.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const plan of plans) {
        expect(plan.listener.problems, plan.listener.label).toEqual([]);
        expect([...plan.listener.writes("write ")].sort(), plan.listener.label).toEqual([...owed(plan)].sort());
      }
    }, 180_000);
  },
);
