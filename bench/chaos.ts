// npm run chaos [-- --seconds 5 --concurrency 8 --no-revive --json FILE]
//
// The chaos check of issue 17: two `src/main.ts` instances on a throwaway PostgreSQL and Redis
// (tests/support/throwaway-servers.ts; the shared servers are never touched) under a steady mixed
// load of queries and token-authenticated mutations, while the dependencies fail one after another:
//   1. pg_terminate_backend() of every connection of the service,
//   2. PostgreSQL killed (pg_ctl stop -m immediate) for --seconds, then started again,
//   3. Redis killed (SIGKILL) for --seconds, then started again on the same port.
// Progress goes to stderr once a second; the report to stdout: requests sent, succeeded and failed
// (by status and error code) per phase, for each fault the time from the dependency's return to the
// first success and to steady success, and the instances' exits.
//
// Exit code 0 when both processes lived throughout and every fault was recovered from (steady
// success) within 5 s of the dependency's return; 1 otherwise.
//
// An instance that dies is started again (as a supervisor would) so that the later faults are still
// measured, and each such restart is counted and fails the run; --no-revive leaves it dead.
import { writeFileSync } from "node:fs";
import {
  chongqing,
  createWriterToken,
  describeEntity,
  errorCode,
  gid,
  graphql,
  seres,
  sleep,
  startInstance,
  succeeded,
  type Answer,
  type Instance,
} from "../tests/support/fault-kit.js";
import {
  startThrowawayPostgres,
  startThrowawayRedis,
  type ThrowawayPostgres,
  type ThrowawayRedis,
} from "../tests/support/throwaway-servers.js";

// ---------------------------------------------------------------------------------------------------
// Options

interface Options {
  /** How long each dependency stays down, and the steady load before the first fault. */
  downSeconds: number;
  /** How long the load runs after each fault before the next one. */
  observeSeconds: number;
  concurrency: number;
  revive: boolean;
  json: string | undefined;
  /** The recovery bound of issue 17. */
  recoveryMs: number;
}

function readOptions(argv: string[]): Options {
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return parsed;
  };
  if (argv.includes("--help")) {
    console.log("npm run chaos [-- --seconds 5 --observe 10 --concurrency 8 --no-revive --json FILE]");
    process.exit(0);
  }
  return {
    downSeconds: number("--seconds", 5),
    observeSeconds: number("--observe", 10),
    concurrency: Math.round(number("--concurrency", 8)),
    revive: !argv.includes("--no-revive"),
    json: value("--json"),
    recoveryMs: 5_000,
  };
}

// ---------------------------------------------------------------------------------------------------
// Load

type Kind = "typename" | "lookup" | "page" | "neighborhood" | "search" | "mutation";

interface Sample {
  instance: string;
  kind: Kind;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  status: number | null;
  code: string;
}

const cities = ["Chongqing", "Chengdu", "Wuhan", "Xi'an", "Kunming", "Guiyang", "Nanning", "Lanzhou"];
const neighbourhoodIds = [chongqing, seres, gid("Province", "sichuan"), gid("Province", "yunnan")];
const searchTerms = ["Chong qing", "Chengdu", "battery", "auto", "Sichuan", "port"];
const mutationTargets = [chongqing, seres];

/** Ten requests in a cycle: 1 `{ __typename }`, 3 lookups, 1 page, 2 neighbourhoods, 2 searches, 1 mutation. */
const cycle: Kind[] = [
  "lookup",
  "search",
  "neighborhood",
  "lookup",
  "typename",
  "mutation",
  "lookup",
  "page",
  "search",
  "neighborhood",
];

