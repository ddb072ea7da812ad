// npm run bench [-- --quick] : our service against its peers on the machine's PostgreSQL, in one run.
//
//  1. the database: graph_bench (seed graph + the generator's large graph, generated or reused) or,
//     with --quick, graph_bench_quick (the seed graph only); BENCH_DATABASE_URL overrides either;
//  2. the systems, each a child process on the same database: ours (src/main.ts), PostGraphile 5
//     (amber preset), the textbook Pothos + plugin-prisma server, a naive Yoga + Prisma server and
//     the floor (hand-written SQL through pg);
//  3. each query of the mix verified once per system against ours (fail loudly when an answer
//     differs), with its SQL statements per request counted by a wire-protocol proxy;
//  4. the timed runs, autocannon, same concurrency and duration for every system and query;
//  5. bench/results/<date>.json, .md, latest.md and latest.svg.
//
// npm run bench -- --scale runs this twice, on the generated graph at two sizes (bench/scale.ts).
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { renderChart } from "./chart.js";
import { importMarkdown, runImportBench, writeImportResults } from "./import.js";
import {
  describeServer,
  ensureDatabase,
  generateGraph,
  seedDatabase,
  settleDatabase,
  type GraphSize,
} from "./database.js";
import { selectFixtures, type Fixtures } from "./fixtures.js";
import { drive, merge, type Round } from "./load.js";
import { startCountingProxy, viaProxy, type CountingProxy } from "./pg-proxy.js";
import { startProgress } from "./progress.js";
import {
  checkOurAnswer,
  difference,
  postgraphileContext,
  queryMix,
  queryNames,
  queryTitles,
  systems,
  systemTitles,
  type HttpRequest,
  type SystemContext,
  type QueryName,
  type SystemName,
} from "./queries.js";
import { markdownTable, renderMarkdown, startupTable, summaryLines, type BenchReport, type Cell } from "./report.js";
import { runLive } from "./live.js";
import { measureStartup, type StartupReport } from "./startup.js";
import { killAllChildren, root, rssOf, startSystem, type RunningSystem } from "./systems.js";
import { shapeMix, type ShapeMix } from "./shape-mix.js";

// --live is a mode of its own, with its own options (bench/live.ts).
if (process.argv.includes("--live")) {
  await runLive(process.argv.slice(2));
  process.exit();
}

const POOL_SIZE = 10; // our service's default pool (src/db/database.ts); every peer gets the same

if (process.argv.includes("--scale")) {
  const { runScale } = await import("./scale.js");
  process.exit(await runScale(process.argv.slice(2).filter((arg) => arg !== "--scale")));
}

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string" },
    entities: { type: "string" },
    relationships: { type: "string" },
    observations: { type: "string" },
    seed: { type: "string" },
    systems: { type: "string" },
    queries: { type: "string" },
    "ours-dir": { type: "string" },
    shapes: { type: "boolean", default: false },
    rounds: { type: "string" },
    import: { type: "boolean", default: false },
    "baseline-dir": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(`Usage: npm run bench [-- options]

  --quick              the seed graph only (database graph_bench_quick), short runs: under 2 minutes
  --scale              ours on the generated graph at 1M and 10M relationships (graph_bench, and
                       graph_bench_10m or BENCH_SCALE_DATABASE_URL): p50 and statements per query at
                       both sizes and their ratio (bench/scale.ts); with --quick, at 10k and 100k
  --duration S         seconds of timed load per query and system (default 10; quick 1; autocannon counts whole seconds)
  --rounds N           split it into N rounds over all cells, interleaved (default 2; quick 1)
  --warmup S           seconds of warm-up before each round (default 2; quick 1)
  --connections N      concurrent connections (default 10)
  --entities N --relationships M --observations K --seed S
                       the generated graph (default 100000, 1000000, 1000000, 1)
  --systems a,b        only these systems (ours is always verified): ${systems.join(", ")}
  --queries a,b        only these queries: ${queryNames.join(", ")}
  --shapes             every list beneath a list, from the schema (bench/shapes.ts), instead of the mix:
                       ours and PostGraphile by default; results bench/results/<date>-shapes.*
  --ours-dir PATH      run "ours" from another checkout of this service (e.g. a baseline commit
                       unpacked with git archive, with node_modules linked and prisma generate run)

  --import             bulk loads instead: a generated graph (default 10000, 100000, 100000; quick
                       2000, 10000, 10000) exported as NDJSON and imported into an empty PGlite folder
                       and an empty PostgreSQL database, beside a plain COPY of the same rows
  --baseline-dir PATH  with --import: import with that checkout too (e.g. main), in the same run

  BENCH_DATABASE_URL   the database to use instead of graph_bench / graph_bench_quick on 127.0.0.1:5432
Results: bench/results/<date>.json and .md, and for a complete run of this checkout latest.md and latest.svg (latest-quick.* with --quick).`);
  process.exit(0);
}

