// Who may write: a bearer token with the right scope. Refusals are ForbiddenErrors that say why and
// write nothing; reads stay public and cost the same SQL with or without a token.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeToken } from "../../src/auth/tokens.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { expectRefused, gid, mutate, resultFields } from "../support/writes.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const createCity = (token: string | undefined, name = "Tokenville", headers?: Record<string, string>) =>
  graph
    .query<{ createEntity: Record<string, unknown> }>(
      `mutation($name: String!) { createEntity(input: { kind: CITY, name: $name }) { ${resultFields} } }`,
      { name },
      { token, headers },
    )
    .then((response) => {
      expect(response.errors).toBeUndefined();
      return response.data!.createEntity as Awaited<ReturnType<typeof mutate>>;
    });

describe("refused writes", () => {
  it("without a token", async () => {
    const result = await expectRefused(graph, () => createCity(undefined), "ForbiddenError");
    expect(result).toMatchObject({ code: "FORBIDDEN", reason: "MISSING_TOKEN", requiredScope: "graph:write" });
    expect(result.message).toContain("Authorization: Bearer");
  });

  it("with a malformed header or an unknown token", async () => {
    const malformed = await expectRefused(
      graph,
      () => createCity(undefined, "X", { authorization: "Basic dXNlcjpwYXNz" }),
      "ForbiddenError",
    );
    expect(malformed.reason).toBe("INVALID_TOKEN");
    const unknown = await expectRefused(graph, () => createCity("cgt_not-a-real-token"), "ForbiddenError");
    expect(unknown).toMatchObject({
      reason: "INVALID_TOKEN",
      message: "The bearer token is unknown or has been revoked.",
    });
  });

  it("with a revoked token", async () => {
    const token = await graph.token(["graph:write"], "soon-revoked");
    expect((await createCity(token, "Before Revocation")).__typename).toBe("CreateEntitySuccess");
    expect(await revokeToken(graph.db.prisma, "soon-revoked")).toBe("revoked");
    const result = await expectRefused(graph, () => createCity(token, "After Revocation"), "ForbiddenError");
    expect(result.reason).toBe("INVALID_TOKEN");
  });

  it("with a token that lacks the scope, naming the scope", async () => {
    const writer = await graph.token(["graph:write"], "writer");
    const admin = await graph.token(["graph:admin"], "admin-only");
    const merge = () =>
      mutate(
        graph,
        writer,
        `mutation($a: ID!, $b: ID!) { mergeEntities(survivor: $a, duplicate: $b) { ${resultFields} } }`,
        { a: gid("City", "chongqing"), b: gid("City", "chengdu") },
      );
    const merged = await expectRefused(graph, merge, "ForbiddenError");
    expect(merged).toMatchObject({
      reason: "MISSING_SCOPE",
      requiredScope: "graph:admin",
      message: 'Token "writer" lacks the scope graph:admin that mergeEntities needs.',
    });
    for (const field of ["deleteEntity", "revertChange"]) {
      const result = await expectRefused(
        graph,
        () =>
          mutate(graph, writer, `mutation($id: ID!) { ${field}(id: $id) { ${resultFields} } }`, {
            id: gid("City", "chongqing"),
          }),
        "ForbiddenError",
      );
      expect(result.requiredScope).toBe("graph:admin");
    }
    const created = await expectRefused(graph, () => createCity(admin), "ForbiddenError");
    expect(created).toMatchObject({ reason: "MISSING_SCOPE", requiredScope: "graph:write" });
  });

  it("before looking at the input: an invalid write without a token is Forbidden, not invalid", async () => {
    const result = await expectRefused(graph, () => createCity(undefined, " "), "ForbiddenError");
    expect(result.reason).toBe("MISSING_TOKEN");
  });
});

describe("tokens", () => {
  it("are stored as SHA-256 hashes only", async () => {
    const token = await graph.token(["graph:write"], "hashed");
    const row = await graph.db.prisma.apiToken.findUniqueOrThrow({ where: { name: "hashed" } });
    expect(row.hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(token).toMatch(/^cgt_[A-Za-z0-9_-]{43}$/);
  });
});

describe("reads", () => {
  const read = `{ city(name: "Chongqing") { name vatRefundPartners { partner { name } } } entities(kinds: [COMPANY], first: 5) { totalCount edges { node { name } } } }`;

  it("cost the same SQL statements with or without an Authorization header, and never look the token up", async () => {
    const token = await graph.token(["graph:write"], "reader");
    const counts: number[] = [];
    for (const options of [{}, { token }, { token: "cgt_unknown" }, { headers: { authorization: "garbage" } }]) {
      graph.resetStatements();
      const response = await graph.query(read, {}, options);
      expect(response.errors).toBeUndefined();
      expect(graph.statements.some((sql) => sql.includes("ApiToken"))).toBe(false);
      counts.push(graph.statements.length);
    }
    expect(new Set(counts).size).toBe(1);
  });
});
