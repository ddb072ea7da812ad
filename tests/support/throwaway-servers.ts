// PostgreSQL clusters and Redis servers that a test (or `npm run chaos`) owns outright: started on
// free ports from the machine's own binaries, stopped, crashed and restarted at will, and removed
// afterwards. Fault tests kill and restart their dependencies; doing that to the shared servers
// (5432, 6379) would break every other test and engineer on the machine, so they never touch them.
//
// Cleanup: `close()` in afterAll, a synchronous hook when the process exits or is signalled, and a
// sweep of the leftovers of owners that were killed outright (see "Leftovers" below).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";

export const postgresBinDir = process.env.POSTGRES_BIN_DIR ?? "/usr/lib/postgresql/15/bin";

// ---------------------------------------------------------------------------------------------------
// Availability

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const isRoot = process.getuid?.() === 0;

/** The uid/gid of the `postgres` account (initdb refuses root, so as root the cluster runs as it). */
function postgresAccount(): { uid: number; gid: number } | undefined {
  const result = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const group = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (result.status !== 0 || group.status !== 0) return undefined;
  return { uid: Number(result.stdout.trim()), gid: Number(group.stdout.trim()) };
}

/** Why a throwaway PostgreSQL cannot be started here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  for (const binary of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(postgresBinDir, binary)))
      return `${join(postgresBinDir, binary)} is missing (set POSTGRES_BIN_DIR)`;
  }
  if (isRoot && !onPath("runuser")) return "running as root and runuser is missing (initdb refuses root)";
  if (isRoot && !postgresAccount()) return "running as root and there is no postgres account to run initdb as";
  return undefined;
}

/** Why a throwaway Redis cannot be started here, or undefined when it can. */
export function redisUnavailable(): string | undefined {
  return onPath("redis-server") ? undefined : "redis-server is not on PATH";
}

/**
 * The reason a test file needing these servers must be skipped, printed once so the skip is never
 * silent (vitest shows a skipped suite only as a count), or undefined when everything is there.
 */
export function throwawayServersSkipReason(
  file: string,
  needs: { postgres?: boolean; redis?: boolean },
): string | undefined {
  const reason = (needs.postgres ? postgresUnavailable() : undefined) ?? (needs.redis ? redisUnavailable() : undefined);
  if (reason) console.warn(`SKIPPED: ${file}: it starts its own servers and cannot here: ${reason}.`);
  return reason;
}

// ---------------------------------------------------------------------------------------------------
// Ports and processes

/** A port nothing listens on right now (the kernel's pick for port 0, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no port from the kernel"))));
    });
  });
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to its exit. Waits for "exit", not "close": pg_ctl's postmaster outlives it. */
function run(
  command: string,
  args: string[],
  options: { asPostgres?: boolean; timeoutMs?: number } = {},
): Promise<Run> {
  const [file, argv] =
    options.asPostgres && isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      // Output already written is in the pipe; give its last chunk a turn of the event loop.
      setImmediate(() => resolve({ code, output }));
    });
  });
}

