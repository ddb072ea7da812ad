// npm run bench -- --live [--quick]: live events at fan-out. Two instances of our service on one
// PostgreSQL database and the shared Redis (a channel prefix of the run's own), thousands of open
// subscriptions split across both instances and both transports (graphql-ws and SSE), mutations at a
// fixed rate from one client. Every event is checked to reach every subscriber it matches exactly once
// and no other; delivery latency, throughput and memory per idle subscription are reported.
//
//  1. the database (graph_bench_live unless BENCH_DATABASE_URL): created, migrated and seeded when
//     missing, like --quick's; the run writes to it (entity descriptions), so it is never graph_bench;
//  2. two servers (child processes, as bench/systems.ts starts them) with REDIS_URL and a prefix;
//  3. RSS of both with no subscription; then the subscriptions opened, and brought live by probe
//     mutations (a server registers a subscription a moment after the client opens it, and no
//     protocol says when), and RSS again once idle: the difference over the count is per subscription;
//  4. the timed phase: mutations `live <run> <seq>` at the rate asked, alternating between servers;
//     each event's receipt time less its change's `at` (the database's now() in the writing
//     transaction, so a little before the commit: the latency is, if anything, overstated);
//  5. the check, per subscriber: every sequence number it matches exactly once, none it does not;
//  6. bench/results/<date>-live.json and .md, and latest-live.md (latest-live-quick.md).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { createToken } from "../src/auth/tokens.js";
import { openDatabase } from "../src/db/database.js";
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from "./cpu.js";
import { ensureDatabase, seedDatabase } from "./database.js";
import { startCountingProxy, viaProxy, type CountingProxy } from "./pg-proxy.js";
import { startProgress } from "./progress.js";
import { killAllChildren, root, rssOf, startSystem, type RunningSystem } from "./systems.js";

const usage = `Usage: npm run bench -- --live [options]

  --quick              ${"1,000 subscriptions, 100 mutations/s for 15 s: under 2 minutes"}
  --subscriptions N    open subscriptions in all, across both servers and transports (default 5000)
  --rate R             mutations a second (default 200)
  --duration S         seconds of mutations (default 30)
  --per-entity N       entityChanged subscriptions per watched entity (default 10)
  --firehose N         graphChanged subscriptions among them: no filter, a kind that matches, a kind that does not (default 30)
  --ours-dir PATH      run the servers from another checkout (a baseline), as npm run bench does

  BENCH_DATABASE_URL   the database (default graph_bench_live on 127.0.0.1:5432); the run writes to it
  BENCH_REDIS_URL      the Redis (default redis://127.0.0.1:6379); the run's channels carry a prefix of their own
Results: bench/results/<date>-live.json and .md, and latest-live.md (latest-live-quick.md with --quick).`;

interface LiveSettings {
  subscriptions: number;
  rate: number;
  durationSeconds: number;
  perEntity: number;
  firehose: number;
}

type Group = "entity" | "all" | "kind-match" | "kind-other";
type Transport = "graphql-ws" | "sse";

/** One subscriber as the client sees it: what it asked for and what it heard. */
interface Subscriber {
  index: number;
  server: number;
  transport: Transport;
  group: Group;
  /** entity group: the watched entity's index. */
  entity: number;
  live: boolean;
  /** Sequence number -> times heard. */
  heard: Map<number, number>;
  /** Events that are neither probes nor this run's mutations, and payloads with errors. */
  strange: string[];
  ended: boolean;
  /** Which opening of it is current (one refused while the servers were busy is opened again). */
  generation: number;
  close: () => void;
}

interface Entity {
  key: string;
  kind: string;
  id: string;
}

const changeFields = "id at after";
const entityDocument = `subscription LiveEntity($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`;
const graphDocument = `subscription LiveGraph($kinds: [EntityKind!]) { graphChanged(kinds: $kinds) { ${changeFields} } }`;
const mutationDocument = `mutation LiveWrite($id: ID!, $description: String!) {
  updateEntity(id: $id, input: { description: $description }) { __typename }
}`;

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
const round1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const mb = (bytes: number) => round1(bytes / 1024 / 1024);

