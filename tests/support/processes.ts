// The service and its command-line tools as users run them: child processes of `node --import tsx`.
import { spawn, type ChildProcess } from "node:child_process";

export const projectRoot = new URL("../..", import.meta.url).pathname;

export interface MainProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const stopping = new WeakSet<ChildProcess>();

/** Starts `src/main.ts` with `env` as its whole environment and waits until it serves. */
export async function startMain(env: NodeJS.ProcessEnv, timeoutMs = 100_000): Promise<MainProcess> {
  // Its start-up lines, the address among them, are info lines: shown whatever the test's level.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: projectRoot, env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? "info" } });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no GraphiQL line within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The address in the start-up log line, plain or inside a JSON log line.
      const match = /GraphiQL: (http:\/\/[^\s"]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
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
  child.once("exit", (code, signal) => {
    if (!stopping.has(child)) console.error(`src/main.ts (${url}) exited with ${code ?? signal}:\n${output}`);
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
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: projectRoot, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
