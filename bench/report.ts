// The results: one JSON document with everything measured, and a Markdown rendering of it.
import type { Fixtures } from "./fixtures.js";
import type { LoadResult } from "./load.js";
import { queryNames, queryTitles, systems, type SystemName } from "./queries.js";
import { medianStart, type StartupReport } from "./startup.js";

export interface StatementsPerRequest {
  /** Statements sent to PostgreSQL per request, transaction control included. */
  total: number;
  /** Of which BEGIN/COMMIT/SET/set_config and the like. */
  control: number;
  /** Distinct data statements of one request (first 60 characters), with how often each ran. */
  texts: Record<string, number>;
}

export interface Cell {
  /** A query of the mix, or a shape (`cities.observations`) in a run of `--shapes`. */
  query: string;
  system: SystemName;
  status: "ok" | "n/a" | "failed";
  /** Why n/a, or how the peer's request differs from ours. */
  note?: string;
  error?: string;
  statements?: StatementsPerRequest;
  /** Bytes of the verified response body. */
  responseBytes?: number;
  /** Median latency of the sequential requests sent while counting statements (through the proxy). */
  sequentialMs?: number;
  load?: LoadResult;
}

/** The 3-hop shortest path, asked one request at a time (too slow for a timed run on a large graph). */
export interface BenchReport {
  version: 1;
  mode: "quick" | "full" | "shapes";
  /** What was asked, in order, with titles: absent for the mix (its queries), set for `--shapes`. */
  queries?: { name: string; title: string }[];
  startedAt: string;
  finishedAt: string;
  machine: { description: string; cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  database: {
    name: string;
    server: Record<string, string>;
    graph: Fixtures["counts"];
    generator: Record<string, number> | null;
  };
  settings: {
    connections: number;
    durationSeconds: number;
    rounds: number;
    warmupSeconds: number;
    poolSize: number;
    statementSamples: number;
    oursDir: string | null;
  };
  fixtures: Fixtures;
  /** startupMs: its spawn to its ready line, started alone, on the benchmark database. */
  systems: { name: SystemName; title: string; startupMs: number; idleRssBytes: number | null }[];
  /** Our `npm start` on the embedded database, first on an empty folder, then again (absent in older runs). */
  startup?: StartupReport | null;
  cells: Cell[];
  /** Statements still running on the database after a timed run, cancelled before the next. */
  cancelled: { after: string; statements: number }[];
}

/** Other processes using more than this many cores during a timed run make its numbers suspect. */
export const NOISY_CORES = 0.25;

const mb = (bytes: number | null | undefined) => (bytes ? (bytes / 1024 / 1024).toFixed(0) : "–");
const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value)
    ? "–"
    : value < 10
      ? value.toFixed(2)
      : value < 100
        ? value.toFixed(1)
        : value.toFixed(0);
const rate = (value: number | undefined) =>
  value === undefined
    ? "–"
    : value < 10
      ? value.toFixed(2)
      : value < 100
        ? value.toFixed(1)
        : Math.round(value).toLocaleString("en-US");
const ratio = (value: number) =>
  `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)}×`;

/** The queries of a report, with their titles, in order. */
export function queriesOf(report: BenchReport): { name: string; title: string }[] {
  return report.queries ?? queryNames.map((name) => ({ name, title: queryTitles[name] }));
}

export function cellOf(report: BenchReport, query: string, system: SystemName): Cell | undefined {
  return report.cells.find((c) => c.query === query && c.system === system);
}