/** Soft limit on open files: each subscription is a socket at both ends. */
function openFilesLimit(): number {
  const match = /Max open files\s+(\d+|unlimited)/.exec(readFileSync("/proc/self/limits", "utf8"));
  return !match || match[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/** Median of a few RSS readings a moment apart, so one allocation burst does not decide it. */
async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(rssOf(pid) ?? Number.NaN);
    await sleep(200);
  }
  return readings.sort((a, b) => a - b)[2]!;
}

/** Runs `tasks` with at most `width` at a time. */
async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export async function runLive(argv: string[]): Promise<void> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      live: { type: "boolean", default: true },
      quick: { type: "boolean", default: false },
      subscriptions: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      "per-entity": { type: "string" },
      firehose: { type: "string" },
      "ours-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (args.help) {
    console.log(usage);
    return;
  }
  const quick = args.quick!;
  const num = (value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value.replace(/[_,]/g, ""));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`Not a positive number: ${value}`);
    return n;
  };
  const settings: LiveSettings = {
    subscriptions: Math.round(num(args.subscriptions, quick ? 1_000 : 5_000)),
    rate: num(args.rate, quick ? 100 : 200),
    durationSeconds: num(args.duration, quick ? 15 : 30),
    perEntity: Math.round(num(args["per-entity"], 10)),
    firehose: Math.round(num(args.firehose, quick ? 15 : 30)),
  };
  if (settings.firehose >= settings.subscriptions) throw new Error("--firehose must be less than --subscriptions");
  const oursDir = args["ours-dir"] ? resolve(args["ours-dir"]) : root;
  const databaseUrl = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/graph_bench_live";
  const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (databaseName === "graph_bench")
    throw new Error("--live writes to its database: give it one of its own, not graph_bench");
  const redisUrl = process.env.BENCH_REDIS_URL || "redis://127.0.0.1:6379";
  const run = randomBytes(4).toString("hex");
  // Two sockets per subscription in this process's half (client) and one in a server's: say so early.
  const files = openFilesLimit();
  if (files < settings.subscriptions + 1_000) {
    throw new Error(
      `The open-files limit is ${files}, too low for ${settings.subscriptions} subscriptions (one socket each here, one in a server): raise it (ulimit -n ${settings.subscriptions * 2 + 1_000}).`,
    );
  }

  const progress = startProgress();
  let servers: RunningSystem[] = [];
  let proxies: CountingProxy[] = [];
  const subscribers: Subscriber[] = [];
  const stopEverything = () => {
    for (const s of subscribers) s.close();
    killAllChildren("SIGTERM");
  };
  process.on("exit", () => killAllChildren("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      progress.done();
      console.error(`\n${signal}: stopping the servers`);
      stopEverything();
      setTimeout(() => process.exit(130), 300).unref();
    });
  }
  const started = new Date();
  const load = os.loadavg();

  // 1. The database, and a token to write with.
  progress.step(`database ${databaseName}: creating if missing, migrating, seeding if empty`);
  if (await ensureDatabase(databaseUrl)) progress.log(`Created database ${databaseName}`);
  await seedDatabase(databaseUrl, (line) => progress.log(line));
  const watchedCount = Math.max(1, Math.ceil((settings.subscriptions - settings.firehose) / settings.perEntity));
  const { entities, otherKindEntity, matchKind, otherKind, token } = await prepareRun(databaseUrl, watchedCount, run);

  // 2. Two servers on that database and the shared Redis, under a prefix of this run's.
  progress.step("starting two servers");
  const env = {
    REDIS_URL: redisUrl,
    REDIS_CHANNEL_PREFIX: `bench-live-${run}:`,
    RESPONSE_CACHE_TTL: "0",
  };
  // Each through a counting proxy: statements per mutation do not depend on how loaded the machine is.
  const target = new URL(databaseUrl);
  proxies = await Promise.all(
    [0, 1].map(() => startCountingProxy({ host: target.hostname, port: Number(target.port || 5432) })),
  );
  servers = await Promise.all(
    proxies.map((proxy) => startSystem("ours", viaProxy(databaseUrl, proxy), 10, oursDir, env)),
  );
  const endpoint = (server: number) => `${servers[server]!.base}/graphql`;

  // Mutations: plain fetch, the token in the Authorization header; `sent` and outcome per sequence number.
  const sentAt = new Map<number, number>();
  const entityOf = new Map<number, number>(); // seq -> entity index (probes: none)
  const failed = new Set<number>();
  const writeLatency: number[] = [];
  let inflight = 0;
  const writeProblems: string[] = [];
  const mutate = async (server: number, entity: Entity, description: string): Promise<boolean> => {
    inflight++;
    try {
      const response = await fetch(endpoint(server), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: mutationDocument, variables: { id: entity.id, description } }),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: { updateEntity?: { __typename: string } } };
      const ok = body.data?.updateEntity?.__typename === "UpdateEntitySuccess";
      if (!ok && writeProblems.length < 5) writeProblems.push(`mutation: ${text.slice(0, 300)}`);
      return ok;
    } catch (error) {
      if (writeProblems.length < 5) writeProblems.push(`mutation: ${String(error)}`);
      return false;
    } finally {
      inflight--;
    }
  };
  // Warm both servers' write paths before the first memory reading.
  progress.step("warming up the write path");
  await inBatches(
    Array.from({ length: 40 }, (_, i) => i),
    4,
    async (i) => void (await mutate(i % 2, entities[i % entities.length]!, `warm ${run} ${i}`)),
  );

  // 3. RSS with no subscription, then the subscriptions.
  const rssIdle = await Promise.all(servers.map((s) => steadyRss(s.pid)));
  const latencies: number[] = [];
  /** Pairs: sequence number, receipt time (for the latency after the writer's answer). */
  const receipts: number[] = [];
  const answeredAt = new Map<number, number>();
  const onEvent = (subscriber: Subscriber, payload: { data?: unknown; errors?: unknown }) => {
    const now = Date.now();
    const change = Object.values((payload.data ?? {}) as Record<string, { at: string; after: unknown }>)[0];
    if (payload.errors || !change) {
      subscriber.strange.push(JSON.stringify(payload).slice(0, 300));
      return;
    }
    const description = (change.after as { description?: unknown } | null)?.description;
    const words = typeof description === "string" ? description.split(" ") : [];
    if (words[1] !== run) {
      subscriber.strange.push(`not this run's: ${String(description).slice(0, 100)}`);
      return;
    }
    subscriber.live = true;
    if (words[0] !== "live") return; // a probe (or warm-up) event
    const seq = Number(words[2]);
    subscriber.heard.set(seq, (subscriber.heard.get(seq) ?? 0) + 1);
    latencies.push(now - Date.parse(change.at));
    receipts.push(seq, now);
  };

  for (let index = 0; index < settings.subscriptions; index++) {
    const server = index % 2;
    const transport: Transport = Math.floor(index / 2) % 2 === 0 ? "graphql-ws" : "sse";
    const firehose = index < settings.firehose;
    const groups: Group[] = ["all", "kind-match", "kind-other"];
    subscribers.push({
      index,
      server,
      transport,
      group: firehose ? groups[index % 3]! : "entity",
      entity: firehose ? -1 : (index - settings.firehose) % entities.length,
      live: false,
      heard: new Map(),
      strange: [],
      ended: false,
      generation: 0,
      close: () => undefined,
    });
  }
  progress.step(`opening ${settings.subscriptions} subscriptions`);
  let opened = 0;
  // A subscription refused while the servers are busy opening thousands (DATABASE_UNAVAILABLE: no
  // pool connection within 2 s for its entity lookup) is opened again, as a client would; counted.
  let measuring = false;
  let reopened = 0;
  const open = (subscriber: Subscriber): Promise<void> => {
    const generation = ++subscriber.generation;
    const current = () => generation === subscriber.generation;
    const { query, variables } =
      subscriber.group === "entity"
        ? { query: entityDocument, variables: { id: entities[subscriber.entity]!.id } }
        : {
            query: graphDocument,
            variables:
              subscriber.group === "all" ? {} : { kinds: [subscriber.group === "kind-match" ? matchKind : otherKind] },
          };
    const refusedBusy = (what: unknown) => !measuring && /DATABASE_UNAVAILABLE|"TIMEOUT"/.test(JSON.stringify(what));
    const retry = () => {
      subscriber.generation++;
      subscriber.live = false;
      subscriber.close();
      reopened++;
      setTimeout(() => void open(subscriber), 500 + Math.random() * 1_000);
    };
    const sink = {
      next: (payload: { data?: unknown; errors?: unknown }) => {
        if (!current()) return;
        if (payload.errors && refusedBusy(payload.errors)) retry();
        else onEvent(subscriber, payload);
      },
      error: (error: unknown) => {
        if (!current()) return;
        if (refusedBusy(error)) return retry();
        subscriber.strange.push(`error: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
        subscriber.ended = true;
      },
      complete: () => {
        if (current()) subscriber.ended = true;
      },
    };
    if (subscriber.transport === "graphql-ws") {
      // One socket per subscriber, as browsers each open their own.
      const client = createWsClient({
        url: endpoint(subscriber.server).replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
      });
      const unsubscribe = client.subscribe({ query, variables }, sink);
      subscriber.close = () => {
        unsubscribe();
        void client.dispose();
      };
      // The next one waits until the server acknowledged this connection (a ramp, not a flood).
      return new Promise<void>((done) => {
        const off = client.on("connected", () => {
          off();
          done();
        });
        setTimeout(done, 5_000);
      });
    }
    // SSE: the response's headers come once the server has run the subscription's resolver.
    let established: () => void = () => undefined;
    const headers = new Promise<void>((done) => {
      established = done;
      setTimeout(done, 10_000);
    });
    const client = createSseClient({
      url: endpoint(subscriber.server),
      singleConnection: false,
      retryAttempts: 0,
      fetchFn: async (input: string, init: RequestInit) => {
        const response = await fetch(input, init).finally(established);
        return response;
      },
    });
    const unsubscribe = client.subscribe({ query, variables }, sink);
    subscriber.close = () => {
      unsubscribe();
      client.dispose();
    };
    return headers;
  };
  await inBatches(subscribers, 20, async (subscriber) => {
    await open(subscriber);
    opened++;
    if (opened % 250 === 0) progress.step(`opening subscriptions: ${opened}/${settings.subscriptions}`);
  });

  // Probes until every subscriber heard one: then every later event must reach it.
  const probeTargets = [...entities, otherKindEntity];
  const matchEntity = entities.find((entity) => entity.kind === matchKind)!;
  let probe = 0;
  for (let roundNo = 1; ; roundNo++) {
    const waiting = subscribers.filter((s) => !s.live && !s.ended).length;
    if (!waiting) break;
    if (roundNo > 12) throw new Error(`${waiting} subscriptions never went live after ${roundNo - 1} rounds of probes`);
    progress.step(`probe round ${roundNo}: ${waiting} subscriptions not live yet`);
    // The first round probes every entity; later ones only what a subscriber still waits for.
    const needed =
      roundNo === 1
        ? probeTargets
        : [
            ...new Set(
              subscribers
                .filter((s) => !s.live && !s.ended)
                .map((s) =>
                  s.group === "entity" ? entities[s.entity]! : s.group === "kind-other" ? otherKindEntity : matchEntity,
                ),
            ),
          ];
    await inBatches(needed, 8, async (entity) => {
      const n = probe++;
      await mutate(n % 2, entity, `probe ${run} ${n}`);
    });
    await sleep(1_000);
  }

  progress.step("idle: reading memory with every subscription open");
  await sleep(3_000);
  const rssOpen = await Promise.all(servers.map((s) => steadyRss(s.pid)));
  const perServer = [0, 1].map((server) => subscribers.filter((s) => s.server === server).length);
  const perSubscription = [0, 1].map((server) => (rssOpen[server]! - rssIdle[server]!) / perServer[server]!);

  // 4. The timed phase.
  const planned = Math.round(settings.rate * settings.durationSeconds);
  const phaseMs = settings.durationSeconds * 1000;
  const cpuBefore: CpuSnapshot[] = servers.map((s) => cpuSnapshot(s.pid, databaseName));
  for (const proxy of proxies) proxy.reset();
  measuring = true;
  const t0 = Date.now();
  let next = 0;
  let behindMax = 0;
  // Writes in flight at most: past it the rate is not met (and the report says so) rather than
  // queueing thousands of requests whose row locks would only wait on each other.
  const maxInflight = maxInflightNote;
  const writes: Promise<void>[] = [];
  let lastProgress = 0;
  // For the duration asked, whether or not the servers keep up: the report says how many were sent.
  for (; Date.now() - t0 < phaseMs; await sleep(2)) {
    const due = Math.min(planned, Math.floor(((Date.now() - t0) * settings.rate) / 1000) + 1);
    behindMax = Math.max(behindMax, due - next);
    while (next < due && inflight < maxInflight) {
      const seq = next++;
      const entity = seq % entities.length;
      const server = (seq + Math.floor(seq / entities.length)) % 2;
      entityOf.set(seq, entity);
      const at = Date.now();
      sentAt.set(seq, at);
      writes.push(
        mutate(server, entities[entity]!, `live ${run} ${seq}`).then((ok) => {
          if (ok) writeLatency.push(Date.now() - at);
          if (ok) answeredAt.set(seq, Date.now());
          else failed.add(seq);
        }),
      );
    }
    if (Date.now() - lastProgress > 1_000) {
      lastProgress = Date.now();
      const elapsed = (Date.now() - t0) / 1000;
      progress.load(
        `${settings.rate} mutations/s, ${latencies.length} deliveries`,
        1,
        1,
        elapsed,
        settings.durationSeconds,
        settings.durationSeconds - elapsed,
      );
    }
  }
  const total = next;
  await Promise.all(writes);
  const writeSeconds = (Date.now() - t0) / 1000;
  // Deliveries still on their way: wait until nothing new arrives for 2 s (at most 20 s).
  progress.step("waiting for the last deliveries");
  for (let last = -1, quiet = 0; quiet < 4 && Date.now() - t0 < (writeSeconds + 20) * 1000; ) {
    await sleep(500);
    quiet = latencies.length === last ? quiet + 1 : 0;
    last = latencies.length;
  }
  const cpuAfter = servers.map((s) => cpuSnapshot(s.pid, databaseName));
  const statements = proxies.reduce((sum, proxy) => sum + proxy.counts().total, 0);
  const cpu = [0, 1].map((i) => cpuBetween(cpuBefore[i]!, cpuAfter[i]!));

  // 5. The check.
  progress.step("checking every subscriber's events");
  const kindOfEntity = entities.map((e) => e.kind);
  const seqsOfEntity = entities.map(() => [] as number[]);
  const allSeqs: number[] = [];
  for (let seq = 0; seq < total; seq++) {
    if (failed.has(seq)) continue; // it may or may not have been written: neither owed nor foreign
    seqsOfEntity[entityOf.get(seq)!]!.push(seq);
    allSeqs.push(seq);
  }
  let expected = 0;
  let lost = 0;
  let duplicates = 0;
  let foreign = 0;
  const examples: string[] = [];
  for (const s of subscribers) {
    const owed =
      s.group === "entity"
        ? seqsOfEntity[s.entity]!
        : s.group === "all"
          ? allSeqs
          : s.group === "kind-match"
            ? allSeqs.filter((seq) => kindOfEntity[entityOf.get(seq)!] === matchKind)
            : [];
    const owedSet = new Set(owed);
    expected += owed.length;
    for (const seq of owed) {
      const times = s.heard.get(seq) ?? 0;
      if (times === 0) lost++;
      if (times > 1) duplicates += times - 1;
      if (times !== 1 && examples.length < 10)
        examples.push(
          `subscriber ${s.index} (${s.group}, ${s.transport}, server ${s.server}): seq ${seq} heard ${times} times`,
        );
    }
    for (const [seq] of s.heard) {
      if (owedSet.has(seq) || failed.has(seq)) continue;
      foreign++;
      if (examples.length < 10) examples.push(`subscriber ${s.index} (${s.group}): seq ${seq} is not its event`);
    }
    for (const line of s.strange.slice(0, 2)) if (examples.length < 10) examples.push(`subscriber ${s.index}: ${line}`);
  }
  const endedEarly = subscribers.filter((s) => s.ended).length;
  const strange = subscribers.reduce((sum, s) => sum + s.strange.length, 0);
  const sorted = [...latencies].sort((a, b) => a - b);
  const afterAnswer: number[] = [];
  for (let i = 0; i < receipts.length; i += 2) {
    const answered = answeredAt.get(receipts[i]!);
    if (answered !== undefined) afterAnswer.push(receipts[i + 1]! - answered);
  }
  afterAnswer.sort((a, b) => a - b);
  const writesSorted = [...writeLatency].sort((a, b) => a - b);
  const rssEnd = servers.map((s) => rssOf(s.pid) ?? Number.NaN);

  for (const s of subscribers) s.close();
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  progress.done();
  if (process.env.BENCH_LIVE_LOG)
    writeFileSync(process.env.BENCH_LIVE_LOG, servers.map((s) => s.output()).join("\n----\n"));

  // 6. The report.
  const report = {
    kind: "live",
    started: started.toISOString(),
    machine:
      process.env.BENCH_MACHINE ?? `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${mb(os.totalmem())} MB`,
    loadAverageAtStart: load.map(round1),
    loadAverageAtEnd: os.loadavg().map(round1),
    oursDir: oursDir === root ? "this checkout" : oursDir,
    settings: { ...settings, quick, watchedEntities: entities.length, matchKind, otherKind },
    subscriptions: {
      opened: settings.subscriptions,
      perServer,
      endedEarly,
      reopenedWhileOpening: reopened,
      byTransport: {
        "graphql-ws": subscribers.filter((s) => s.transport === "graphql-ws").length,
        sse: subscribers.filter((s) => s.transport === "sse").length,
      },
    },
    mutations: {
      planned,
      sent: total,
      succeeded: total - failed.size,
      failed: failed.size,
      seconds: round1(writeSeconds),
      perSecond: round1((total - failed.size) / writeSeconds),
      mostBehind: behindMax,
      p50Ms: quantile(writesSorted, 0.5),
      p99Ms: quantile(writesSorted, 0.99),
    },
    deliveries: {
      expected,
      received: latencies.length,
      lost,
      duplicates,
      foreign,
      strange,
      perSecond: round1(latencies.length / writeSeconds),
      latencyMs: {
        p50: quantile(sorted, 0.5),
        p90: quantile(sorted, 0.9),
        p99: quantile(sorted, 0.99),
        max: sorted.at(-1) ?? Number.NaN,
      },
      afterWriterAnswerMs: {
        p50: quantile(afterAnswer, 0.5),
        p90: quantile(afterAnswer, 0.9),
        p99: quantile(afterAnswer, 0.99),
        max: afterAnswer.at(-1) ?? Number.NaN,
      },
    },
    memory: {
      rssNoSubscriptionsMb: rssIdle.map(mb),
      rssIdleSubscriptionsMb: rssOpen.map(mb),
      rssAfterLoadMb: rssEnd.map(mb),
      perIdleSubscriptionKb: perSubscription.map((b) => round1(b / 1024)),
    },
    statements: { total: statements, perMutation: round1(statements / Math.max(1, total)) },
    cpu: cpu.map((c) => ({
      serverMs: c.serverMs,
      serverCores: round1(c.serverMs / 1000 / writeSeconds),
      postgresMs: c.postgresMs,
      loadGeneratorMs: Math.round(c.loadGeneratorMs),
      otherCores: round1(c.otherCores),
    })),
    problems: [...writeProblems, ...examples],
  };
  const ok = lost === 0 && duplicates === 0 && foreign === 0 && strange === 0 && endedEarly === 0;
  const markdown = renderLive(report, ok);
  const dir = new URL("./results/", import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().slice(0, 16).replace(/[T:]/g, "-");
  writeFileSync(`${dir}${stamp}-live.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${dir}${stamp}-live.md`, markdown);
  if (oursDir === root) writeFileSync(`${dir}latest-live${quick ? "-quick" : ""}.md`, markdown);
  console.log(markdown);
  console.error(`Results: bench/results/${stamp}-live.json and .md`);
  if (!ok) {
    console.error("Delivery was not exactly once: see the problems above.");
    process.exitCode = 1;
  }
}

/** Entities to watch (the seed graph's, in key order), a token, and the kinds the filters use. */
async function prepareRun(databaseUrl: string, count: number, run: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let rows: { key: string; kind: string }[];
  try {
    ({ rows } = await client.query<{ key: string; kind: string }>(
      `SELECT key, kind::text AS kind FROM "Entity" ORDER BY key`,
    ));
  } finally {
    await client.end();
  }
  const { typeNameOfKind } = await import("../src/schema/type-names.js");
  const toEntity = (row: { key: string; kind: string }): Entity => ({
    ...row,
    id: Buffer.from(`${typeNameOfKind[row.kind as keyof typeof typeNameOfKind]}:${row.key}`).toString("base64"),
  });
  const kindsCount = new Map<string, number>();
  for (const row of rows) kindsCount.set(row.kind, (kindsCount.get(row.kind) ?? 0) + 1);
  // The kind no mutation touches: the rarest; the watched entities are of the others.
  const byCount = [...kindsCount].sort((a, b) => a[1] - b[1]);
  const otherKind = byCount[0]?.[0];
  const other = rows.find((row) => row.kind === otherKind);
  const watched = rows.filter((row) => row.kind !== otherKind).slice(0, count);
  if (watched.length < count || !other)
    throw new Error(
      `The database has too few entities for ${count} watched ones and one of another kind: fewer subscriptions, or more --per-entity.`,
    );
  kindsCount.clear();
  for (const row of watched) kindsCount.set(row.kind, (kindsCount.get(row.kind) ?? 0) + 1);
  // The filter that matches: the watched entities' most common kind.
  const matchKind = [...kindsCount].sort((a, b) => b[1] - a[1])[0]![0];
  const db = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    const { token } = await createToken(db.prisma, `bench-live-${run}`, ["graph:write"]);
    return {
      entities: watched.map(toEntity),
      otherKindEntity: toEntity(other),
      matchKind,
      otherKind: other.kind,
      token,
    };
  } finally {
    await db.close();
  }
}

type LiveReport = {
  started: string;
  machine: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  oursDir: string;
  settings: LiveSettings & { quick: boolean; watchedEntities: number; matchKind: string; otherKind: string };
  subscriptions: {
    opened: number;
    perServer: number[];
    endedEarly: number;
    reopenedWhileOpening: number;
    byTransport: Record<string, number>;
  };
  mutations: Record<string, number>;
  deliveries: {
    expected: number;
    received: number;
    lost: number;
    duplicates: number;
    foreign: number;
    strange: number;
    perSecond: number;
    latencyMs: Record<string, number>;
    afterWriterAnswerMs: Record<string, number>;
  };
  memory: Record<string, number[]>;
  statements: { total: number; perMutation: number };
  cpu: { serverMs: number; serverCores: number; postgresMs: number; loadGeneratorMs: number; otherCores: number }[];
  problems: string[];
};

const maxInflightNote = 16;

function renderLive(r: LiveReport, ok: boolean): string {
  const s = r.settings;
  const d = r.deliveries;
  const m = r.mutations;
  const lines = [
    `# Live events at fan-out, ${r.started.slice(0, 16).replace("T", " ")} UTC${s.quick ? " (quick)" : ""}`,
    "",
    `${r.machine}; load average ${r.loadAverageAtStart.join(", ")} at the start, ${r.loadAverageAtEnd.join(", ")} at the end. Servers: ${r.oursDir}.`,
    "",
    `Two instances on one PostgreSQL database and one Redis; ${r.subscriptions.opened} subscriptions (${r.subscriptions.byTransport["graphql-ws"]} graphql-ws, ${r.subscriptions.byTransport.sse} SSE; ${r.subscriptions.perServer.join(" + ")} per server): ${r.subscriptions.opened - s.firehose} \`entityChanged\` on ${s.watchedEntities} entities (${s.perEntity} each) and ${s.firehose} \`graphChanged\` (a third unfiltered, a third \`kinds: [${s.matchKind}]\`, a third \`kinds: [${s.otherKind}]\`, which no mutation touches). Mutations: \`updateEntity\` at ${s.rate}/s for ${s.durationSeconds} s, alternating between the instances.`,
    "",
    `**Exactly once: ${ok ? "yes" : "NO"}** — ${d.expected} deliveries owed, ${d.received} received, ${d.lost} lost, ${d.duplicates} duplicated, ${d.foreign} to a subscriber that did not match, ${d.strange} errors or unknown events, ${r.subscriptions.endedEarly} subscriptions ended early. ${r.subscriptions.reopenedWhileOpening} openings were refused while the servers were busy opening the others (DATABASE_UNAVAILABLE) and made again, as a client would.`,
    "",
    "| measure | value |",
    "|---|---|",
    `| mutations done | ${m.succeeded} of ${m.planned} planned (${m.sent} sent, at most ${maxInflightNote} in flight; ${m.failed} failed) in ${m.seconds} s: ${m.perSecond}/s; p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms |`,
    `| SQL statements per mutation, deliveries included | ${r.statements.perMutation} (${r.statements.total} in all) |`,
    `| deliveries | ${d.perSecond}/s |`,
    `| delivery latency, commit to client | p50 ${d.latencyMs.p50} ms, p90 ${d.latencyMs.p90} ms, p99 ${d.latencyMs.p99} ms, max ${d.latencyMs.max} ms |`,
    `| delivery after the writer had its answer (negative: before it) | p50 ${d.afterWriterAnswerMs.p50} ms, p90 ${d.afterWriterAnswerMs.p90} ms, p99 ${d.afterWriterAnswerMs.p99} ms, max ${d.afterWriterAnswerMs.max} ms |`,
    `| RSS per server, no subscription | ${r.memory.rssNoSubscriptionsMb!.join(" MB, ")} MB |`,
    `| RSS per server, subscriptions open and idle | ${r.memory.rssIdleSubscriptionsMb!.join(" MB, ")} MB |`,
    `| RSS per idle subscription | ${r.memory.perIdleSubscriptionKb!.join(" KB, ")} KB |`,
    `| RSS per server after the load | ${r.memory.rssAfterLoadMb!.join(" MB, ")} MB |`,
    `| server CPU during the load | ${r.cpu.map((c) => `${c.serverCores} cores`).join(", ")}; PostgreSQL ${r.cpu[0]!.postgresMs} ms, this client ${r.cpu[0]!.loadGeneratorMs} ms, other processes ${r.cpu[0]!.otherCores} cores |`,
    "",
    "Latency: the client's receipt time less the change's `at` (PostgreSQL's now() when the writing transaction began, so it includes the transaction: an upper bound of commit to receipt); and less the time the writer got its answer (after the commit and the publish: the fan-out's own lag), same machine clock.",
  ];
  if (r.problems.length) lines.push("", "Problems (first ten):", "", ...r.problems.map((p) => `- ${p}`));
  return `${lines.join("\n")}\n`;
}