async function runOrThrow(what: string, command: string, args: string[], asPostgres = false): Promise<Run> {
  const result = await run(command, args, { asPostgres });
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.output}`);
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// Leftovers
//
// Three layers, so no server outlives its owner: close() in afterAll; a synchronous cleanup when
// this process exits or is told to (SIGTERM, SIGINT, SIGHUP: vitest stops a worker that way); and,
// for an owner killed outright (SIGKILL, OOM), a sweep at the next start: every server records its
// owner's pid, and one whose owner is gone is stopped and removed.

const exitCleanups = new Map<object, () => void>();
let exitHooksInstalled = false;

function runExitCleanups(): void {
  for (const cleanup of exitCleanups.values()) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is leaving, nothing can report it any more.
    }
  }
  exitCleanups.clear();
}

/** Runs `cleanup` (synchronous: an "exit" listener cannot wait) if this process ends before `forget(owner)`. */
export function onProcessExit(owner: object, cleanup: () => void): void {
  exitCleanups.set(owner, cleanup);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.once("exit", runExitCleanups);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    const onSignal = () => {
      runExitCleanups();
      // Then what the signal would have done: end the process, unless someone else handles it
      // (bench/chaos.ts does, to stop its instances first).
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function forget(owner: object): void {
  exitCleanups.delete(owner);
}

const leftoverPrefix = "throwaway-";
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};
const readNumber = (file: string) => {
  try {
    const value = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
};
/** The pid still runs the program we started (not a recycled pid). */
const runs = (pid: number, program: string) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(program);
  } catch {
    return false;
  }
};

/**
 * A child process this process owns (a `src/main.ts` instance), recorded so that a sweep can kill it
 * if this process dies without doing so. Returns the function that drops the record.
 */
export function recordChild(pid: number, program: string): () => void {
  const file = join(tmpdir(), `${leftoverPrefix}proc-${process.pid}-${pid}`);
  writeFileSync(file, JSON.stringify({ owner: process.pid, pid, program }));
  return () => rmSync(file, { force: true });
}

let swept = false;
/** Stops the servers and children of owners that died without cleaning up (once per process). */
export function sweepLeftovers(): void {
  if (swept) return;
  swept = true;
  let entries: string[] = [];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(leftoverPrefix));
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(tmpdir(), name);
    try {
      if (name.startsWith(`${leftoverPrefix}proc-`)) {
        const record = JSON.parse(readFileSync(path, "utf8")) as { owner: number; pid: number; program: string };
        if (isAlive(record.owner)) continue;
        if (runs(record.pid, record.program)) process.kill(record.pid, "SIGKILL");
        rmSync(path, { force: true });
        continue;
      }
      // A folder without an owner is being created right now (the owner is written first thing) or is not ours.
      const owner = readNumber(join(path, "owner"));
      if (!owner || isAlive(owner)) continue;
      if (name.startsWith(`${leftoverPrefix}pg-`) && existsSync(join(path, "data", "postmaster.pid"))) {
        spawnSync(
          ...postgresCommand(join(postgresBinDir, "pg_ctl"), [
            "-D",
            join(path, "data"),
            "-m",
            "immediate",
            "-w",
            "stop",
          ]),
          { stdio: "ignore", timeout: 30_000 },
        );
      }
      const redisPid = readNumber(join(path, "redis.pid"));
      if (redisPid && runs(redisPid, "redis-server")) process.kill(redisPid, "SIGKILL");
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Someone else's, or already gone: leave it.
    }
  }
}

/** A server's temporary folder, marked with its owner for the sweep. */
function ownedTempDir(kind: "pg" | "redis"): string {
  sweepLeftovers();
  const dir = mkdtempSync(join(tmpdir(), `${leftoverPrefix}${kind}-`));
  writeFileSync(join(dir, "owner"), String(process.pid));
  return dir;
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

export type PostgresStopMode = "smart" | "fast" | "immediate";

export interface ThrowawayPostgres {
  /** postgresql:// URL of its `graph` database (over TCP on 127.0.0.1). */
  readonly url: string;
  /** The `postgres` maintenance database, for administration (terminating backends, checks). */
  readonly adminUrl: string;
  readonly port: number;
  /** The temporary folder: data directory (`data`), server log (`log`), Unix socket. */
  readonly dir: string;
  readonly running: boolean;
  /** pg_ctl stop: "fast" ends sessions politely, "immediate" is a crash (recovery on the next start). */
  stop(mode?: PostgresStopMode): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** pg_terminate_backend() of every session on `graph` but the caller's; returns how many. */
  terminateConnections(): Promise<number>;
  /** How many sessions on `graph` are running a statement right now (the caller's excluded). */
  activeQueries(): Promise<number>;
  /** The server log so far (for failure messages). */
  log(): string;
  /** Stops it (immediate) and removes its folder. Safe to call twice. */
  close(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** The database created for the service; "graph" unless given. */
  database?: string;
}

/** initdb into a temporary folder, start on a free port, create the database. */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const unavailable = postgresUnavailable();
  if (unavailable) throw new Error(`cannot start a throwaway PostgreSQL: ${unavailable}`);
  const database = options.database ?? "graph";
  const dir = ownedTempDir("pg");
  const data = join(dir, "data");
  const logFile = join(dir, "log");
  const pgCtl = join(postgresBinDir, "pg_ctl");
  let running = false;
  let closed = false;
  const stopSync = () => {
    if (running)
      spawnSync(...postgresCommand(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]), {
        stdio: "ignore",
        timeout: 30_000,
      });
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const handle = {};
  onProcessExit(handle, stopSync);

  try {
    if (isRoot) {
      const account = postgresAccount()!;
      chownSync(dir, account.uid, account.gid);
    }
    // --no-sync: the cluster lives for one test file; a crash of the machine is not a case to survive.
    await runOrThrow(
      "initdb",
      join(postgresBinDir, "initdb"),
      ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
      true,
    );
    // fsync off is safe against what the tests do (killing PostgreSQL, not the machine): the WAL is
    // still written to the OS, so an immediate stop recovers every committed transaction.
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      "fsync = off",
      "full_page_writes = off",
      "shared_buffers = 32MB",
      "max_connections = 100",
      "logging_collector = off",
    ];
    appendFileSync(join(data, "postgresql.conf"), `\n# throwaway-servers.ts\n${settings.join("\n")}\n`);
  } catch (error) {
    stopSync();
    forget(handle);
    throw error;
  }

  // A port can be taken between freePort() and the bind (other engineers share the machine): retry.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    appendFileSync(join(data, "postgresql.conf"), `port = ${port}\n`);
    const started = await run(pgCtl, ["-D", data, "-l", logFile, "-w", "-t", "60", "start"], { asPostgres: true });
    if (started.code === 0) break;
    if (attempt >= 3) {
      stopSync();
      forget(handle);
      throw new Error(`pg_ctl start failed (exit ${started.code}):\n${started.output}`);
    }
  }
  running = true;

  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    // A client whose server dies under it emits "error"; this one is short-lived, the caller hears the rejection.
    client.on("error", () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
  } catch (error) {
    stopSync();
    forget(handle);
    throw error;
  }

  const readLog = () => {
    const result = spawnSync("cat", [logFile], { encoding: "utf8" });
    return result.stdout ?? "";
  };

  return {
    url,
    adminUrl,
    port,
    dir,
    get running() {
      return running;
    },
    async stop(mode = "fast") {
      if (!running) return;
      await runOrThrow(`pg_ctl stop -m ${mode}`, pgCtl, ["-D", data, "-m", mode, "-w", "-t", "60", "stop"], true);
      running = false;
    },
    async start() {
      if (running) return;
      const started = await run(pgCtl, ["-D", data, "-l", logFile, "-w", "-t", "60", "start"], { asPostgres: true });
      if (started.code !== 0)
        throw new Error(`pg_ctl start failed (exit ${started.code}):\n${started.output}\n${readLog().slice(-4000)}`);
      running = true;
    },
    terminateConnections() {
      return admin(async (client) => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        );
        return rows[0]?.n ?? 0;
      });
    },
    activeQueries() {
      return admin(async (client) => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
          [database],
        );
        return rows[0]?.n ?? 0;
      });
    },
    log: readLog,
    async close() {
      if (closed) return;
      closed = true;
      if (running) await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], { asPostgres: true });
      running = false;
      rmSync(dir, { recursive: true, force: true });
      forget(handle);
    },
  };
}

