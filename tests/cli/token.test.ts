// npm run token: create (the token printed once), list (never the token or its hash), revoke; and
// the tokens it makes open and, once revoked, close the door to mutations. One run is a real process
// (arguments, environment, the database it names, exit code); the others run the same command in this
// process, on that database, without the seconds each `tsx` start costs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, runTokenCommand } from "../../src/cli/token-main.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createServer } from "../../src/server.js";
import { copyToDataDir, testDatabaseUrl } from "../support/graph.js";
import { runInProcess, runScript } from "../support/processes.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";

const dataDir = join(mkdtempSync(join(tmpdir(), "graph-token-")), "data");
let scratch: ScratchDatabase | undefined;
let databaseUrl: string | undefined;
/** The database the process wrote, opened here once it has exited (PGlite is one process's). */
let db: Database | undefined;

beforeAll(async () => {
  if (testDatabaseUrl) {
    scratch = await createScratchDatabase(testDatabaseUrl, "graph_token");
    databaseUrl = scratch.url;
  } else await copyToDataDir(dataDir);
});

afterAll(async () => {
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
  await scratch?.drop();
});

function spawned(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return runScript("src/cli/token.ts", args, env);
}

async function cli(...args: string[]) {
  db ??= await openDatabase({ databaseUrl, dataDir });
  return runInProcess(() => runTokenCommand(db!, args));
}

/** Tries a mutation with the token against the database the CLI wrote. */
async function tryWrite(token: string): Promise<{ __typename: string; reason?: string }> {
  db ??= await openDatabase({ databaseUrl, dataDir });
  const response = await createServer(db).fetch("http://graph.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation { createEntity(input: { kind: COMPANY, name: "Token Test ${Date.now()}" }) { __typename ... on ForbiddenError { reason } } }`,
    }),
  });
  const body = (await response.json()) as { data: { createEntity: { __typename: string; reason?: string } } };
  return body.data.createEntity;
}

describe("npm run token", () => {
  it("creates, lists and revokes tokens, showing the token once", async () => {
    const created = await spawned("create", "ci", "--scopes", "graph:write,graph:admin");
    expect(created.code, created.stderr).toBe(0);
    const token = /\b(cgt_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)?.[1];
    expect(token).toBeDefined();
    expect(created.stdout).toContain("shown only this once");

    const listed = await cli("list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ci\tgraph:write,graph:admin\tcreated \S+\tactive$/m);
    expect(listed.stdout + listed.stderr).not.toContain(token);
    expect(await tryWrite(token!)).toEqual({ __typename: "CreateEntitySuccess" });

    const revoked = await cli("revoke", "ci");
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked "ci"');
    expect((await cli("list")).stdout).toMatch(/^ci\t.*\trevoked \S+$/m);
    expect(await tryWrite(token!)).toEqual({ __typename: "ForbiddenError", reason: "INVALID_TOKEN" });
  });

  it("refuses a taken name, unknown scopes, an unknown token to revoke, and bad usage", async () => {
    await cli("create", "twice", "--scopes", "graph:write");
    const again = await cli("create", "twice", "--scopes", "graph:write");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists already");
    const scopes = await cli("create", "root", "--scopes", "graph:root");
    expect(scopes.code).toBe(1);
    expect(scopes.stderr).toContain("unknown: graph:root");
    expect((await cli("revoke", "nobody")).code).toBe(1);
    // Refused before any database is opened.
    const usage = await runInProcess(() => main(["create"]));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage");
  });
});