function request(kind: Kind, url: string, token: string, n: number): Promise<Answer> {
  const timeoutMs = 10_000;
  switch (kind) {
    case "typename":
      return graphql(url, "{ __typename }", {}, { timeoutMs });
    case "lookup":
      return graphql(
        url,
        `query($name: String!) { city(name: $name) { id name province { name } } }`,
        { name: cities[n % cities.length] },
        { timeoutMs },
      );
    case "page":
      return graphql(
        url,
        `query($first: Int) { provinces(first: $first) { edges { node { name } } } }`,
        { first: 3 + (n % 10) },
        { timeoutMs },
      );
    case "neighborhood":
      return graphql(
        url,
        `query($id: ID!, $limit: Int) { neighborhood(id: $id, depth: 2, limit: $limit) { truncated nodes { id label } edges { id type } } }`,
        { id: neighbourhoodIds[n % neighbourhoodIds.length], limit: 50 + (n % 50) },
        { timeoutMs },
      );
    case "search":
      return graphql(
        url,
        `query($q: String!) { search(query: $q, first: 5) { edges { node { score entity { name } } } } }`,
        { q: searchTerms[n % searchTerms.length] },
        { timeoutMs },
      );
    case "mutation":
      return describeEntity(
        url,
        token,
        mutationTargets[n % mutationTargets.length]!,
        `chaos ${n} ${Date.now()}`,
        timeoutMs,
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// The run

interface Fault {
  name: string;
  /** When the fault was made, and when the dependency was back (the same instant for terminate). */
  injectedAt: number;
  returnedAt: number;
  /** End of its observation window (the next fault, or the end of the run). */
  windowEnd: number;
}

interface Restart {
  instance: string;
  at: number;
  exit: string;
  newPid: number | null;
}

const options = readOptions(process.argv.slice(2));
const runStarted = Date.now();
const clock = (at: number) => `${((at - runStarted) / 1000).toFixed(1).padStart(5)}s`;
const say = (text: string) => process.stderr.write(`[${clock(Date.now())}] ${text}\n`);

let pg: ThrowawayPostgres | undefined;
let redis: ThrowawayRedis | undefined;
const instances: Record<"A" | "B", Instance | undefined> = { A: undefined, B: undefined };
const everyInstance: Instance[] = [];
const samples: Sample[] = [];
const faults: Fault[] = [];
const restarts: Restart[] = [];
let phase = "starting";
let loadRunning = false;

async function cleanUp(): Promise<void> {
  loadRunning = false;
  await Promise.allSettled(everyInstance.map((instance) => instance.stop()));
  await Promise.allSettled([redis?.close(), pg?.close()]);
}

// Ctrl-C: stop what was started (the exit hooks of the helpers are the last resort).
process.once("SIGINT", () => {
  say("interrupted: stopping the servers");
  void cleanUp().finally(() => process.exit(130));
});

async function startNamed(label: "A" | "B", env: Record<string, string>): Promise<Instance> {
  const instance = await startInstance(label, env);
  instances[label] = instance;
  everyInstance.push(instance);
  return instance;
}

/** Restarts an instance that died (when --revive), counting it. */
async function watch(label: "A" | "B", env: Record<string, string>): Promise<void> {
  while (loadRunning) {
    const instance = instances[label]!;
    const exit = await instance.waitForExit(500);
    if (!exit || !loadRunning) continue;
    const restart: Restart = { instance: label, at: exit.at, exit: instance.crashSummary(), newPid: null };
    restarts.push(restart);
    say(`!! ${instance.crashSummary().slice(0, 300)}`);
    if (!options.revive) return;
    // Today's service refuses to start while PostgreSQL is down: try again each second, as a supervisor would.
    while (loadRunning) {
      try {
        restart.newPid = (await startNamed(label, env)).pid;
        say(`restarted ${label} (pid ${restart.newPid}) to keep measuring; counted as a restart`);
        break;
      } catch (error) {
        say(
          `could not restart ${label} yet: ${
            String(error)
              .split("\n")
              .filter((line) => /Error/.test(line))[0] ?? String(error).slice(0, 200)
          }`,
        );
        await sleep(1_000);
      }
    }
  }
}

async function worker(n: number, token: string): Promise<void> {
  for (let i = 0; loadRunning; i++) {
    const label = (n + i) % 2 ? "A" : "B";
    const instance = instances[label]!;
    const kind = cycle[(n * 3 + i) % cycle.length]!;
    const answer = await request(kind, instance.url, token, n * 1000 + i);
    samples.push({
      instance: label,
      kind,
      startedAt: answer.startedAt,
      endedAt: answer.startedAt + answer.ms,
      ok: succeeded(answer),
      status: answer.status,
      code: succeeded(answer) ? "-" : failureCode(answer),
    });
    // A refused connection comes back at once: do not spin on a dead instance (each refusal still counts).
    if (answer.status === null) await sleep(100);
  }
}

/** What failed: the GraphQL error code, a mutation's error member, or the network failure. */
function failureCode(answer: Answer): string {
  const code = errorCode(answer);
  if (code !== "-") return code;
  const member = Object.values(answer.body?.data ?? {})[0] as { __typename?: string } | undefined;
  return member?.__typename ?? "(no data)";
}

function progress(): void {
  const last = samples.filter((sample) => sample.endedAt > Date.now() - 1_000);
  const failed = last.filter((sample) => !sample.ok);
  const codes = countBy(failed, (sample) => `${sample.status ?? "no response"} ${sample.code}`);
  const state = (["A", "B"] as const)
    .map((label) => `${label} ${instances[label]?.alive() ? `up (pid ${instances[label]!.pid})` : "DOWN"}`)
    .join(", ");
  say(
    `${phase.padEnd(22)} last 1 s: ${String(last.length).padStart(4)} answered, ${String(failed.length).padStart(4)} failed` +
      `${failed.length ? ` (${formatCounts(codes)})` : ""} · total ${samples.length} · ${state}`,
  );
}

async function inject(name: string, make: () => Promise<void>, restore: (() => Promise<void>) | null): Promise<void> {
  phase = name;
  say(`>> ${name}`);
  const injectedAt = Date.now();
  await make();
  if (restore) {
    await sleep(options.downSeconds * 1000);
    await restore();
    say(`<< ${name}: the dependency is back`);
  }
  const returnedAt = Date.now();
  phase = `${name}: after`;
  faults.push({ name, injectedAt, returnedAt, windowEnd: Number.POSITIVE_INFINITY });
  await sleep(options.observeSeconds * 1000);
}

async function main(): Promise<number> {
  say("starting a throwaway PostgreSQL and Redis");
  [pg, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
  say(`PostgreSQL ${pg.url} · Redis ${redis.url}`);
  const env = { DATABASE_URL: pg.url, REDIS_URL: redis.url, RESPONSE_CACHE_TTL: "60" };
  say("starting instance A (migrates and seeds the empty database)");
  await startNamed("A", env);
  say("starting instance B");
  await startNamed("B", env);
  const originalPids = { A: instances.A!.pid, B: instances.B!.pid };
  const token = await createWriterToken(pg.url, `chaos-${Date.now()}`);
  say(
    `A ${instances.A!.url} (pid ${originalPids.A}) · B ${instances.B!.url} (pid ${originalPids.B}) · load: ${options.concurrency} workers`,
  );

  loadRunning = true;
  const watchers = [watch("A", env), watch("B", env)];
  const workers = Array.from({ length: options.concurrency }, (_, n) => worker(n, token));
  const ticker = setInterval(progress, 1_000);
  const loadStarted = Date.now();
  phase = "steady load";
  await sleep(options.downSeconds * 1000);

  const postgres = pg;
  const cache = redis;
  await inject(
    "terminate connections",
    async () => void say(`terminated ${await postgres.terminateConnections()} connections`),
    null,
  );
  await inject(
    "PostgreSQL killed",
    () => postgres.stop("immediate"),
    () => postgres.start(),
  );
  await inject(
    "Redis killed",
    () => cache.kill("SIGKILL"),
    () => cache.restart(),
  );

  loadRunning = false;
  clearInterval(ticker);
  await Promise.all(workers);
  await Promise.all(watchers);
  const loadEnded = Date.now();
  for (let i = 0; i < faults.length; i++) faults[i]!.windowEnd = faults[i + 1]?.injectedAt ?? loadEnded;

  const report = buildReport(loadStarted, loadEnded, originalPids);
  console.log(report.text);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report.data, null, 2)}\n`);
  return report.passed ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------
// Report

interface Recovery {
  fault: string;
  /** ms from the dependency's return to the first request started after it that succeeded. */
  firstSuccessMs: number | null;
  /** ms from the return to the start of the run of successes that lasted to the window's end. */
  steadyMs: number | null;
  failedDuringFault: number;
  failedAfterReturn: number;
}

function recoveryOf(fault: Fault): Recovery {
  const during = samples.filter(
    (sample) => sample.startedAt >= fault.injectedAt && sample.startedAt < fault.returnedAt,
  );
  // Requests answered before the next fault: one still running when it lands may fail because of it.
  const after = samples
    .filter((sample) => sample.startedAt >= fault.returnedAt && sample.endedAt < fault.windowEnd)
    .sort((a, b) => a.startedAt - b.startedAt);
  const firstSuccess = after.filter((sample) => sample.ok).sort((a, b) => a.endedAt - b.endedAt)[0];
  // Steady from the request after the last failure (of those started after the return), if any succeeded after it.
  let lastFailure = -1;
  after.forEach((sample, index) => {
    if (!sample.ok) lastFailure = index;
  });
  const steadyFrom = lastFailure < 0 ? fault.returnedAt : after[lastFailure + 1]?.startedAt;
  return {
    fault: fault.name,
    firstSuccessMs: firstSuccess ? firstSuccess.endedAt - fault.returnedAt : null,
    steadyMs: steadyFrom === undefined || !after.length ? null : steadyFrom - fault.returnedAt,
    failedDuringFault: during.filter((sample) => !sample.ok).length,
    failedAfterReturn: after.filter((sample) => !sample.ok).length,
  };
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const formatCounts = (counts: Map<string, number>) =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ×${count}`)
    .join(", ");

const ms = (value: number | null) => (value === null ? "never" : `${(value / 1000).toFixed(2)} s`);

function buildReport(loadStarted: number, loadEnded: number, originalPids: { A: number; B: number }) {
  const lines: string[] = [];
  const failed = samples.filter((sample) => !sample.ok);
  lines.push(
    "",
    `Chaos check: ${samples.length} requests in ${((loadEnded - loadStarted) / 1000).toFixed(0)} s over 2 instances, ${options.concurrency} workers`,
  );
  lines.push(`  succeeded ${samples.length - failed.length}, failed ${failed.length}`);
  if (failed.length)
    lines.push(
      `  failures by status and code: ${formatCounts(countBy(failed, (sample) => `${sample.status ?? "no response"} ${sample.code}`))}`,
    );

  // Per phase: the steady load, then each fault from its injection to the next one.
  // By end time: a request in flight when a fault lands fails because of that fault, so it counts there.
  lines.push("", "By phase (requests answered in it):");
  const phases = [
    { name: "steady load", from: loadStarted, to: faults[0]?.injectedAt ?? loadEnded },
    ...faults.map((fault) => ({ name: fault.name, from: fault.injectedAt, to: fault.windowEnd })),
  ];
  for (const { name, from, to } of phases) {
    const inPhase = samples.filter((sample) => sample.endedAt >= from && sample.endedAt < to);
    const bad = inPhase.filter((sample) => !sample.ok);
    lines.push(
      `  ${name.padEnd(22)} sent ${String(inPhase.length).padStart(5)}  ok ${String(inPhase.length - bad.length).padStart(5)}  failed ${String(bad.length).padStart(5)}` +
        (bad.length
          ? `  (${formatCounts(countBy(bad, (sample) => `${sample.status ?? "no response"} ${sample.code}`))})`
          : ""),
    );
  }

  const recoveries = faults.map(recoveryOf);
  lines.push("", `Recovery (from the dependency's return; bound ${options.recoveryMs / 1000} s):`);
  for (const recovery of recoveries) {
    lines.push(
      `  ${recovery.fault.padEnd(22)} first success ${ms(recovery.firstSuccessMs).padStart(7)}  steady success ${ms(recovery.steadyMs).padStart(7)}` +
        `  failed while down ${recovery.failedDuringFault}, after return ${recovery.failedAfterReturn}`,
    );
  }

  lines.push("", `Process restarts: ${restarts.length} (original pids A ${originalPids.A}, B ${originalPids.B})`);
  for (const restart of restarts)
    lines.push(
      `  ${clock(restart.at)} ${restart.exit.slice(0, 400)}${restart.newPid ? ` -> restarted as pid ${restart.newPid}` : ""}`,
    );

  const recovered = recoveries.every(
    (recovery) => recovery.steadyMs !== null && recovery.steadyMs <= options.recoveryMs,
  );
  const passed = restarts.length === 0 && recovered && faults.length === 3;
  lines.push(
    "",
    passed
      ? "PASS: both processes lived throughout and recovered within 5 s of each return."
      : `FAIL: ${[restarts.length ? `${restarts.length} process exit(s)` : "", recovered ? "" : "a fault not recovered from within 5 s"].filter(Boolean).join("; ")}.`,
  );
  return {
    passed,
    text: lines.join("\n"),
    data: {
      requests: samples.length,
      succeeded: samples.length - failed.length,
      failed: Object.fromEntries(countBy(failed, (sample) => `${sample.status ?? "no response"} ${sample.code}`)),
      recoveries,
      restarts,
      passed,
    },
  };
}

let code = 1;
try {
  code = await main();
} catch (error) {
  say(`chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanUp();
}
process.exit(code);