const quick = args.quick!;
const num = (value: string | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ""));
  if (!Number.isFinite(n) || n < 0) throw new Error(`Not a number: ${value}`);
  return n;
};
const settings = {
  durationSeconds: num(args.duration, quick ? 1 : 10),
  warmupSeconds: num(args.warmup, quick ? 1 : 2),
  rounds: Math.max(1, Math.round(num(args.rounds, quick ? 1 : 2))),
  connections: num(args.connections, 10),
  poolSize: POOL_SIZE,
  statementSamples: quick ? 5 : 10,
};
const size: GraphSize = {
  entities: num(args.entities, 100_000),
  relationships: num(args.relationships, 1_000_000),
  observations: num(args.observations, 1_000_000),
  seed: num(args.seed, 1),
};
const pick = <T extends string>(list: string | undefined, all: readonly T[]): T[] => {
  if (!list) return [...all];
  const wanted = list.split(",").map((s) => s.trim());
  const unknown = wanted.filter((w) => !all.includes(w as T));
  if (unknown.length) throw new Error(`Unknown: ${unknown.join(", ")} (known: ${all.join(", ")})`);
  return all.filter((a) => wanted.includes(a));
};
const shapes = args.shapes!;
const chosenSystems = pick(args.systems ?? (shapes ? "ours,postgraphile" : undefined), systems);
if (!chosenSystems.includes("ours")) chosenSystems.unshift("ours");
// The queries asked and their plans: the mix, or with --shapes every shape of the schema.
const { names, titles, plans } = shapes
  ? shapeMix((await import("../src/schema/index.js")).schema)
  : {
      names: [...queryNames] as string[],
      titles: queryTitles as Record<string, string>,
      plans: queryMix as ShapeMix["plans"],
    };
const chosenQueries = pick(args.queries, names);
const oursDir = args["ours-dir"] ? resolve(args["ours-dir"]) : root;
const databaseUrl =
  process.env.BENCH_DATABASE_URL ||
  `postgresql://postgres@127.0.0.1:5432/${quick ? "graph_bench_quick" : "graph_bench"}`;

