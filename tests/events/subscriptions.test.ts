// Subscriptions as clients use them: Server-Sent Events through Yoga, graphql-ws against a started
// `src/main.ts`, and (with TEST_DATABASE_URL and Redis) a subscriber on one instance hearing a
// mutation made through another. Every wait has a deadline, so a lost event fails instead of hanging.
//
// A server registers a subscription's listener a moment after the client opens it, and no protocol
// says when (nor does Redis's SUBSCRIBE). So each subscription is first brought live with probes:
// a harmless write repeated until its event arrives. Only then is the write under test made, and its
// event is told apart from late probe events by content and asserted field by field.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createToken } from "../../src/auth/tokens.js";
import { openDatabase } from "../../src/db/database.js";
import { readDefaultBundle } from "../../src/data/geography.js";
import { exampleOperations } from "../../src/examples.js";
import { migrate } from "../../src/db/migrate.js";
import { applySeed } from "../../src/data/seed.js";
import {
  copyToDataDir,
  startTestGraph,
  testDatabaseUrl,
  testRedisUrl,
  type GraphQLResponse,
  type TestGraph,
} from "../support/graph.js";
import { startMain, stopMain, type MainProcess } from "../support/processes.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { gid, resultFields } from "../support/writes.js";

const chongqing = gid("City", "chongqing");
const seres = gid("Company", "seres");
const article = gid("Source", "vat-refund-expansion");

/** What each subscription selects: enough to tell which change it was. */
const changeFields = "id action operation actor targetType targetKey targetId entityKeys before after";

interface ChangeEvent {
  id: string;
  action: string;
  operation: string;
  actor: string;
  targetType: string;
  targetKey: string;
  targetId: string | null;
  entityKeys: string[];
  before: Record<string, any> | null;
  after: Record<string, any> | null;
}

type Payload = GraphQLResponse<Record<string, ChangeEvent>>;

// ---------------------------------------------------------------------------------------------------
// A subscription's payloads, buffered, read with deadlines.

class Subscription {
  private readonly buffer: Payload[] = [];
  private waiter: (() => void) | null = null;
  private ended = false;
  private failure: unknown = null;

  constructor(
    readonly label: string,
    source: AsyncIterable<Payload>,
    private readonly stop: () => void,
  ) {
    void (async () => {
      try {
        for await (const payload of source) {
          this.buffer.push(payload);
          this.waiter?.();
        }
      } catch (error) {
        // graphql-ws rejects with the socket's CloseEvent, or with the GraphQL errors of the operation.
        this.failure = error instanceof Error ? error : JSON.stringify(error, ["code", "reason", "message", "type"]);
      } finally {
        this.ended = true;
        this.waiter?.();
      }
    })();
  }

  /** The next payload; throws when none comes within `ms` or the stream ends first. */
  async next(ms = 10_000): Promise<Payload> {
    const deadline = Date.now() + ms;
    while (!this.buffer.length) {
      if (this.ended)
        throw new Error(
          `${this.label}: the stream ended${this.failure ? `: ${String(this.failure)}` : ""} before the next event`,
        );
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: no event within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.buffer.shift()!;
  }

  /** The next change event (the only field of `data`), skipping events `skip` accepts. */
  async nextChange(skip: (event: ChangeEvent) => boolean = () => false, ms = 10_000): Promise<ChangeEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const payload = await this.next(Math.max(1, deadline - Date.now()));
      expect(payload.errors, `${this.label}: ${JSON.stringify(payload.errors)}`).toBeUndefined();
      const event = Object.values(payload.data ?? {})[0];
      expect(event, `${this.label}: ${JSON.stringify(payload)}`).toBeTruthy();
      if (!skip(event!)) return event!;
    }
  }

  /** Nothing arrives (other than events `skip` accepts) for `ms`. */
  async expectSilence(ms: number, skip: (event: ChangeEvent) => boolean = () => false): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      let payload: Payload;
      try {
        payload = await this.next(Math.max(1, deadline - Date.now()));
      } catch (error) {
        if (String(error).includes("no event within")) return;
        throw error;
      }
      const event = Object.values(payload.data ?? {})[0];
      if (!event || !skip(event)) throw new Error(`${this.label}: expected no event, got ${JSON.stringify(payload)}`);
    }
  }

  /**
   * Repeats `probe` (a write whose event this subscription hears) until an event arrives: from then
   * on the subscription is live. Late events of earlier probes may still follow; `isProbe` skips them.
   */
  async goLive(probe: (attempt: number) => Promise<unknown>, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      await probe(attempt);
      try {
        await this.next(attempt < 5 ? 200 : 500);
        return;
      } catch (error) {
        if (!String(error).includes("no event within")) throw error;
      }
    }
    throw new Error(`${this.label}: no probe event within ${ms} ms; the subscription never went live`);
  }

  close(): void {
    this.stop();
  }
}

