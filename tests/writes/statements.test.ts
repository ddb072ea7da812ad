// What one write costs in SQL statements, each named with the reason it is there (the benchmark's
// live mode writes `updateEntity` at a fixed rate: every statement is a round trip in its
// transaction). Counted from the statements the database is sent; no timings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { gid } from "../support/writes.js";
import { entityRecord } from "../../src/writes/records/entity.js";
import { canonicalJson, type Tx } from "../../src/writes/record.js";
import { WriteBatch } from "../../src/writes/batch.js";
import { connectedTransaction } from "../../src/db/transaction.js";
import { Prisma } from "../../src/generated/prisma/client.js";

let graph: TestGraph;
let token: string;

beforeAll(async () => {
  graph = await startTestGraph();
  token = await graph.token(["graph:write"]);
});
afterAll(() => graph?.close());

/** The statements of one mutation, each as the first words that say what it is. */
async function statementsOf(document: string, variables: Record<string, unknown>) {
  graph.resetStatements();
  const response = await graph.query<Record<string, { __typename: string }>>(document, variables, { token });
  expect(response.errors).toBeUndefined();
  expect(Object.values(response.data!)[0]!.__typename).toMatch(/Success$/);
  return graph.statements.map((sql) => sql.replace(/\s+/g, " ").trim());
}

const updateDescription = `mutation($id: ID!, $description: String!) {
  updateEntity(id: $id, input: { description: $description }) { __typename }
}`;

