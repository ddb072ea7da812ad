// npm run token: create (the token printed once), list (never the token or its hash), revoke; and
// the tokens it makes open and, once revoked, close the door to mutations.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { createServer } from "../../src/server.js";
import { testDatabaseUrl } from "../support/graph.js";
import { runScript } from "../support/processes.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";

const dataDir = mkdtempSync(join(tmpdir(), "graph-token-"));
let scratch: ScratchDatabase | undefined;
let databaseUrl: string | undefined;

beforeAll(async () => {
  if (!testDatabaseUrl) return;
  scratch = await createScratchDatabase(testDatabaseUrl, "graph_token");
  databaseUrl = scratch.url;
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await scratch?.drop();
});

function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return runScript("src/cli/token.ts", args, env);
}

/** Tries a mutation with the token against the database the CLI wrote (PGlite is closed between). */
async function tryWrite(token: string): Promise<{ __typename: string; reason?: string }> {
  const db = await openDatabase({ databaseUrl, dataDir });
  try {
    const response = await createServer(db).fetch("http://graph.test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation { createEntity(input: { kind: COMPANY, name: "Token Test ${Date.now()}" }) { __typename ... on ForbiddenError { reason } } }`,
      }),
    });
    const body = (await response.json()) as { data: { createEntity: { __typename: string; reason?: string } } };
    return body.data.createEntity;
  } finally {
    await db.close();
  }
}

describe("npm run token", () => {
  it("creates, lists and revokes tokens, showing the token once", async () => {
    const created = await cli("create", "ci", "--scopes", "graph:write,graph:admin");
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
    const usage = await cli("create");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage");
  });
});
