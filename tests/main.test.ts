// The quick start, for real: `npm start` creates, migrates and seeds its database on first start,
// answers over HTTP, and on the next start reuses the data without seeding again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "./support/graph.js";
import { runScript, startMain, stopMain } from "./support/processes.js";
import { createScratchDatabase, type ScratchDatabase } from "./support/scratch-database.js";

const dataDir = mkdtempSync(join(tmpdir(), "graph-start-"));
let scratch: ScratchDatabase | undefined;

/** Both starts share one database: the embedded folder, or one scratch database on the server. */
async function serverEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    NODE_ENV: "test",
    LOG_LEVEL: "info",
  };
  delete env.DATABASE_URL;
  if (testDatabaseUrl) {
    scratch ??= await createScratchDatabase(testDatabaseUrl, "graph_start");
    env.DATABASE_URL = scratch.url;
  }
  return env;
}

/** As `npm start` runs it (scripts/start.js, its own copy of src/, made or reused). */
// startMain's 100 s for a start: a first start seeding its folder took 50 to 60 s on this 2-core
// machine while other sessions' suites ran (bench/startup.ts measured it), past the minute it had.
const start = async () => startMain(await serverEnv(), undefined, { npmStart: true });

async function ask(url: string, query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await scratch?.drop();
});

describe("npm start", () => {
  it("seeds on first start, serves HTTP, keeps other processes off its data, and reuses the data on the next start", async () => {
    const first = await start();
    try {
      expect(first.output()).toContain("loading the seed graph");
      const { status, body } = await ask(
        first.url,
        `{ city(name: "Chongqing") { name vatRefundPartners { partner { name } } } }`,
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.city.vatRefundPartners.map((p: { partner: { name: string } }) => p.partner.name)).toContain(
        "Sichuan",
      );
      const page = await fetch(first.url, { headers: { accept: "text/html" } });
      expect(await page.text()).toContain("<html");

      // One JSON access-log line per request, under the caller's request id, without its token.
      const secret = "cgt_never-in-the-log";
      await fetch(first.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-request-id": "start-test-1",
          authorization: `Bearer ${secret}`,
        },
        body: JSON.stringify({ query: "query Hello { __typename }", operationName: "Hello" }),
      });
      await expect.poll(() => first.output()).toContain('"reqId":"start-test-1"');
      const line = first
        .output()
        .split("\n")
        .find((text) => text.includes('"reqId":"start-test-1"') && text.includes('"msg":"request"'));
      expect(JSON.parse(line!)).toMatchObject({
        level: "info",
        method: "POST",
        path: "/graphql",
        status: 200,
        operation: "Hello",
        completed: true,
      });
      expect(first.output()).not.toContain(secret);
    } finally {
      await stopMain(first.child);
    }
    // SIGTERM is a clean stop: exit code 0.
    expect(first.child.exitCode).toBe(0);

    const second = await start();
    try {
      expect(second.output()).not.toContain("loading the seed graph");
      if (!testDatabaseUrl) {
        // PGlite is one process's database: the CLI refuses the folder while the server holds it.
        const cli = await runScript("src/cli/graph.ts", ["export", "--format", "ndjson"], await serverEnv());
        expect(cli.code).toBe(1);
        expect(cli.stderr).toContain(`is in use by process ${second.child.pid}`);
        expect(cli.stderr).not.toMatch(/^\s+at /m);
      }
      // The base geography came with the first start: every prefecture-level city of China.
      const { body } = await ask(second.url, `{ entities(kinds: [CITY]) { totalCount } provinces { totalCount } }`);
      expect(body.data.entities.totalCount).toBeGreaterThan(290);
      expect(body.data.provinces.totalCount).toBe(34);
    } finally {
      await stopMain(second.child);
    }
    // Two starts, the first creating, migrating and seeding a folder: the default minute is short of
    // that on a machine busy with other work.
  }, 200_000);

  it("with SEARCH_INDEX=1, builds search's index as it starts, before any search asks", async () => {
    const server = await startMain({ ...(await serverEnv()), SEARCH_INDEX: "1" }, undefined, { npmStart: true });
    try {
      // No request has been made: the line comes from the start alone.
      await expect
        .poll(() => /Search index built: (\d+) aliases/.exec(server.output())?.[1], { timeout: 60_000, interval: 200 })
        .toMatch(/^\d+$/);
      const aliases = Number(/Search index built: (\d+) aliases/.exec(server.output())![1]);
      expect(aliases).toBeGreaterThan(1000);
      const { body } = await ask(
        server.url,
        `{ search(query: "Chongqing", first: 1) { edges { node { entity { key } } } } }`,
      );
      expect(body.data.search.edges[0].node.entity.key).toBe("chongqing");
    } finally {
      await stopMain(server.child);
    }
  }, 120_000);
});