describe("updateEntity's statements", () => {
  // Chongqing has what makes an entity's snapshot costly to read: aliases, mentions of nine sources, a
  // division code and a located position with its source.
  const chongqing = gid("City", "chongqing");

  it("are the token, the lock, one read before, the update that reads the entity after, records the change and returns the answer's row, and the commit", async () => {
    const statements = await statementsOf(updateDescription, { id: chongqing, description: "A city on the Yangtze." });
    const expected: [string, RegExp][] = [
      ["the caller's token", /^SELECT .*"ApiToken"/],
      ["the entity locked (its id and key)", /^SELECT id, key, kind::text AS kind FROM "Entity" .* FOR UPDATE$/],
      [
        "its snapshot before: row, aliases, mentions, policy and location in one",
        /^SELECT s\.key, s\.snapshot::text AS snapshot FROM \( SELECT e\.key, jsonb_build_object\('key', e\.key/,
      ],
      [
        "the row updated, its snapshot after read from it, the history's Change inserted with it, and the row returned for the answer, in one statement",
        /^WITH updated AS \(UPDATE "Entity" SET .* RETURNING \*\), after AS \(SELECT s\.snapshot FROM \( SELECT e\.key, jsonb_build_object\('key', e\.key.* FROM updated e .*\), change AS \( INSERT INTO "Change" .* SELECT .* after\.snapshot, .* FROM after RETURNING .*\) SELECT u\.\*, to_jsonb\(c\) AS change FROM updated u CROSS JOIN change c$/,
      ],
      // Nothing after it: the entity the client asked for is the row the update returned.
      ["the commit", /COMMIT/],
    ];
    expect(statements.length, statements.join("\n")).toBe(expected.length);
    for (const [i, [why, pattern]] of expected.entries()) expect(statements[i], why).toMatch(pattern);
  });

  it("record the entity after as it reads afterwards, though the update read it back itself", async () => {
    await statementsOf(updateDescription, { id: chongqing, description: "Read back in the update." });
    const change = await graph.db.prisma.change.findFirstOrThrow({
      where: { targetType: "Entity", targetKey: "chongqing" },
      orderBy: { id: "desc" },
    });
    const now = await entityRecord.read(graph.db.prisma as unknown as Tx, "chongqing");
    expect(now?.description).toBe("Read back in the update.");
    expect(canonicalJson(change.after)).toBe(canonicalJson(now));
  });

  it("answer with the entity as the update left it, as a read afterwards gives it", async () => {
    const fields = `id key kind name nameZh description properties aliases mentions { quote source { key } }
      ... on City { adminLevel divisionType divisionCode location { lat lon quote source { key } } }`;
    const answer = await graph.query<{ updateEntity: { entity: Record<string, unknown> } }>(
      `mutation($id: ID!) { updateEntity(id: $id, input: { description: "Answered from its own row." }) {
        ... on UpdateEntitySuccess { entity { ${fields} } } } }`,
      { id: chongqing },
      { token },
    );
    expect(answer.errors).toBeUndefined();
    const entity = answer.data!.updateEntity.entity;
    expect(entity.description).toBe("Answered from its own row.");
    const read = await graph.query<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { ... on Entity { ${fields} } } }`,
      { id: chongqing },
    );
    expect(read.errors).toBeUndefined();
    expect(entity).toEqual(read.data!.node);
    // The row the answer came from is the row as stored, typed alike (dates, JSON, numbers).
    const stored = await graph.db.sql.query<Record<string, unknown>>(
      Prisma.sql`SELECT * FROM "Entity" WHERE key = 'chongqing'`,
    );
    const [viaUpdate, changes] = await connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        const batch = new WriteBatch(tx, { tokenId: 0, name: "statements-test" }, "test");
        await batch.update(entityRecord, "chongqing", (current) => ({ ...current, description: "Once again." }));
        return [batch.rowLeft("Entity", "chongqing"), batch.changes] as const;
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
    // The change the batch publishes is the row as stored, as Prisma reads it.
    expect(changes).toHaveLength(1);
    expect(changes[0]).toEqual(await graph.db.prisma.change.findUnique({ where: { id: changes[0]!.id } }));
    expect(changes[0]).toMatchObject({
      actor: "statements-test",
      operation: "test",
      action: "UPDATE",
      targetType: "Entity",
      targetKey: "chongqing",
      entityKeys: ["chongqing"],
      before: { description: "Answered from its own row." },
      after: { description: "Once again." },
      revertOfId: null,
    });
    const after = await graph.db.sql.query<Record<string, unknown>>(
      Prisma.sql`SELECT * FROM "Entity" WHERE key = 'chongqing'`,
    );
    expect(viaUpdate).toEqual(after[0]);
    expect(after[0]!.updatedAt).not.toEqual(stored[0]!.updatedAt);
    expect(after[0]!.updatedAt).toBeInstanceOf(Date);
  });

  it("look up no division code, location source or policy that did not change", async () => {
    // Chongqing's division code, location and (no) policy stay as they are: nothing checks them again.
    const statements = await statementsOf(updateDescription, { id: chongqing, description: "Again." });
    expect(
      statements.filter((sql) => /"Entity"\."divisionCode" = |"Source"\."key" = |"public"\."PolicyDetail"/.test(sql)),
    ).toEqual([]);
  });

  it("publish with no statement of their own: the change's snapshot knows the entity's kind", async () => {
    const statements = await statementsOf(updateDescription, { id: chongqing, description: "Once more." });
    expect(
      statements.filter((sql) => sql.startsWith("SELECT") && sql.includes('"kind"') && !sql.includes("jsonb")),
    ).toEqual([]);
  });
});

describe("a policy's details", () => {
  const policyDetail = () => graph.db.prisma.policyDetail.findFirst({ where: { entity: { key: "test-subsidy" } } });
  const update = (input: Record<string, unknown>) =>
    statementsOf(
      `mutation($id: ID!, $input: UpdateEntityInput!) { updateEntity(id: $id, input: $input) { __typename } }`,
      {
        id: gid("Policy", "test-subsidy"),
        input,
      },
    );
  const policyWrites = (statements: string[]) =>
    statements.filter((sql) => /^(INSERT|UPDATE|DELETE).*"PolicyDetail"/.test(sql));

  it("are written only when they change, and deleted only when there are some", async () => {
    const created = await statementsOf(
      `mutation($input: CreateEntityInput!) { createEntity(input: $input) { __typename } }`,
      {
        input: {
          key: "test-subsidy",
          kind: "POLICY",
          name: "Test subsidy",
          policy: { policyType: "SUBSIDY", startsOn: "2024" },
        },
      },
    );
    expect(policyWrites(created)).toHaveLength(1);

    expect(policyWrites(await update({ description: "Paid per vehicle." }))).toEqual([]);
    expect(await policyDetail()).toMatchObject({ policyType: "SUBSIDY", startsPrecision: "YEAR" });

    expect(policyWrites(await update({ policy: { policyType: "SUBSIDY", startsOn: "2024-03" } }))).toHaveLength(1);
    expect(await policyDetail()).toMatchObject({ startsOn: new Date("2024-03-01"), startsPrecision: "MONTH" });

    expect(policyWrites(await update({ policy: null }))).toHaveLength(1);
    expect(await policyDetail()).toBeNull();
    expect(policyWrites(await update({ policy: null, description: "Ended." }))).toEqual([]);

    expect(policyWrites(await update({ policy: { policyType: "TAX_REFUND", endsOn: "2030-12-31" } }))).toHaveLength(1);
    expect(await policyDetail()).toMatchObject({
      policyType: "TAX_REFUND",
      startsOn: null,
      endsOn: new Date("2030-12-31"),
    });
  });
});

describe("createRelationship's statements", () => {
  it("resolve its type, both ends and its source in one statement", async () => {
    const body = await graph.db.prisma.source.findUniqueOrThrow({ where: { key: "vat-refund-expansion" } });
    const statements = await statementsOf(
      `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { __typename } }`,
      {
        input: {
          key: "statements-test-relationship",
          type: "VAT_REFUND_PARTNER",
          from: gid("City", "chongqing"),
          to: gid("Province", "sichuan"),
          source: gid("Source", "vat-refund-expansion"),
          quote: body.body.split("\n")[1]!.slice(0, 80),
          certainty: "STATED",
        },
      },
    );
    // In the transaction (the answer is read after it), Prisma's lookups by key name their tables
    // "public"."..."; the one statement names them plainly.
    const transaction = statements.slice(
      0,
      statements.findIndex((sql) => sql.includes("COMMIT")),
    );
    const lookups = transaction.filter((sql) =>
      /FROM "public"\."(RelationType|Entity|Source)"|FROM "(RelationType|Source)" [a-z] WHERE/.test(sql),
    );
    expect(lookups, statements.join("\n")).toHaveLength(1);
    expect(lookups[0]).toMatch(
      /"Entity" e WHERE e\.key = ANY.*"Source" s WHERE s\.key = .*"RelationType" t WHERE t\.key = /,
    );
  });
});
