// The service and its command-line tools as users run them, as child processes; and a tool's command
// run in the test's own process, its console output captured as a process's.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { format } from "node:util";
import { inject, vi } from "vitest";

export const projectRoot = new URL("../..", import.meta.url).pathname;

// In a test run, src/ transpiled once by tests/support/global-setup.ts; elsewhere (bench/chaos.ts) none.
const compiled = process.env.VITEST ? inject("compiledSource") : undefined;

/**
 * Node's arguments to run `script` (a path such as src/main.ts): the run's transpiled copy, or
 * (outside a test run) through tsx; with `npmStart`, the server as `npm start` runs it
 * (scripts/start.js, which makes or reuses its own copy of src/).
 */
function nodeArgs(script: string, options: { npmStart?: boolean } = {}): string[] {
  if (options.npmStart && script === "src/main.ts") return ["scripts/start.js"];
  if (compiled) return [join(compiled, script.replace(/\.ts$/, ".js"))];
  return ["--import", "tsx", script];
}

export interface MainProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const stopping = new WeakSet<ChildProcess>();

/**
 * The server's URL from its start-up output: a plain `GraphiQL: http://host:port/graphql` line, or a
 * JSON log line (pino) whose "msg" holds it. The URL must be followed by its end (a line break, a
 * quote, a brace) so a chunk cut mid-URL is not taken for the whole of it.
 */
export function serverUrlIn(output: string): string | undefined {
  return /GraphiQL: (http:\/\/[^\s"'}\\,]+)(?=[\s"'}\\,])/.exec(output)?.[1];
}

/**
 * Starts `src/main.ts` with `env` as its whole environment and waits until it serves; with
 * `npmStart`, as `npm start` does, not from the run's transpiled copy.
 */
export async function startMain(
  env: NodeJS.ProcessEnv,
  timeoutMs = 100_000,
  options: { reportExit?: boolean; npmStart?: boolean } = {},
): Promise<MainProcess> {
  // Its start-up lines, the address among them, are info lines: shown whatever the test's level.
  const child = spawn(process.execPath, nodeArgs("src/main.ts", options), {
    cwd: projectRoot,
    env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? "info" },
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A server that never came up is not left running behind the failure.
      child.kill("SIGKILL");
      reject(new Error(`no GraphiQL line within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = serverUrlIn(output);
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`src/main.ts exited with ${code}:\n${output}`));
    });
  });
  // A server that dies mid-test says why, instead of leaving only "connection refused" behind.
  // (Callers that report exits their own way, such as the fault tests, turn this off.)
  child.once("exit", (code, signal) => {
    if (options.reportExit !== false && !stopping.has(child))
      console.error(`src/main.ts (${url}) exited with ${code ?? signal}:\n${output}`);
  });
  return { child, url, output: () => output };
}

/** Stops it the way a supervisor does (SIGTERM, SIGKILL after 10 s) and waits for the exit. */
export async function stopMain(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  stopping.add(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script such as `src/cli/graph.ts` to its exit, with `env` as its whole environment. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  const child = spawn(process.execPath, [...nodeArgs(script), ...args], { cwd: projectRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs a command-line tool's `main` in this process and captures what it prints with console.log and
 * console.error as stdout and stderr: a tool's behaviour without the seconds a `tsx` process takes to
 * start. One real process per tool stays, for the wiring (arguments, environment, exit code).
 */
export async function runInProcess(main: () => Promise<number>): Promise<ScriptRun> {
  let stdout = "";
  let stderr = "";
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...args: unknown[]) => void (stdout += `${format(...args)}\n`));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...args: unknown[]) => void (stderr += `${format(...args)}\n`));
  try {
    const code = await main();
    return { code, stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