if (args.import) {
  const started = new Date();
  const importSize: GraphSize = {
    entities: num(args.entities, quick ? 2_000 : 10_000),
    relationships: num(args.relationships, quick ? 10_000 : 100_000),
    observations: num(args.observations, quick ? 10_000 : 100_000),
    seed: num(args.seed, 1),
  };
  const base = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/graph_bench";
  const loadBefore = os.loadavg();
  const { rows } = await runImportBench({
    quick,
    databaseUrl: base,
    size: importSize,
    oursDir,
    baselineDir: args["baseline-dir"] ? resolve(args["baseline-dir"]) : null,
    log: (line) => console.error(line),
  });
  const loadAfter = os.loadavg();
  const cpus = os.cpus();
  const context = {
    started: started.toISOString(),
    machine:
      process.env.BENCH_MACHINE ??
      `${cpus.length}-core ${cpus[0]?.model.replace(/\s+/g, " ").trim() ?? "?"}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
    "load average (1 min) before / after": `${loadBefore[0]!.toFixed(2)} / ${loadAfter[0]!.toFixed(2)}`,
    "generated graph": `${importSize.entities} entities, ${importSize.relationships} relationships, ${importSize.observations} observations, seed ${importSize.seed}`,
    ours: oursDir,
    baseline: args["baseline-dir"] ? resolve(args["baseline-dir"]) : "none",
  };
  const markdown = importMarkdown(rows, context);
  const dir = new URL("./results/", import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const stamp = `${started.toISOString().slice(0, 19).replaceAll(":", "").replace("T", "-")}${quick ? "-quick" : ""}`;
  const written = writeImportResults(dir, stamp, { context, rows }, markdown);
  console.log(
    `\n${markdown}\nResults: bench/results/${written.join(", ")} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all)`,
  );
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Clean-up: child processes and proxies go away on exit, Ctrl-C and SIGTERM.

const proxies: CountingProxy[] = [];
let running: RunningSystem[] = [];
const progress = startProgress();
process.on("exit", () => killAllChildren("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    progress.done();
    console.error(`\n${signal}: stopping the servers`);
    killAllChildren("SIGTERM");
    setTimeout(() => process.exit(130), 300).unref();
  });
}

async function stopAll() {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
  await Promise.all(proxies.splice(0).map((p) => p.close()));
}

// ---------------------------------------------------------------------------------------------

const started = new Date();
const cells: Cell[] = [];
const bodies = new Map<string, string>(); // `${query}/${system}` -> verified response text
const requests = new Map<string, HttpRequest>(); // `${query}/${system}` -> the request verified

async function prepareData(): Promise<Record<string, number> | null> {
  progress.step(`database ${new URL(databaseUrl).pathname.slice(1)}: creating if missing, migrating, seeding if empty`);
  if (await ensureDatabase(databaseUrl)) progress.log(`Created database ${new URL(databaseUrl).pathname.slice(1)}`);
  await seedDatabase(databaseUrl, (line) => progress.log(line));
  if (quick) return null;
  if (!existsSync(new URL("../src/data/generate/generate.ts", import.meta.url))) {
    throw new Error(
      "The graph generator (src/data/generate/generate.ts, npm run graph -- generate) is not there yet; run `npm run bench -- --quick`.",
    );
  }
  progress.step(
    `generating (or reusing) ${size.entities} entities, ${size.relationships} relationships, ${size.observations} observations, seed ${size.seed}`,
  );
  progress.done();
  await generateGraph(databaseUrl, size);
  return { ...size };
}

/** Phase 1: every system through a counting proxy; answers verified, statements counted. */
async function verify(fixtures: Fixtures) {
  progress.step(`starting ${chosenSystems.join(", ")} (through counting proxies)`);
  const target = new URL(databaseUrl);
  const proxied = new Map<SystemName, CountingProxy>();
  for (const name of chosenSystems) {
    const proxy = await startCountingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    proxies.push(proxy);
    proxied.set(name, proxy);
  }
  // One at a time, as in the timed phase: six starts at once on a busy two-core machine made one
  // miss its 2 s connection timeout through the proxy.
  for (const name of chosenSystems) {
    running.push(await startSystem(name, viaProxy(databaseUrl, proxied.get(name)!), POOL_SIZE, oursDir));
  }
  const byName = new Map(running.map((s) => [s.name, s]));
  const contexts = new Map<SystemName, SystemContext>();
  for (const system of running) {
    const send = async (request: { path: string; body: string }) => JSON.parse((await system.send(request)).text);
    contexts.set(system.name, system.name === "postgraphile" ? await postgraphileContext(send, fixtures) : {});
  }

  for (const query of chosenQueries) {
    let ourAnswer: unknown;
    for (const name of chosenSystems) {
      const plan = plans[query]![name];
      if ("na" in plan) {
        cells.push({ query, system: name, status: "n/a", note: plan.na });
        continue;
      }
      const c: Cell = { query, system: name, status: "ok", ...(plan.note ? { note: plan.note } : {}) };
      cells.push(c);
      progress.step(`verifying ${query} on ${name}`);
      const system = byName.get(name)!;
      const proxy = proxied.get(name)!;
      const request = plan.request(fixtures, contexts.get(name)!);
      try {
        const first = await system.send(request);
        if (first.status !== 200) throw new Error(`HTTP ${first.status}: ${first.text.slice(0, 300)}`);
        const answer = plan.canonical(JSON.parse(first.text), fixtures);
        if (name === "ours") {
          if (!shapes) checkOurAnswer(query as QueryName, answer, fixtures);
          ourAnswer = answer;
        } else {
          if (ourAnswer === undefined) throw new Error("ours has no verified answer to compare with");
          const diff = difference(ourAnswer, answer);
          if (diff) throw new Error(`answer differs from ours: ${diff}`);
        }
        // Statements per request, over sequential requests once caches are warm; each answer the same.
        await system.send(request);
        proxy.reset();
        const latencies: number[] = [];
        for (let i = 0; i < settings.statementSamples; i++) {
          const t0 = performance.now();
          const again = await system.send(request);
          latencies.push(performance.now() - t0);
          if (again.text !== first.text)
            throw new Error(`a repeated request answered differently:\n${again.text.slice(0, 300)}`);
        }
        c.sequentialMs = latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)];
        const counts = proxy.counts();
        const n = settings.statementSamples;
        c.statements = {
          total: counts.total / n,
          control: counts.control / n,
          texts: Object.fromEntries([...counts.texts].map(([text, times]) => [text, times / n])),
        };
        c.responseBytes = Buffer.byteLength(first.text);
        bodies.set(`${query}/${name}`, first.text);
        requests.set(`${query}/${name}`, request);
      } catch (error) {
        c.status = "failed";
        c.error = error instanceof Error ? error.message : String(error);
        progress.log(`\x1b[31mVERIFICATION FAILED: ${titles[query]} on ${name}: ${c.error}\x1b[0m`);
        if (/HTTP 5\d\d/.test(c.error)) progress.log(`${name}'s output ends:\n${system.output().slice(-1500)}`);
        if (name === "ours") break;
      }
    }
  }
  progress.step("stopping the proxied servers");
  await stopAll();
}

