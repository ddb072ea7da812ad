// The quick start, for real: `npm start` creates, migrates and seeds its database on first start,
// answers over HTTP, and on the next start reuses the data without seeding again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "./support/graph.js";

const root = new URL("..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "graph-start-"));
let scratchDb: string | null = null;

async function serverEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  if (testDatabaseUrl) {
    scratchDb ??= `graph_start_${process.pid}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratchDb}`).catch(() => undefined);
    await admin.end();
    const url = new URL(testDatabaseUrl);
    url.pathname = `/${scratchDb}`;
    env.DATABASE_URL = url.toString();
  }
  return env;
}

async function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: root, env: await serverEnv() });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no GraphiQL line within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphiQL: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function ask(url: string, query: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (testDatabaseUrl && scratchDb) {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`);
    await admin.end();
  }
});

describe("npm start", () => {
  it("seeds on first start, serves HTTP, and reuses the data on the next start", async () => {
    const first = await start();
    try {
      expect(first.output()).toContain("loading the seed graph");
      const { status, body } = await ask(first.url, `{ city(name: "Chongqing") { name vatRefundPartners { partner { name } } } }`);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.city.vatRefundPartners.map((p: { partner: { name: string } }) => p.partner.name)).toContain("Sichuan");
      const page = await fetch(first.url, { headers: { accept: "text/html" } });
      expect(await page.text()).toContain("<html");
    } finally {
      await stop(first.child);
    }

    const second = await start();
    try {
      expect(second.output()).not.toContain("loading the seed graph");
      // The base geography came with the first start: every prefecture-level city of China.
      const { body } = await ask(second.url, `{ entities(kinds: [CITY]) { totalCount } provinces { totalCount } }`);
      expect(body.data.entities.totalCount).toBeGreaterThan(290);
      expect(body.data.provinces.totalCount).toBe(34);
    } finally {
      await stop(second.child);
    }
  });
});
