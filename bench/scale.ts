// npm run bench -- --scale [--quick]: the mix on the generated graph at two sizes, ten times apart
// (entities, relationships and observations alike), and per query the p50 and the statements at both
// sizes and their ratio. Index-bound work grows with log n, so the goal is a p50 at most 1.5x for 10x the
// data and the same statements.
//
// Each size is an ordinary run of bench/run.ts on its own database (ours only: the ratio is between
// sizes, not systems), as a child process, so that the two runs are the benchmark everyone else runs.
// The sizes take turns round by round, so that a busy moment of the shared machine does not fall on one
// size only; each size's p50 is the median of its rounds' p50s.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import type { GraphSize } from "./database.js";
import { queryNames, queryTitles, type QueryName } from "./queries.js";
import type { BenchReport } from "./report.js";
import { root } from "./systems.js";

/** The largest ratio of p50s the goal allows for ten times the data. */
export const SCALE_GOAL = 1.5;

interface Size {
  label: string;
  databaseUrl: string;
  graph: GraphSize;
}

const server = "postgresql://postgres@127.0.0.1:5432";

/** The two sizes: the benchmark's graph and ten times it; --quick, two small generated graphs. */
function sizesFor(quick: boolean): [Size, Size] {
  if (quick) {
    return [
      {
        label: "10k",
        databaseUrl: `${server}/graph_bench_scale_quick_10k`,
        graph: { entities: 1000, relationships: 10_000, observations: 10_000, seed: 1 },
      },
      {
        label: "100k",
        databaseUrl: `${server}/graph_bench_scale_quick_100k`,
        graph: { entities: 10_000, relationships: 100_000, observations: 100_000, seed: 1 },
      },
    ];
  }
  return [
    {
      label: "1M",
      databaseUrl: process.env.BENCH_DATABASE_URL || `${server}/graph_bench`,
      graph: { entities: 100_000, relationships: 1_000_000, observations: 1_000_000, seed: 1 },
    },
    {
      label: "10M",
      databaseUrl: process.env.BENCH_SCALE_DATABASE_URL || `${server}/graph_bench_10m`,
      graph: { entities: 1_000_000, relationships: 10_000_000, observations: 10_000_000, seed: 1 },
    },
  ];
}

const resultsDir = new URL("./results/", import.meta.url).pathname;

