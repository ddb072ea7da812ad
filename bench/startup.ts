// The start-up row: our service started as a user starts it (`npm start` in its checkout), on the
// embedded database: once on an empty data folder (creating, migrating and seeding it), then again
// on the same folder; each timed from the spawn to the first 200 of /ready, with the server's CPU
// time and resident memory at that moment and its idle memory a few seconds later.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rssOf } from "./systems.js";

export interface StartSample {
  /** Spawn of `npm start` to the first 200 of /ready. */
  readyMs: number;
  /** CPU time of the server process until then (its own, not npm's). */
  serverCpuMs: number;
  /** The server's resident memory when ready, and after `settleMs` of idling. */
  readyRssBytes: number | null;
  idleRssBytes: number | null;
}

export interface StartupReport {
  /** The checkout's `npm start` script, as run. */
  command: string;
  first: StartSample;
  /** Later starts on the same folder, in order (the median is reported). */
  later: StartSample[];
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Every process below `pid`, depth first. */
function descendants(pid: number): number[] {
  return children(pid).flatMap((child) => [child, ...descendants(child)]);
}

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The server among npm's descendants: the node process holding the most memory (npm, sh, tsx's CLI are small). */
function serverPid(root: number): number | null {
  let best: { pid: number; rss: number } | null = null;
  for (const pid of descendants(root)) {
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    const rss = rssOf(pid) ?? 0;
    if (command === "node" && (!best || rss > best.rss)) best = { pid, rss };
  }
  return best?.pid ?? null;
}

async function ready(port: number, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output().slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`npm start did not answer /ready within ${timeoutMs / 1000} s:\n${output().slice(-2000)}`);
}

async function startOnce(dir: string, dataDir: string, port: number, settleMs: number): Promise<StartSample> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir };
  // The embedded database, as on a fresh clone; no Redis, no access log (a line per /ready poll).
  for (const name of ["DATABASE_URL", "REDIS_URL", "NODE_OPTIONS"]) delete env[name];
  env.ACCESS_LOG = "0";
  const started = performance.now();
  // Its own process group, so that npm, its shell and the server stop together.
  const child = spawn("npm", ["start", "--silent"], {
    cwd: dir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await ready(port, child, () => output, 180_000);
    const readyMs = performance.now() - started;
    const server = serverPid(child.pid!);
    const sample: StartSample = {
      readyMs,
      serverCpuMs: server ? cpuMsOf(server) : Number.NaN,
      readyRssBytes: server ? rssOf(server) : null,
      idleRssBytes: null,
    };
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    sample.idleRssBytes = server ? rssOf(server) : null;
    return sample;
  } finally {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** A first start on a new, empty data folder, then `laterStarts` on the same folder. */
export async function measureStartup(
  dir: string,
  options: { laterStarts: number; port: number; settleMs: number; onStep?: (label: string) => void },
): Promise<StartupReport> {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { scripts: { start: string } };
  const dataDir = mkdtempSync(join(tmpdir(), "graph-bench-start-"));
  try {
    options.onStep?.("start-up: first npm start on an empty data folder (migrations and the seed graph)");
    const first = await startOnce(dir, dataDir, options.port, options.settleMs);
    const later: StartSample[] = [];
    for (let i = 0; i < options.laterStarts; i++) {
      options.onStep?.(`start-up: later npm start ${i + 1}/${options.laterStarts} on the same folder`);
      later.push(await startOnce(dir, dataDir, options.port, options.settleMs));
    }
    return { command: pkg.scripts.start, first, later };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The median later start (by time to /ready). */
export function medianStart(samples: StartSample[]): StartSample | null {
  if (!samples.length) return null;
  return [...samples].sort((a, b) => a.readyMs - b.readyMs)[Math.floor(samples.length / 2)]!;
}