function postgresCommand(command: string, args: string[]): [string, string[]] {
  return isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

// ---------------------------------------------------------------------------------------------------
// Redis

export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** The redis-server's pid; undefined while it is not running. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Sends `signal` (SIGKILL unless given) and, for a signal that ends it, waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** A new redis-server on the same port (and, when persistent, the same data). */
  restart(): Promise<void>;
  /** What redis-server printed (for failure messages). */
  output(): string;
  /** Kills it and removes its folder. Safe to call twice. */
  close(): Promise<void>;
}

export interface ThrowawayRedisOptions {
  /**
   * Keep the data across kill and restart (append-only file, fsync on every write), as a production
   * Redis with persistence or a promoted replica does: what was cached before an outage is still
   * there after it. Off by default (`--save '' --appendonly no`): a restart comes back empty.
   */
  persistent?: boolean;
}

/** redis-server as a child process (no --daemonize: this process owns it and can kill it). */
export async function startThrowawayRedis(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
  const unavailable = redisUnavailable();
  if (unavailable) throw new Error(`cannot start a throwaway Redis: ${unavailable}`);
  const dir = ownedTempDir("redis");
  let child: ChildProcess | undefined;
  let output = "";
  let closed = false;
  const handle = {};
  onProcessExit(handle, () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  const persistence = options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const launch = (port: number) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const server = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir, ...persistence],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let seen = "";
      const timer = setTimeout(() => {
        server.kill("SIGKILL");
        reject(new Error(`redis-server on ${port} was not ready within 10 s:\n${seen}`));
      }, 10_000);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        output += chunk.toString();
        if (seen.includes("Ready to accept connections")) {
          clearTimeout(timer);
          // For the sweep of leftovers, should this process die without closing it.
          writeFileSync(join(dir, "redis.pid"), String(server.pid));
          resolve(server);
        }
      };
      server.stdout!.on("data", onData);
      server.stderr!.on("data", onData);
      server.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      server.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on ${port} exited with ${code ?? signal} before it was ready:\n${seen}`));
      });
    });

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      child = await launch(port);
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        forget(handle);
        throw error;
      }
    }
  }

  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    const current = child;
    if (!current || !alive()) return;
    const exited = new Promise<void>((resolve) => current.once("exit", () => resolve()));
    current.kill(signal);
    // SIGSTOP and friends pause it; only a signal that ends it is worth waiting for.
    if (signal === "SIGKILL" || signal === "SIGTERM" || signal === "SIGINT" || signal === "SIGQUIT") await exited;
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return alive() ? child!.pid : undefined;
    },
    get running() {
      return alive();
    },
    kill,
    async restart() {
      // SIGKILL also ends a paused (SIGSTOP) server: restart always means a new process.
      if (alive()) await kill("SIGKILL");
      // The port was just released; redis binds with SO_REUSEADDR, but retry briefly all the same.
      for (let attempt = 1; ; attempt++) {
        try {
          child = await launch(port);
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await sleep(200);
        }
      }
    },
    output: () => output,
    async close() {
      if (closed) return;
      closed = true;
      await kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      forget(handle);
    },
  };
}
