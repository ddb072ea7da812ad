// The response cache serves repeated queries without touching the database, and never serves an
// answer from before a write after it: on one instance at once, across instances (Redis) as soon
// as the change event arrives.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../../src/server.js";
import { createGraphEvents } from "../../src/events/pubsub.js";
import { connectRedis, type SharedRedis } from "../../src/db/redis.js";
import { startTestGraph, testRedisUrl, type TestGraph } from "../support/graph.js";
import { gid, mutate, resultFields } from "../support/writes.js";

const chongqing = gid("City", "chongqing");
const describeQuery = /* GraphQL */ `query Describe($id: ID!) { node(id: $id) { ... on City { name description relationships(first: 3) { totalCount } } } }`;
const renameMutation = /* GraphQL */ `mutation($id: ID!, $description: String!) {
  updateEntity(id: $id, input: { description: $description }) { ${resultFields} }
}`;

describe("response cache, one instance", () => {
  let graph: TestGraph;
  let token: string;

  beforeAll(async () => {
    graph = await startTestGraph({ server: { responseCache: { ttlSeconds: 60 } } });
    token = await graph.token(["graph:write"]);
  });
  afterAll(() => graph.close());

  it("answers a repeated query from the cache, without SQL", async () => {
    graph.resetStatements();
    const first = await graph.query(describeQuery, { id: chongqing });
    expect(first.errors).toBeUndefined();
    expect(first.data?.node.name).toBe("Chongqing");
    expect(graph.statements.length).toBeGreaterThan(0);

    graph.resetStatements();
    const second = await graph.query(describeQuery, { id: chongqing });
    expect(second.data).toEqual(first.data);
    expect(graph.statements).toEqual([]);
  });

  it("keys on the variables: another entity is read from the database", async () => {
    await graph.query(describeQuery, { id: chongqing });
    graph.resetStatements();
    const other = await graph.query(describeQuery, { id: gid("City", "hefei") });
    expect(other.data?.node.name).toBe("Hefei");
    expect(graph.statements.length).toBeGreaterThan(0);
  });

  it("serves the new answer right after a mutation, whatever the query read", async () => {
    const before = await graph.query(describeQuery, { id: chongqing });
    const stats = /* GraphQL */ `{ graphStats { entities relationships } }`;
    const statsBefore = await graph.query(stats);

    const description = `Cached-then-changed ${randomUUID()}`;
    expect((await mutate(graph, token, renameMutation, { id: chongqing, description })).__typename).toBe(
      "UpdateEntitySuccess",
    );
    graph.resetStatements();
    const after = await graph.query(describeQuery, { id: chongqing });
    expect(after.data?.node.description).toBe(description);
    expect(after.data?.node.description).not.toBe(before.data?.node.description);
    expect(graph.statements.length).toBeGreaterThan(0);

    // A new relationship changes an aggregate no entity id in the cached answer points to.
    const created = await mutate(
      graph,
      token,
      /* GraphQL */ `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} } }`,
      {
        input: {
          type: "TWIN_CITY_OF",
          from: chongqing,
          to: gid("City", "hefei"),
          source: gid("Source", "ref-admin-divisions"),
          quote: "Twinned for the cache test.",
          certainty: "INFERRED",
        },
      },
    );
    expect(created.__typename, created.message).toBe("CreateRelationshipSuccess");
    const statsAfter = await graph.query(stats);
    expect(statsAfter.data?.graphStats.relationships).toBe(statsBefore.data?.graphStats.relationships + 1);
  });

  it("does not cache mutations or refused writes", async () => {
    const description = `Twice ${randomUUID()}`;
    const refused = await mutate(graph, undefined, renameMutation, { id: chongqing, description });
    expect(refused.__typename).toBe("ForbiddenError");
    const accepted = await mutate(graph, token, renameMutation, { id: chongqing, description });
    expect(accepted.__typename).toBe("UpdateEntitySuccess");
  });
});

describe.skipIf(!testRedisUrl)(
  "response cache shared through Redis by two instances (runs where Redis answers: the PostgreSQL pass, or TEST_REDIS_URL)",
  () => {
    let graph: TestGraph;
    let token: string;
    const prefix = `test-${randomUUID().slice(0, 8)}:`;
    const connections: SharedRedis[] = [];
    // Each instance with its own connections, as separate processes would have. No version polling:
    // its reads would count as the statements these tests expect none of.
    const instance = async () => {
      const redis = connectRedis(testRedisUrl!, prefix);
      connections.push(redis);
      await redis.ready(5_000);
      return { pubSub: createGraphEvents(redis), redis, responseCache: { ttlSeconds: 60, versionPollMs: 0 } };
    };

    beforeAll(async () => {
      graph = await startTestGraph({ server: await instance() });
      token = await graph.token(["graph:write"]);
    });
    afterAll(async () => {
      await graph.close();
      await Promise.all(connections.map((redis) => redis.close()));
    });

    async function secondInstance() {
      const yoga = createServer(graph.db, await instance());
      const query = async (query: string, variables: Record<string, unknown>, authorization?: string) => {
        const response = await yoga.fetch("http://graph.test/graphql", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(authorization ? { authorization: `Bearer ${authorization}` } : {}),
          },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: any; errors?: unknown[] };
      };
      // A starting instance reads the graph's version once; that read is not serving an answer.
      expect((await query("{ __typename }", {})).data).toEqual({ __typename: "Query" });
      return { yoga, query };
    }

    it("an answer cached by one instance is served by the other without SQL", async () => {
      const b = await secondInstance();
      try {
        const id = gid("Province", "sichuan");
        const fromA = await graph.query(describeQuery.replace("... on City", "... on Province"), { id });
        expect(fromA.data?.node.name).toBe("Sichuan");
        graph.resetStatements();
        const fromB = await b.query(describeQuery.replace("... on City", "... on Province"), { id });
        expect(fromB.data).toEqual(fromA.data);
        expect(graph.statements).toEqual([]);
      } finally {
        await b.yoga.dispose();
      }
    });

    it("a mutation through one instance invalidates the other's answers", async () => {
      const b = await secondInstance();
      try {
        const cached = await graph.query(describeQuery, { id: chongqing });
        expect((await b.query(describeQuery, { id: chongqing })).data).toEqual(cached.data);

        const description = `Changed through B ${randomUUID()}`;
        const result = await b.query(renameMutation, { id: chongqing, description }, token);
        expect(result.data?.updateEntity.__typename).toBe("UpdateEntitySuccess");
        // B answers anew at once; A as soon as the change event crosses Redis.
        expect((await b.query(describeQuery, { id: chongqing })).data?.node.description).toBe(description);
        await expect
          .poll(async () => (await graph.query(describeQuery, { id: chongqing })).data?.node.description, {
            timeout: 5000,
            interval: 50,
          })
          .toBe(description);
      } finally {
        await b.yoga.dispose();
      }
    });
  },
);
