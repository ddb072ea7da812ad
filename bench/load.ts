// The load driver: autocannon's programmatic API, one POST body over N keep-alive connections for a
// fixed time after a warm-up, every response's body checked against the verified answer, latencies
// kept at full resolution (autocannon's own histogram rounds to whole milliseconds), and the server
// process's resident memory sampled throughout.
import autocannon from "autocannon";
import { cpuBetween, cpuSnapshot, type CpuUsage } from "./cpu.js";
import { rssOf } from "./systems.js";

export interface LoadOptions {
  url: string;
  body: string;
  /** The exact body every response must have (the one verified before timing). */
  expectBody: string;
  connections: number;
  /** Seconds of timed load. */
  duration: number;
  /** Seconds of untimed load before it. */
  warmup: number;
  /** The server process whose RSS is sampled. */
  pid: number;
  /** The benchmark database, whose backends' CPU time is counted. */
  database: string;
  /** Called about every 250 ms with the seconds elapsed (warm-up included). */
  onTick?: (elapsed: number) => void;
}

/** One timed round of one query on one system. */
export interface Round {
  requests: number;
  seconds: number;
  /** Latencies of the 2xx responses, ms. */
  latencies: Float64Array;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses whose body differed from the verified answer. */
  mismatches: number;
  peakRssBytes: number;
  cpu: CpuUsage;
}

/** The rounds of one query on one system, merged. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  peakRssBytes: number;
  /** CPU per request: the server process, PostgreSQL (all its processes), the load generator. */
  cpuMsPerRequest: { server: number; postgres: number; loadGenerator: number };
  /** Cores' worth of CPU used by other processes, and stolen by the hypervisor, during the timed rounds. */
  noise: { otherCores: number; stealCores: number };
  rounds: { rps: number; p50: number; otherCores: number }[];
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function run(
  options: autocannon.Options,
  onResponse?: (ms: number, status: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) {
      instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) =>
        onResponse(responseTime, statusCode),
      );
    }
  });
}

export async function drive(options: LoadOptions): Promise<Round> {
  const base: autocannon.Options = {
    url: options.url,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: options.body,
    connections: options.connections,
    pipelining: 1,
    timeout: 30,
  };
  const started = Date.now();
  const ticker = setInterval(() => options.onTick?.((Date.now() - started) / 1000), 250);
  let peak = 0;
  let sampling = false;
  const sampler = setInterval(() => {
    if (!sampling) return;
    const rss = rssOf(options.pid);
    if (rss && rss > peak) peak = rss;
  }, 100);
  try {
    if (options.warmup > 0) await run({ ...base, duration: options.warmup });
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    sampling = true;
    const before = cpuSnapshot(options.pid, options.database);
    const result = await run({ ...base, duration: options.duration, expectBody: options.expectBody }, (ms, status) => {
      if (status < 200 || status >= 300) return;
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = ms;
    });
    const after = cpuSnapshot(options.pid, options.database);
    sampling = false;
    const rss = rssOf(options.pid);
    if (rss && rss > peak) peak = rss;
    return {
      requests: result.requests.total,
      seconds: result.duration,
      latencies: latencies.slice(0, count),
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      mismatches: result.mismatches,
      peakRssBytes: peak,
      cpu: cpuBetween(before, after),
    };
  } finally {
    clearInterval(ticker);
    clearInterval(sampler);
  }
}

export function merge(rounds: Round[]): LoadResult {
  const sum = (f: (r: Round) => number) => rounds.reduce((total, r) => total + f(r), 0);
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  const all = new Float64Array(sum((r) => r.latencies.length));
  let offset = 0;
  for (const r of rounds) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  const sorted = all.sort();
  const per = (ms: number) => (requests ? ms / requests : NaN);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    latencyMs: {
      mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    },
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    mismatches: sum((r) => r.mismatches),
    peakRssBytes: Math.max(...rounds.map((r) => r.peakRssBytes)),
    cpuMsPerRequest: {
      server: per(sum((r) => r.cpu.serverMs)),
      postgres: per(sum((r) => r.cpu.postgresMs)),
      loadGenerator: per(sum((r) => r.cpu.loadGeneratorMs)),
    },
    noise: {
      otherCores: sum((r) => r.cpu.otherCores * r.seconds) / seconds,
      stealCores: sum((r) => r.cpu.stealCores * r.seconds) / seconds,
    },
    rounds: rounds.map((r) => {
      const own = r.latencies.slice().sort();
      return { rps: r.requests / r.seconds, p50: percentile(own, 50), otherCores: r.cpu.otherCores };
    }),
  };
}