/** One run of bench/run.ts on one size; returns the report it wrote. */
async function runOnce(size: Size, argv: string[]): Promise<{ file: string; report: BenchReport }> {
  const before = new Set(readdirSync(resultsDir));
  const args = [
    "bench/run.ts",
    "--systems",
    "ours",
    "--entities",
    String(size.graph.entities),
    "--relationships",
    String(size.graph.relationships),
    "--observations",
    String(size.graph.observations),
    "--seed",
    String(size.graph.seed),
    ...argv,
  ];
  console.error(`\n== ${size.label}: ${new URL(size.databaseUrl).pathname.slice(1)} ==`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: root,
      env: { ...process.env, BENCH_DATABASE_URL: size.databaseUrl },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  const file = readdirSync(resultsDir).find((name) => name.endsWith(".json") && !before.has(name));
  if (!file) throw new Error(`The run on ${size.label} wrote no results (exit code ${code}).`);
  return { file, report: JSON.parse(readFileSync(`${resultsDir}${file}`, "utf8")) as BenchReport };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface ScaleRow {
  query: QueryName;
  p50Ms: [number | null, number | null];
  statements: [number | null, number | null];
  ratio: number | null;
  /**
   * PostgreSQL's CPU per request at both sizes: the part of the work that grows with the data, and
   * steadier than latency when other work shares the machine.
   */
  postgresCpuMs: [number | null, number | null];
  /** The p50 grew at most SCALE_GOAL times and the statements stayed the same. */
  meetsGoal: boolean;
}

function rowsOf(reports: [BenchReport[], BenchReport[]], queries: readonly QueryName[]): ScaleRow[] {
  return queries.map((query) => {
    const at = (list: BenchReport[]) => {
      const cells = list.flatMap((r) => r.cells.filter((c) => c.query === query && c.system === "ours"));
      const loads = cells.flatMap((c) => (c.status === "ok" && c.load ? [c.load] : []));
      const statements = cells.find((c) => c.statements)?.statements?.total ?? null;
      const of = (values: number[]) => (values.length ? median(values) : null);
      return {
        p50: of(loads.map((l) => l.latencyMs.p50)),
        statements,
        postgresCpu: of(loads.map((l) => l.cpuMsPerRequest.postgres)),
      };
    };
    const small = at(reports[0]);
    const large = at(reports[1]);
    const ratio = small.p50 !== null && large.p50 !== null ? large.p50 / small.p50 : null;
    return {
      query,
      p50Ms: [small.p50, large.p50],
      statements: [small.statements, large.statements],
      ratio,
      postgresCpuMs: [small.postgresCpu, large.postgresCpu],
      meetsGoal: ratio !== null && ratio <= SCALE_GOAL && small.statements === large.statements,
    };
  });
}

const fmt = (n: number | null, digits = 2) => (n === null ? "–" : n.toFixed(digits));

export function scaleMarkdown(result: {
  startedAt: string;
  sizes: { label: string; database: string; graph: BenchReport["database"]["graph"] }[];
  load: { before: number[]; after: number[] };
  runs: string[];
  rows: ScaleRow[];
  settings: BenchReport["settings"];
}): string {
  const [a, b] = result.sizes;
  const lines = [
    `# Ten times the graph: ${result.startedAt}`,
    "",
    ...result.sizes.map(
      (s) =>
        `- ${s.label}: \`${s.database}\`, ${s.graph.entities.toLocaleString("en-US")} entities, ${s.graph.relationships.toLocaleString("en-US")} relationships, ${s.graph.observations.toLocaleString("en-US")} observations`,
    ),
    `- ours only, ${result.settings.connections} connections, ${result.settings.durationSeconds} s per cell in each of ${result.runs.length / 2} round(s) per size, sizes taking turns; p50 is the median of the rounds' p50s`,
    `- load average (1, 5, 15 min) before ${result.load.before.map((n) => n.toFixed(1)).join(", ")}, after ${result.load.after.map((n) => n.toFixed(1)).join(", ")} (${os.cpus().length} cores)`,
    `- runs: ${result.runs.map((f) => `[\`${f}\`](${f.replace(/\.json$/, ".md")})`).join(", ")}`,
    "",
    `| query | p50 ${a!.label} (ms) | p50 ${b!.label} (ms) | ratio | statements ${a!.label} | statements ${b!.label} | goal (≤ ${SCALE_GOAL}x, same statements) | PG CPU ms/req ${a!.label} | ${b!.label} | ratio |`,
    "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ...result.rows.map((r) => {
      const [cpuA, cpuB] = r.postgresCpuMs;
      const cpuRatio = cpuA && cpuB !== null ? cpuB / cpuA : null;
      return `| ${queryTitles[r.query]} | ${fmt(r.p50Ms[0])} | ${fmt(r.p50Ms[1])} | ${fmt(r.ratio)}x | ${fmt(r.statements[0], 1)} | ${fmt(r.statements[1], 1)} | ${r.meetsGoal ? "yes" : "**no**"} | ${fmt(cpuA)} | ${fmt(cpuB)} | ${fmt(cpuRatio)}x |`;
    }),
    "",
  ];
  return lines.join("\n");
}

/** Runs the scale mode; `argv` is the command line without `--scale`. Returns the exit code. */
export async function runScale(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      duration: { type: "string" },
      rounds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      queries: { type: "string" },
    },
    strict: true,
  });
  const quick = values.quick!;
  const rounds = Math.max(1, Number(values.rounds ?? (quick ? 1 : 2)));
  const duration = Number(values.duration ?? (quick ? 1 : 10));
  // Every child run is one round; the duration is split across the rounds as in a normal run.
  const childArgs = [
    "--rounds",
    "1",
    "--duration",
    String(Math.max(1, Math.round(duration / rounds))),
    "--warmup",
    values.warmup ?? (quick ? "1" : "2"),
    ...(values.connections ? ["--connections", values.connections] : []),
  ];
  // The 3-hop path is left out unless asked: on the 10M graph the fixture picker finds no pair with
  // exactly one 3-hop shortest path (bench/fixtures.ts), and a run asking it would stop there.
  const queries = values.queries
    ? queryNames.filter((q) => values.queries!.split(",").includes(q))
    : queryNames.filter((q) => q !== "paths_deep");
  childArgs.push("--queries", queries.join(","));
  const sizes = sizesFor(quick);
  const startedAt = new Date().toISOString();
  const before = os.loadavg();
  const reports: [BenchReport[], BenchReport[]] = [[], []];
  const runs: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, size] of sizes.entries()) {
      const { file, report } = await runOnce(size, childArgs);
      runs.push(file);
      reports[i]!.push(report);
    }
  }
  const rows = rowsOf(reports, queries);
  const markdown = scaleMarkdown({
    startedAt,
    sizes: sizes.map((s, i) => ({
      label: s.label,
      database: new URL(s.databaseUrl).pathname.slice(1),
      graph: reports[i]![0]!.database.graph,
    })),
    load: { before, after: os.loadavg() },
    runs,
    rows,
    settings: { ...reports[0]![0]!.settings, rounds },
  });
  const stamp = `${startedAt.slice(0, 19).replaceAll(":", "").replace("T", "-")}-scale${quick ? "-quick" : ""}`;
  writeFileSync(
    `${resultsDir}${stamp}.json`,
    `${JSON.stringify({ startedAt, sizes, runs, rows, load: { before, after: os.loadavg() } }, null, 2)}\n`,
  );
  writeFileSync(`${resultsDir}${stamp}.md`, markdown);
  console.log(`\n${markdown}\nResults: bench/results/${stamp}.md and .json`);
  const failed = reports.flat().some((r) => r.cells.some((c) => c.status === "failed"));
  return failed ? 1 : 0;
}