/** Parses a text/event-stream body into the `data` of its `next` events; ends at `complete`. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<Payload> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const lines = block.split("\n");
        const event = lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim();
        const data = lines
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (event === "complete") return;
        if (event === "next" || (!event && data)) yield JSON.parse(data) as Payload;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Opens a subscription over SSE, as `EventSource`-style clients do: POST, Accept: text/event-stream. */
async function subscribeSse(
  fetchFn: Fetch,
  url: string,
  label: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription> {
  const controller = new AbortController();
  const response = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const stream = serverSentEvents(response.body!);
  return new Subscription(label, stream, () => {
    controller.abort();
    void response.body?.cancel().catch(() => undefined);
  });
}

/** Opens a subscription over graphql-ws. */
function subscribeWs(
  client: Client,
  label: string,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription {
  const iterator = client.iterate({ query, variables });
  return new Subscription(label, iterator as AsyncIterable<Payload>, () => void iterator.return?.());
}

// ---------------------------------------------------------------------------------------------------
// Writes, over HTTP (yoga.fetch or a started server).

async function post(
  fetchFn: Fetch,
  url: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse> {
  const response = await fetchFn(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

/** Runs a mutation and returns its success result; any error (GraphQL or in the union) fails. */
async function write(
  fetchFn: Fetch,
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  success: string,
): Promise<Record<string, any>> {
  const response = await post(fetchFn, url, token, query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const result = Object.values(response.data!)[0] as Record<string, any>;
  expect(result.__typename, JSON.stringify(result)).toBe(success);
  return result;
}

const updateEntityMutation = `mutation($id: ID!, $description: String) {
  updateEntity(id: $id, input: { description: $description }) { ${resultFields} ... on UpdateEntitySuccess { changes { id } } }
}`;

function describeEntity(
  fetchFn: Fetch,
  url: string,
  token: string,
  id: string,
  description: string,
): Promise<Record<string, any>> {
  return write(fetchFn, url, token, updateEntityMutation, { id, description }, "UpdateEntitySuccess");
}

const isProbe = (event: ChangeEvent) =>
  typeof event.after?.description === "string" && event.after.description.startsWith("probe ");
const isRelationshipProbe = (event: ChangeEvent) =>
  typeof event.after?.note === "string" && event.after.note.startsWith("probe ");

/** The one change a mutation recorded, as its subscription event must name it. */
function onlyChange(result: Record<string, any>): string {
  expect(result.changes).toHaveLength(1);
  return result.changes[0].id;
}

// ---------------------------------------------------------------------------------------------------
// Server processes.

const children: ChildProcess[] = [];

/** `src/main.ts` on these settings, quiet on the cache so every request reaches the graph. */
async function startServer(env: Record<string, string>): Promise<MainProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "test",
    RESPONSE_CACHE_TTL: "0",
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.REDIS_URL) delete childEnv.REDIS_URL;
  const server = await startMain(childEnv);
  children.push(server.child);
  return server;
}

afterAll(async () => {
  await Promise.all(children.map(stopMain));
});

const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, "ws");

function wsClient(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
  });
}

// ---------------------------------------------------------------------------------------------------
// a) Server-Sent Events through Yoga.

describe("over Server-Sent Events", () => {
  let graph: TestGraph;
  let token: string;
  let quote: string;
  let vatRelationship: string;
  const url = "http://graph.test/graphql";
  const yogaFetch: Fetch = async (input, init) => graph.yoga.fetch(input, init);
  const open: Subscription[] = [];
  const sse = async (label: string, query: string, variables?: Record<string, unknown>) => {
    const subscription = await subscribeSse(yogaFetch, url, label, query, variables);
    open.push(subscription);
    return subscription;
  };

  beforeAll(async () => {
    graph = await startTestGraph();
    token = await graph.token(["graph:write"], "subscriber-tests");
    const { data } = await graph.query<{
      source: { body: string };
      city: { relationships: { edges: { node: { id: string } }[] } };
    }>(
      `{ source(key: "vat-refund-expansion") { body } city(name: "Chongqing") { relationships(type: "VAT_REFUND_PARTNER", first: 1) { edges { node { id } } } } }`,
    );
    quote = data!.source.body.split("\n")[1]!.slice(0, 80);
    vatRelationship = data!.city.relationships.edges[0]!.node.id;
  });
  afterAll(async () => {
    for (const subscription of open) subscription.close();
    await graph?.close();
  });

  it("entityChanged(id: Chongqing) hears an updateEntity on Chongqing, with the change's details", async () => {
    const subscription = await sse(
      "entityChanged(Chongqing)",
      `subscription($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`,
      { id: chongqing },
    );
    await subscription.goLive((n) => describeEntity(yogaFetch, url, token, chongqing, `probe ${n}`));

    const result = await describeEntity(yogaFetch, url, token, chongqing, "Municipality on the upper Yangtze");
    const event = await subscription.nextChange(isProbe);
    expect(event).toMatchObject({
      id: onlyChange(result),
      action: "UPDATE",
      operation: "updateEntity",
      actor: "subscriber-tests",
      targetType: "Entity",
      targetKey: "chongqing",
      targetId: chongqing,
      entityKeys: ["chongqing"],
    });
    expect(event.before!.description).toMatch(/^probe \d+$/);
    expect(event.after).toMatchObject({
      key: "chongqing",
      kind: "CITY",
      name: "Chongqing",
      description: "Municipality on the upper Yangtze",
    });
  });

  it("entityChanged does not hear changes to other entities", async () => {
    const subscription = await sse(
      "entityChanged(Chongqing) #2",
      `subscription($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`,
      { id: chongqing },
    );
    await subscription.goLive((n) => describeEntity(yogaFetch, url, token, chongqing, `probe ${n}`));
    await describeEntity(yogaFetch, url, token, seres, "Carmaker, not Chongqing");
    const result = await describeEntity(yogaFetch, url, token, chongqing, "Chongqing again");
    // The first event after Seres's change is Chongqing's: Seres's never came.
    expect(await subscription.nextChange(isProbe)).toMatchObject({ id: onlyChange(result), targetKey: "chongqing" });
  });

  it("graphChanged(kinds: [COMPANY]) hears a company's change and not a city's", async () => {
    const companies = await sse(
      "graphChanged(COMPANY)",
      `subscription { graphChanged(kinds: [COMPANY]) { ${changeFields} } }`,
    );
    const everything = await sse("graphChanged", `subscription { graphChanged { ${changeFields} } }`);
    // Both are live once each has heard a probe (a change to Seres reaches both).
    const probe = (n: number) => describeEntity(yogaFetch, url, token, seres, `probe ${n}`);
    await companies.goLive(probe);
    await everything.goLive(probe);

    const cityChange = await describeEntity(
      yogaFetch,
      url,
      token,
      chongqing,
      "A city change no company subscriber hears",
    );
    const companyChange = await describeEntity(yogaFetch, url, token, seres, "Maker of AITO cars");

    const heard = await companies.nextChange(isProbe);
    expect(heard).toMatchObject({
      id: onlyChange(companyChange),
      action: "UPDATE",
      targetType: "Entity",
      targetKey: "seres",
      targetId: seres,
    });
    expect(heard.after).toMatchObject({ kind: "COMPANY", description: "Maker of AITO cars" });

    // The unfiltered subscription proves the city's change was published, in order: the filter dropped it.
    expect(await everything.nextChange(isProbe)).toMatchObject({ id: onlyChange(cityChange), targetKey: "chongqing" });
    expect(await everything.nextChange(isProbe)).toMatchObject({ id: onlyChange(companyChange), targetKey: "seres" });
    await companies.expectSilence(300, isProbe);
  });

  it("relationshipsChanged(entityId: Chongqing) hears a createRelationship touching Chongqing", async () => {
    const subscription = await sse(
      "relationshipsChanged(Chongqing)",
      `subscription($id: ID!) { relationshipsChanged(entityId: $id) { ${changeFields} } }`,
      { id: chongqing },
    );
    await subscription.goLive((n) =>
      write(
        yogaFetch,
        url,
        token,
        `mutation($id: ID!, $note: String) { updateRelationship(id: $id, input: { note: $note }) { ${resultFields} } }`,
        { id: vatRelationship, note: `probe ${n}` },
        "UpdateRelationshipSuccess",
      ),
    );
    // An entity change is not a relationship change: it must not reach this subscription.
    await describeEntity(yogaFetch, url, token, chongqing, "Not a relationship change");

    const created = await write(
      yogaFetch,
      url,
      token,
      `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} ... on CreateRelationshipSuccess { relationship { id } changes { id } } } }`,
      {
        input: {
          type: "TWIN_CITY_OF",
          from: gid("Province", "gansu"),
          to: chongqing,
          source: article,
          quote,
          certainty: "INFERRED",
          validFrom: "2025-07",
          note: "subscription test",
        },
      },
      "CreateRelationshipSuccess",
    );
    const event = await subscription.nextChange(isRelationshipProbe);
    expect(event).toMatchObject({
      id: onlyChange(created),
      action: "CREATE",
      operation: "createRelationship",
      actor: "subscriber-tests",
      targetType: "Relationship",
      targetKey: "TWIN_CITY_OF:gansu:chongqing:vat-refund-expansion",
      targetId: created.relationship.id,
      before: null,
    });
    expect([...event.entityKeys].sort()).toEqual(["chongqing", "gansu"]);
    expect(event.after).toMatchObject({ type: "TWIN_CITY_OF", validFrom: "2025-07", note: "subscription test", quote });
  });

  // d) Bad input: a coded GraphQL error on the stream, then the end of it; never an internal error.
  describe("bad input", () => {
    const cases: [string, string, Record<string, unknown>, string, RegExp][] = [
      [
        "a malformed id",
        `subscription($id: ID!) { entityChanged(id: $id) { id } }`,
        { id: "not-an-id" },
        "INVALID_ID",
        /not a valid id/,
      ],
      [
        "the id of a source, not an entity",
        `subscription($id: ID!) { entityChanged(id: $id) { id } }`,
        { id: article },
        "INVALID_ID",
        /must be the id of an entity, not of a Source/,
      ],
      [
        "a well-formed id of nothing",
        `subscription($id: ID!) { relationshipsChanged(entityId: $id) { id } }`,
        { id: gid("City", "atlantis") },
        "NOT_FOUND",
        /No entity has the id given as "entityId"/,
      ],
      [
        "a malformed entityId",
        `subscription($id: ID!) { relationshipsChanged(entityId: $id) { id } }`,
        { id: "%%%" },
        "INVALID_ID",
        /not a valid id/,
      ],
      [
        "an unknown kind",
        `subscription { graphChanged(kinds: [TOWN]) { id } }`,
        {},
        "GRAPHQL_VALIDATION_FAILED",
        /TOWN/,
      ],
    ];
    for (const [name, query, variables, code, message] of cases) {
      it(`${name}: ${code}`, async () => {
        const subscription = await sse(name, query, variables);
        const payload = await subscription.next(5_000);
        expect(payload.data ?? null).toBeNull();
        expect(payload.errors).toHaveLength(1);
        expect(payload.errors![0]!.extensions?.code).toBe(code);
        expect(payload.errors![0]!.message).toMatch(message);
        expect(payload.errors![0]!.message).not.toMatch(/unexpected error/i);
        // The stream then ends: nothing more is coming.
        await expect(subscription.next(2_000)).rejects.toThrow(/stream ended/);
      });
    }
  });

  it("GraphiQL's CompanyChanges tab hears what its CreateCompany tab writes, once a token is set", async () => {
    const example = (operation: string) => exampleOperations.find((e) => e.operation === operation)!.query;
    const companies = await sse("CompanyChanges example", example("subscription"));
    await companies.goLive((n) => describeEntity(yogaFetch, url, token, seres, `probe ${n}`));

    const refused = await post(yogaFetch, url, undefined, example("mutation"));
    expect(refused.data?.createEntity).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    const result = await write(yogaFetch, url, token, example("mutation"), {}, "CreateEntitySuccess");
    expect(result.entity).toMatchObject({ key: "changan-automobile", name: "Changan Automobile", nameZh: "长安汽车" });
    expect(await companies.nextChange(isProbe)).toMatchObject({
      id: onlyChange(result),
      operation: "createEntity",
      action: "CREATE",
      targetKey: "changan-automobile",
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// b) graphql-ws against `src/main.ts` (embedded PGlite in a temporary folder).

describe("over graphql-ws, against src/main.ts", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "graph-subscriptions-"));
  let server: MainProcess;
  let token: string;
  let client: Client;
  const open: Subscription[] = [];

  beforeAll(async () => {
    // The run's seeded copy, so the server does not seed the folder on its first start (seconds); PGlite
    // allows one process at a time: the token is made before the server opens the folder.
    await copyToDataDir(dataDir, { seed: true });
    const db = await openDatabase({ dataDir });
    try {
      token = (await createToken(db.prisma, "ws-writer", ["graph:write"])).token;
    } finally {
      await db.close();
    }
    server = await startServer({ DATA_DIR: dataDir });
    client = wsClient(server.url);
  });
  afterAll(async () => {
    for (const subscription of open) subscription.close();
    await client?.dispose();
    if (server) await stopMain(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("an entityChanged subscriber hears a mutation made over HTTP, its fields in the order it asked", async () => {
    // `revertedBy` is read from the database, after the fields beside it: an executor that orders an
    // answer by when its fields resolve (@graphql-tools/executor 2.0.1, the last release for Node 20)
    // would send it last.
    const subscription = subscribeWs(
      client,
      "ws entityChanged(Chongqing)",
      `subscription($id: ID!) { entityChanged(id: $id) { revertedBy { id } ${changeFields} } }`,
      { id: chongqing },
    );
    open.push(subscription);
    await subscription.goLive((n) => describeEntity(fetch, server.url, token, chongqing, `probe ${n}`));

    const result = await describeEntity(fetch, server.url, token, chongqing, "Heard over a WebSocket");
    const event = await subscription.nextChange(isProbe);
    expect(event).toMatchObject({
      id: onlyChange(result),
      action: "UPDATE",
      operation: "updateEntity",
      actor: "ws-writer",
      targetKey: "chongqing",
      targetId: chongqing,
    });
    expect(event.after).toMatchObject({ key: "chongqing", description: "Heard over a WebSocket" });
    expect(Object.keys(event)).toEqual(["revertedBy", ...changeFields.split(" ")]);
  });

  it("graphChanged(kinds: [COMPANY]) over graphql-ws skips a city's change", async () => {
    const subscription = subscribeWs(
      client,
      "ws graphChanged(COMPANY)",
      `subscription { graphChanged(kinds: [COMPANY]) { ${changeFields} } }`,
    );
    open.push(subscription);
    await subscription.goLive((n) => describeEntity(fetch, server.url, token, seres, `probe ${n}`));
    await describeEntity(fetch, server.url, token, chongqing, "Not for company subscribers");
    const result = await describeEntity(fetch, server.url, token, seres, "Heard by company subscribers");
    expect(await subscription.nextChange(isProbe)).toMatchObject({ id: onlyChange(result), targetKey: "seres" });
  });

  it("a malformed id is a coded error over graphql-ws too", async () => {
    const subscription = subscribeWs(client, "ws bad id", `subscription { entityChanged(id: "not-an-id") { id } }`);
    open.push(subscription);
    const payload = await subscription.next(5_000);
    expect(payload.errors?.[0]?.extensions?.code, JSON.stringify(payload)).toBe("INVALID_ID");
    expect(payload.errors?.[0]?.message).toMatch(/not a valid id/);
  });

  it("variables holding a NUL character are refused over graphql-ws too, before anything runs", async () => {
    const iterator = client.iterate({
      query: `subscription($id: ID!) { entityChanged(id: $id) { id } }`,
      variables: { id: "a\u0000b" },
    });
    const refusal = await iterator.next().then(
      (result) => result,
      (errors: unknown) => errors,
    );
    expect(JSON.stringify(refusal)).toMatch(/NUL character \(U\+0000\).*BAD_USER_INPUT/);
  });

  it("mutations over graphql-ws take the token from the connection params", async () => {
    const mutation = `mutation { updateEntity(id: "${seres}", input: { description: "Written over a WebSocket" }) { __typename ... on ForbiddenError { reason } } }`;
    const anonymous = wsClient(server.url);
    const authorised = wsClient(server.url, { authorization: `Bearer ${token}` });
    try {
      const refused = subscribeWs(anonymous, "ws anonymous mutation", mutation);
      expect((await refused.next(10_000)).data).toEqual({
        updateEntity: { __typename: "ForbiddenError", reason: "MISSING_TOKEN" },
      });
      const accepted = subscribeWs(authorised, "ws authorised mutation", mutation);
      expect((await accepted.next(10_000)).data).toEqual({ updateEntity: { __typename: "UpdateEntitySuccess" } });
    } finally {
      await Promise.all([anonymous.dispose(), authorised.dispose()]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// c) Several instances on one PostgreSQL, their events shared through Redis.

describe.skipIf(!testDatabaseUrl || !testRedisUrl)(
  "across instances (PostgreSQL + Redis; skipped without TEST_DATABASE_URL or Redis)",
  () => {
    let scratch: ScratchDatabase | undefined;
    const prefix = `test-subs-${randomUUID()}:`;
    let databaseUrl: string;
    let token: string;
    let a: MainProcess;
    let b: MainProcess;
    let loner: MainProcess;
    let client: Client;
    const open: Subscription[] = [];

    beforeAll(async () => {
      scratch = await createScratchDatabase(testDatabaseUrl!, "graph_subs");
      databaseUrl = scratch.url;

      const db = await openDatabase({ databaseUrl });
      try {
        await migrate(db);
        await applySeed(db.prisma, await readDefaultBundle());
        token = (await createToken(db.prisma, "instance-writer", ["graph:write"])).token;
      } finally {
        await db.close();
      }
      const shared = { DATABASE_URL: databaseUrl, REDIS_URL: testRedisUrl!, REDIS_CHANNEL_PREFIX: prefix };
      // A third instance on the same database and Redis, but another channel prefix: a separate deployment.
      [a, b, loner] = await Promise.all([
        startServer(shared),
        startServer(shared),
        startServer({ ...shared, REDIS_CHANNEL_PREFIX: `${prefix}other:` }),
      ]);
      for (const instance of [a, b, loner]) expect(instance.output()).toContain("Change events: Redis at");
      client = wsClient(a.url);
    });

    afterAll(async () => {
      for (const subscription of open) subscription.close();
      await client?.dispose();
      await Promise.all([a, b, loner].filter(Boolean).map((instance) => stopMain(instance.child)));
      await scratch?.drop();
    });

    it("a subscriber on instance A hears a mutation made through instance B (graphql-ws and SSE)", async () => {
      const overWs = subscribeWs(
        client,
        "A ws entityChanged(Chongqing)",
        `subscription($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`,
        { id: chongqing },
      );
      const overSse = await subscribeSse(
        fetch,
        a.url,
        "A sse graphChanged(CITY)",
        `subscription { graphChanged(kinds: [CITY]) { ${changeFields} } }`,
      );
      open.push(overWs, overSse);
      // Probes go through B only: an event on A can only have come through Redis.
      const probe = (n: number) => describeEntity(fetch, b.url, token, chongqing, `probe ${n}`);
      await overWs.goLive(probe);
      await overSse.goLive(probe);

      const result = await describeEntity(fetch, b.url, token, chongqing, "Written through B, heard on A");
      const expected = {
        id: onlyChange(result),
        action: "UPDATE",
        operation: "updateEntity",
        actor: "instance-writer",
        targetKey: "chongqing",
        targetId: chongqing,
      };
      for (const subscription of [overWs, overSse]) {
        const event = await subscription.nextChange(isProbe);
        expect(event).toMatchObject(expected);
        expect(event.after).toMatchObject({ description: "Written through B, heard on A" });
      }
    });

    it("an instance on another channel prefix does not hear them", async () => {
      const subscription = await subscribeSse(
        fetch,
        loner.url,
        "loner entityChanged(Chongqing)",
        `subscription($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`,
        { id: chongqing },
      );
      open.push(subscription);
      // It is live (it hears writes made through itself)...
      await subscription.goLive((n) => describeEntity(fetch, loner.url, token, chongqing, `probe ${n}`));
      // ...but not B's, which A hears.
      const onA = await subscribeSse(
        fetch,
        a.url,
        "A entityChanged(Chongqing) #2",
        `subscription($id: ID!) { entityChanged(id: $id) { ${changeFields} } }`,
        { id: chongqing },
      );
      open.push(onA);
      await onA.goLive((n) => describeEntity(fetch, b.url, token, chongqing, `probe ${n}`));
      const result = await describeEntity(fetch, b.url, token, chongqing, "Only this deployment hears this");
      expect(await onA.nextChange(isProbe)).toMatchObject({ id: onlyChange(result) });
      await subscription.expectSilence(1_500, isProbe);
    });
  },
);
