// Starting and stopping the systems under test, each a child process of its own (so its memory is its
// own and a crash is visible), on a free port, against the same database.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { HttpRequest, SystemName } from "./queries.js";

export const root = new URL("..", import.meta.url).pathname;

const entries: Record<SystemName, { script: string; ready: RegExp }> = {
  ours: { script: "scripts/start.js", ready: /GraphiQL: (http:\/\/[^\s"]+)/ },
  "ours-cached": { script: "scripts/start.js", ready: /GraphiQL: (http:\/\/[^\s"]+)/ },
  postgraphile: { script: "bench/peers/postgraphile/server.ts", ready: /READY (http:\/\/\S+)/ },
  "pothos-textbook": { script: "bench/peers/pothos-textbook/server.ts", ready: /READY (http:\/\/\S+)/ },
  naive: { script: "bench/peers/naive.ts", ready: /READY (http:\/\/\S+)/ },
  floor: { script: "bench/peers/floor.ts", ready: /READY (http:\/\/\S+)/ },
};

export interface RunningSystem {
  name: SystemName;
  pid: number;
  /** Base URL: http://127.0.0.1:port */
  base: string;
  send(request: HttpRequest, timeoutMs?: number): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
  output(): string;
}

const children = new Set<ChildProcess>();

/** Kills every child still running (exit and signal handlers). */
export function killAllChildren(signal: NodeJS.Signals = "SIGTERM"): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

/**
 * PostGraphile is installed apart, in bench/peers/postgraphile/ with its own lock file, on first use:
 * it declares Node.js 22, and in the project's own dependencies it made every install on Node 20
 * warn. Its warnings stay out of this install's output too (its one missing API is polyfilled).
 */
function installPostGraphile(): void {
  const dir = `${root}bench/peers/postgraphile`;
  if (existsSync(`${dir}/node_modules/postgraphile/package.json`)) return;
  console.error("Installing the PostGraphile peer into bench/peers/postgraphile (once)...");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/**
 * Node's arguments for our service as the checkout's `npm start` runs it, without npm's own process:
 * `node scripts/start.js` (a transpiled copy of src/) here, `tsx src/main.ts` in older checkouts.
 */
function oursArgs(dir: string): string[] {
  const start = (JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { scripts: { start: string } }).scripts
    .start;
  const node = /^node (\S+)$/.exec(start);
  if (node) return [node[1]!];
  const tsx = /^tsx (\S+)$/.exec(start);
  if (tsx) return ["--import", "tsx", tsx[1]!];
  throw new Error(`Cannot run "${start}" (${dir}/package.json's start script) without npm`);
}

/**
 * `oursDir`: another checkout of our service to run as "ours" (default: this one). `env`: settings
 * over the ones below (the live mode gives ours Redis).
 */
export async function startSystem(
  name: SystemName,
  databaseUrl: string,
  poolSize: number,
  oursDir = root,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningSystem> {
  const { script, ready } = entries[name];
  if (name === "postgraphile") installPostGraphile();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    POOL_SIZE: String(poolSize),
    NODE_ENV: "production",
    GRAPHILE_ENV: "production",
    // Ours runs twice: as configured by default but with the cache off, and with it on.
    RESPONSE_CACHE_TTL: name === "ours-cached" ? "3600" : "0",
    REDIS_URL: "",
    // The load comes from one client, which a rate limit would refuse; the peers log nothing per
    // request, so neither does ours (its request limits stay on, at their defaults).
    RATE_LIMIT_PER_MINUTE: "0",
    ACCESS_LOG: "0",
    ...env,
  };
  const args = name.startsWith("ours") ? oursArgs(oursDir) : ["--import", "tsx", script];
  const child = spawn(process.execPath, args, {
    cwd: name.startsWith("ours") ? oursDir : root,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const base = new URL(url).origin;
  return {
    name,
    pid: child.pid!,
    base,
    output: () => output,
    async send(request, timeoutMs = 60_000) {
      const response = await fetch(base + request.path, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc), or null when it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