/** ours ÷ peer for throughput (above 1: ours serves more) and p50 latency (below 1: ours answers faster). */
export function ratios(
  report: BenchReport,
  query: string,
  peer: SystemName,
  subject: SystemName = "ours",
): { rps: number; p50: number; cpu: number } | null {
  const ours = cellOf(report, query, subject)?.load;
  const other = cellOf(report, query, peer)?.load;
  if (!ours || !other?.rps) return null;
  return {
    rps: ours.rps / other.rps,
    p50: ours.latencyMs.p50 / other.latencyMs.p50,
    cpu: ours.cpuMsPerRequest.server / Math.max(0.001, other.cpuMsPerRequest.server),
  };
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

export function statementsLabel(s: StatementsPerRequest | undefined): string {
  if (!s) return "–";
  const data = s.total - s.control;
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return s.control ? `${fmt(data)} (+${fmt(s.control)} tx)` : fmt(data);
}

/** The results table alone (for the README). */
export function markdownTable(report: BenchReport): string {
  const lines = [
    "| query | system | req/s | p50 ms | p99 ms | SQL/req | CPU ms/req (server + PG) | peak RSS MB | ours ÷ peer, req/s | ours ÷ peer, p50 |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const { name: query, title } of queriesOf(report)) {
    for (const system of systems) {
      const cell = cellOf(report, query, system);
      if (!cell) continue;
      const isOurs = system.startsWith("ours");
      const label = isOurs ? `**${system}**` : system;
      const mark = cell.note && cell.status === "ok" && !isOurs ? " ¹" : "";
      if (cell.status !== "ok" || !cell.load) {
        lines.push(`| ${title} | ${label} | ${cell.status === "n/a" ? "n/a" : "FAILED"} | | | | | | | |`);
        continue;
      }
      const r = isOurs ? null : ratios(report, query, system);
      const l = cell.load;
      const noisy = l.noise.otherCores > NOISY_CORES || l.noise.stealCores > NOISY_CORES ? " ⚠" : "";
      lines.push(
        `| ${title} | ${label}${mark} | ${rate(l.rps)}${noisy} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p99)} | ${statementsLabel(cell.statements)} | ` +
          `${ms(l.cpuMsPerRequest.server)} + ${ms(l.cpuMsPerRequest.postgres)} | ${mb(l.peakRssBytes)} | ${r ? ratio(r.rps) : ""} | ${r ? ratio(r.p50) : ""} |`,
      );
    }
  }
  return lines.join("\n");
}

/** The largest resident memory a system reached under load, over all its timed runs. */
function peakRss(report: BenchReport, system: SystemName): number | null {
  const peaks = report.cells.flatMap((c) => (c.system === system && c.load ? [c.load.peakRssBytes] : []));
  return peaks.length ? Math.max(...peaks) : null;
}

/** Memory and start-up, one row per system: the issue's start-up row is ours. */
export function startupTable(report: BenchReport): string {
  const seconds = (value: number | undefined) => (value === undefined ? "–" : (value / 1000).toFixed(1));
  const up = report.startup;
  const later = up ? medianStart(up.later) : null;
  const lines = [
    "| system | first start, empty folder (s) | later start (s) | later start, server CPU (s) | idle RSS, embedded (MB) | start on PostgreSQL (s) | idle RSS (MB) | peak RSS under load (MB) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const sys of report.systems) {
    const isOurs = sys.name.startsWith("ours");
    const embedded = sys.name === "ours" && up && later;
    lines.push(
      `| ${isOurs ? `**${sys.name}**` : sys.name} | ${embedded ? seconds(up.first.readyMs) : "–"} | ${embedded ? seconds(later.readyMs) : "–"} | ` +
        `${embedded ? seconds(later.serverCpuMs) : "–"} | ${embedded ? mb(later.idleRssBytes) : "–"} | ${seconds(sys.startupMs)} | ${mb(sys.idleRssBytes)} | ${mb(peakRss(report, sys.name))} |`,
    );
  }
  return lines.join("\n");
}

export function summaryLines(report: BenchReport): string[] {
  const peers = systems.filter((s) => !s.startsWith("ours"));
  return (["ours", "ours-cached"] as const).flatMap((subject) =>
    peers.flatMap((peer) => {
      const rs = queriesOf(report)
        .map((q) => ratios(report, q.name, peer, subject))
        .filter((r) => r !== null);
      if (!rs.length) return [];
      return [
        `- **${subject}** vs **${peer}** (${rs.length} queries): serves ${ratio(geometricMean(rs.map((r) => r.rps)))} its throughput, ` +
          `takes ${ratio(geometricMean(rs.map((r) => r.p50)))} its median latency and spends ${ratio(geometricMean(rs.map((r) => r.cpu)))} its server CPU per request (geometric means).`,
      ];
    }),
  );
}

export function renderMarkdown(report: BenchReport): string {
  const g = report.database.graph;
  const s = report.settings;
  const notes = report.cells.filter((c) => !c.system.startsWith("ours") && c.note && c.status !== "n/a");
  const unavailable = report.cells.filter((c) => c.status === "n/a");
  const failures = report.cells.filter((c) => c.status === "failed");
  const mismatched = report.cells.filter((c) => c.load && (c.load.mismatches || c.load.non2xx || c.load.errors));
  const titles = new Map(queriesOf(report).map((q) => [q.name, q.title]));
  const titleOf = (query: string) => titles.get(query) ?? query;
  return [
    `# Benchmark: ours and its peers, ${report.startedAt.slice(0, 16).replace("T", " ")} UTC (${report.mode})`,
    "",
    `Graph: ${g.entities.toLocaleString("en-US")} entities, ${g.relationships.toLocaleString("en-US")} relationships, ` +
      `${g.observations.toLocaleString("en-US")} observations (database \`${report.database.name}\`, ${report.database.server.database_size ?? "?"}, ` +
      `PostgreSQL ${report.database.server.server_version ?? "?"}).`,
    ...(s.oursDir ? [`"ours" ran from ${s.oursDir}, not from this working tree.`] : []),
    `Machine: ${report.machine.description}; ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; ` +
      `the hypervisor took ${meanSteal(report).toFixed(2)} of its cores on average during the timed runs (steal time; runs on a shared host compare only within themselves).`,
    `Load: autocannon, ${s.connections} connections, ${s.durationSeconds} s per query and system` +
      (s.rounds > 1 ? ` in ${s.rounds} interleaved rounds of ${s.durationSeconds / s.rounds} s` : "") +
      `, each after ${s.warmupSeconds} s of warm-up; ` +
      `every server has a pool of ${s.poolSize} PostgreSQL connections (ours two of that size: ` +
      `one for its prepared reads, one for Prisma and other SQL); the load generator and PostgreSQL share the machine with the server under test.`,
    "",
    markdownTable(report),
    "",
    ...summaryLines(report),
    "",
    "SQL/req: statements each system sent to PostgreSQL per request, counted by a proxy that reads the wire protocol " +
      `(one Query or Execute message is one statement), averaged over ${s.statementSamples} sequential requests before timing; ` +
      '"tx" is transaction control (BEGIN, COMMIT, set_config). Timed runs connect directly, without the proxy. ' +
      "CPU ms/req: CPU time of the server process, and of the PostgreSQL backends serving the benchmark database, during the timed run, " +
      "per request (from /proc; steadier than req/s on a shared machine, though not immune to it). " +
      "Peak RSS: the server process's resident memory, sampled every 100 ms during the timed run. " +
      `⚠: other processes used, or the hypervisor took (steal time), more than ${NOISY_CORES} of a core on average during that run, so its throughput is suspect. ` +
      "Every response of every timed run was compared byte for byte with the answer verified before timing.",
    "",
    ...(notes.length
      ? [
          "¹ The peer's own equivalent of our request, and how it differs:",
          ...notes.map((c) => `- ${titleOf(c.query)}, ${c.system}: ${c.note}`),
          "",
        ]
      : []),
    ...(unavailable.length
      ? ["n/a, no equivalent:", ...unavailable.map((c) => `- ${titleOf(c.query)}, ${c.system}: ${c.note}`), ""]
      : []),
    ...(failures.length
      ? ["**Failed:**", ...failures.map((c) => `- ${titleOf(c.query)}, ${c.system}: ${c.error}`), ""]
      : []),
    ...(mismatched.length
      ? [
          "**Responses that differed from the verified answer, or errors:**",
          ...mismatched.map(
            (c) =>
              `- ${titleOf(c.query)}, ${c.system}: ${c.load!.mismatches} mismatched, ${c.load!.non2xx} non-2xx, ${c.load!.errors} errors`,
          ),
          "",
        ]
      : []),
    ...(report.cancelled.length
      ? [
          `Statements still running after a timed run and cancelled: ${report.cancelled.map((c) => `${c.statements} after ${c.after}`).join("; ")}.`,
          "",
        ]
      : []),
    "## Memory and start-up",
    "",
    startupTable(report),
    "",
    ...(report.startup
      ? [
          `First and later start: \`npm start\` (\`${report.startup.command}\`) in ours's checkout on the embedded database (PGlite), ` +
            "timed from the spawn to the first 200 of /ready, npm's own start included: first on an empty data folder " +
            `(migrations and the seed graph), then ${report.startup.later.length} times on the same folder (the median shown: ` +
            `${report.startup.later.map((l) => (l.readyMs / 1000).toFixed(1)).join(", ")} s). Server CPU: the server process's CPU time until ready. ` +
            "Idle RSS, embedded: the server's resident memory a few seconds after that start. " +
            "The peers have no embedded database: they start on PostgreSQL only. ",
        ]
      : []),
    "Start on PostgreSQL: each system started alone on the benchmark database, from its spawn (without npm) to its ready line. " +
      "Idle RSS: the server process's resident memory once started; peak RSS: the largest sampled during its timed runs.",
    "",
    "Systems:",
    ...report.systems.map(
      (sys) =>
        `- ${sys.name}: ${sys.title}; started in ${(sys.startupMs / 1000).toFixed(1)} s, idle RSS ${mb(sys.idleRssBytes)} MB`,
    ),
    "",
    ...(report.mode === "shapes"
      ? [
          "Shapes (`bench/shapes.ts`, from the schema): a page of 20 items of a root list and, beneath each, one of its own lists of objects " +
            "(10 items where it pages) with every leaf field and the ids of the objects each item points at; PostGraphile where it has the same list over the same foreign key (`bench/shape-mix.ts`).",
        ]
      : [
          "Queries (parameters picked from the data by `bench/fixtures.ts`):",
          `- lookup by id: \`${report.fixtures.lookup.key}\`; lookup by name: "${report.fixtures.lookup.name}"`,
          `- 3-level traversal: province \`${report.fixtures.province.key}\` (${report.fixtures.province.cities} cities) -> first 20 cities -> first 10 outgoing relationships each -> their targets`,
          `- connection page, deep: 20 cities after position ${report.fixtures.page.position} of ${report.fixtures.page.of} by name`,
          `- neighbourhood, depth 2, limit 100: around \`${report.fixtures.neighborhood.key}\` (${report.fixtures.neighborhood.degree} edges)`,
          `- shortest path: \`${report.fixtures.paths.from.key}\` -> \`${report.fixtures.paths.to.key}\` (${report.fixtures.paths.length} hops, the only shortest path; maxDepth 4, first 1)`,
          `- search (first 10 each): typo "${report.fixtures.search.text}", exact "${report.fixtures.searchExact?.text}", prefix "${report.fixtures.searchPrefix?.text}", Chinese "${report.fixtures.searchChinese?.text}"`,
        ]),
    "",
  ].join("\n");
}

/** Cores' worth of CPU the hypervisor took (steal) during the timed runs, averaged over them. */
function meanSteal(report: BenchReport): number {
  const loads = report.cells.flatMap((cell) => (cell.load ? [cell.load] : []));
  return loads.length ? loads.reduce((sum, load) => sum + load.noise.stealCores, 0) / loads.length : 0;
}