/** Phase 2: the same systems on direct connections, timed one query and system at a time. */
async function time(): Promise<BenchReport["systems"]> {
  // One at a time: started together on two cores, each start time would be the others' too.
  const startups = new Map<SystemName, number>();
  for (const name of chosenSystems) {
    progress.step(`starting ${name}`);
    const startedAt = Date.now();
    running.push(await startSystem(name, databaseUrl, POOL_SIZE, oursDir));
    startups.set(name, Date.now() - startedAt);
  }
  const byName = new Map(running.map((s) => [s.name, s]));
  const idle = new Map(running.map((s) => [s.name, rssOf(s.pid)]));

  const todo = cells.filter((c) => c.status === "ok");
  const perRound = settings.warmupSeconds + settings.durationSeconds / settings.rounds;
  const total = todo.length * settings.rounds;
  const rounds = new Map<Cell, Round[]>(todo.map((c) => [c, []]));
  // Round by round over every cell, so that a passing disturbance of the machine does not fall on one system only.
  for (let round = 0; round < settings.rounds; round++) {
    for (const [index, c] of todo.entries()) {
      if (c.status !== "ok") continue;
      const system = byName.get(c.system)!;
      const step = round * todo.length + index + 1;
      const label = `${c.system} · ${c.query}${settings.rounds > 1 ? ` · round ${round + 1}/${settings.rounds}` : ""}`;
      const left = (done: number) => (total - step + 1) * perRound - done;
      progress.load(label, step, total, -1, perRound, left(0));
      const expected = bodies.get(`${c.query}/${c.system}`)!;
      // The verified request again: PostGraphile's node ids and cursors do not change across restarts.
      const request = requests.get(`${c.query}/${c.system}`)!;
      const check = await system.send(request);
      if (check.text !== expected) {
        c.status = "failed";
        c.error = `answered differently on a direct connection than through the proxy:\n${check.text.slice(0, 300)}`;
        progress.log(`\x1b[31mFAILED: ${label}: ${c.error}\x1b[0m`);
        continue;
      }
      const r = await drive({
        url: system.base + request.path,
        body: request.body,
        expectBody: expected,
        connections: settings.connections,
        duration: settings.durationSeconds / settings.rounds,
        warmup: settings.warmupSeconds,
        pid: system.pid,
        database: new URL(databaseUrl).pathname.slice(1),
        onTick: (elapsed) => progress.load(label, step, total, elapsed, perRound, left(elapsed)),
      });
      rounds.get(c)!.push(r);
      await quiesce(`${c.query} on ${c.system}`);
      const l = merge([r]);
      const flag =
        l.mismatches || l.non2xx || l.errors
          ? `  \x1b[31m${l.mismatches} mismatched, ${l.non2xx} non-2xx, ${l.errors} errors\x1b[0m`
          : "";
      progress.log(
        `${titles[c.query]!.padEnd(23)} ${c.system.padEnd(13)} ${l.rps.toFixed(1).padStart(8)} req/s  p50 ${l.latencyMs.p50.toFixed(2).padStart(7)} ms  ` +
          `p99 ${l.latencyMs.p99.toFixed(2).padStart(7)} ms  cpu ${l.cpuMsPerRequest.server.toFixed(2)} ms/req  other load ${l.noise.otherCores.toFixed(2)} cores${flag}`,
      );
    }
  }
  for (const [c, list] of rounds) if (list.length && c.status === "ok") c.load = merge(list);
  const summary = chosenSystems.map((name) => ({
    name,
    title: systemTitles[name],
    startupMs: startups.get(name)!,
    idleRssBytes: idle.get(name) ?? null,
  }));
  progress.step("stopping the servers");
  await stopAll();
  return summary;
}

let fixtures: Fixtures;
const cancelled: BenchReport["cancelled"] = [];

/**
 * Waits until no statement of another session runs on the benchmark database (a request abandoned at
 * the end of a timed run keeps PostgreSQL busy); after 20 s, cancels what is left and says so.
 */
async function quiesce(after: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const active = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`;
    for (let waited = 0; waited < 20_000; waited += 200) {
      if (!(await client.query(active)).rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { rowCount } = await client.query(`SELECT pg_cancel_backend(pid) FROM (${active}) a`);
    cancelled.push({ after, statements: rowCount ?? 0 });
    progress.log(`\x1b[33mCancelled ${rowCount} statement(s) still running 20 s after ${after}\x1b[0m`);
  } finally {
    await client.end();
  }
}

/** Our `npm start` on the embedded database: first start on an empty folder, then later starts. */
async function startup(): Promise<StartupReport> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createNetServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
  const report = await measureStartup(oursDir, {
    laterStarts: quick ? 2 : 3,
    port,
    settleMs: quick ? 2_000 : 5_000,
    onStep: (label) => progress.step(label),
  });
  const later = report.later.map((l) => `${(l.readyMs / 1000).toFixed(1)} s`).join(", ");
  progress.log(
    `Start-up (npm start, embedded database): first ${(report.first.readyMs / 1000).toFixed(1)} s, later ${later}`,
  );
  return report;
}

try {
  const generator = await prepareData();
  await settleDatabase(databaseUrl, (line) => progress.log(line));
  progress.step("picking the query parameters from the data");
  fixtures = await selectFixtures(databaseUrl, { deepPaths: chosenQueries.includes("paths_deep") });
  progress.log(
    `Graph: ${fixtures.counts.entities} entities, ${fixtures.counts.relationships} relationships, ${fixtures.counts.observations} observations. ` +
      `Lookup ${fixtures.lookup.key}, province ${fixtures.province.key}, path ${fixtures.paths.from.key} -> ${fixtures.paths.to.key}, search "${fixtures.search.text}".`,
  );
  // Before the servers on PostgreSQL start: nothing else of the benchmark runs meanwhile. A run of
  // the shapes measures queries only.
  const startupReport = shapes ? undefined : await startup();
  await verify(fixtures);
  const systemSummary = await time();
  progress.done();

  const cpus = os.cpus();
  const report: BenchReport = {
    version: 1,
    mode: shapes ? "shapes" : quick ? "quick" : "full",
    ...(shapes ? { queries: chosenQueries.map((name) => ({ name, title: titles[name]! })) } : {}),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      description:
        process.env.BENCH_MACHINE ??
        `${cpus.length}-core Linux machine, PostgreSQL and the load generator on the same host`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.replace(/\s+/g, " ").trim() ?? "?",
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
    database: {
      name: new URL(databaseUrl).pathname.slice(1),
      server: await describeServer(databaseUrl),
      graph: fixtures.counts,
      generator,
    },
    settings: { ...settings, oursDir: oursDir === root ? null : oursDir },
    fixtures,
    systems: systemSummary,
    startup: startupReport,
    cells,
    cancelled,
  };
  const dir = new URL("./results/", import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const stamp = `${report.startedAt.slice(0, 19).replaceAll(":", "").replace("T", "-")}${quick ? "-quick" : ""}${shapes ? "-shapes" : ""}`;
  // A run of some systems or queries, or of another checkout, keeps its own files: latest.* (the
  // README's table and chart) stays the last complete run of this one.
  const complete =
    !shapes &&
    chosenSystems.length === systems.length &&
    chosenQueries.length === queryNames.length &&
    oursDir === root;
  const latest = complete ? (quick ? "latest-quick" : "latest") : null;
  const markdown = renderMarkdown(report);
  writeFileSync(`${dir}${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${dir}${stamp}.md`, markdown);
  if (latest) {
    writeFileSync(`${dir}${latest}.md`, markdown);
    writeFileSync(`${dir}${latest}.svg`, renderChart(report));
  }
  console.log(`\n${markdownTable(report)}\n\n${startupTable(report)}\n\n${summaryLines(report).join("\n")}\n`);
  const written = [`${stamp}.json`, `${stamp}.md`, ...(latest ? [`${latest}.md`, `${latest}.svg`] : [])].join(", ");
  console.log(
    `Results: ${dir.replace(root, "")}${written} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all)${latest ? "" : "; a partial run, so latest.* is left as it was"}`,
  );
  const failed = cells.filter(
    (c) => c.status === "failed" || (c.load && (c.load.mismatches || c.load.non2xx || c.load.errors)),
  );
  if (failed.length) {
    console.error(
      `\x1b[31m${failed.length} cell(s) failed verification or answered wrongly under load: ${failed.map((c) => `${c.query}/${c.system}`).join(", ")}\x1b[0m`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  progress.done();
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopAll();
}
