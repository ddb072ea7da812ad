// What the fault tests and `npm run chaos` share: `src/main.ts` instances whose every exit is
// recorded (a fault test's first question is "is the process still there?"), GraphQL requests that
// never throw and never hang (a failure is an answer to count, with its status or network error),
// writes with a bearer token, and graphql-ws subscriptions read with deadlines.
// No vitest import here: bench/chaos.ts runs outside the test runner.
import type { ChildProcess } from "node:child_process";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createToken } from "../../src/auth/tokens.js";
import { openDatabase } from "../../src/db/database.js";
import { startMain, stopMain } from "./processes.js";
import { forget, onProcessExit, recordChild, sweepLeftovers } from "./throwaway-servers.js";

export const gid = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");
export const chongqing = gid("City", "chongqing");
export const seres = gid("Company", "seres");
export const china = gid("Country", "china");
export const yunnan = gid("Province", "yunnan");

// ---------------------------------------------------------------------------------------------------
// Instances

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when it was seen. */
  at: number;
}

export interface Instance {
  readonly label: string;
  /** The GraphQL endpoint, http://127.0.0.1:PORT/graphql. */
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** How it ended, or null while it runs. */
  exit(): Exit | null;
  alive(): boolean;
  output(): string;
  /** Its exit and the lines of its output that say why, for an assertion's message. */
  crashSummary(): string;
  /** Resolves with its exit (null if it is still running after `ms`). */
  waitForExit(ms: number): Promise<Exit | null>;
  /** SIGTERM, then SIGKILL after 10 s (tests/support/processes.ts). */
  stop(): Promise<void>;
}

/** The environment of an instance: ours, minus every setting the test decides (database, Redis, cache). */
export function instanceEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  // One client sends the whole load here: no rate limit, and no access-log line per request.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ENV: "test",
    RATE_LIMIT_PER_MINUTE: "0",
    ACCESS_LOG: "0",
  };
  for (const name of [
    "DATABASE_URL",
    "REDIS_URL",
    "DATA_DIR",
    "RESPONSE_CACHE_TTL",
    "SHUTDOWN_GRACE_MS",
    "REDIS_CHANNEL_PREFIX",
  ])
    delete env[name];
  return { ...env, ...overrides };
}

export async function startInstance(label: string, overrides: Record<string, string>): Promise<Instance> {
  sweepLeftovers();
  const main = await startMain(instanceEnv(overrides), 100_000, { reportExit: false });
  const child = main.child;
  // An instance still running when this process ends (a failed test file, an interrupted chaos run)
  // is killed, not left behind holding a port and connections; if this process is killed outright,
  // the next start sweeps it (tests/support/throwaway-servers.ts).
  const handle = {};
  const dropRecord = recordChild(child.pid!, "src/main.ts");
  onProcessExit(handle, () => {
    child.kill("SIGKILL");
    dropRecord();
  });
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => {
      forget(handle);
      dropRecord();
      exit = { code, signal, at: Date.now() };
      resolve(exit);
    }),
  );
  return {
    label,
    url: main.url,
    pid: child.pid!,
    child,
    exit: () => exit,
    alive: () => exit === null,
    output: main.output,
    crashSummary: () => crashSummary(label, exit, main.output()),
    waitForExit: (ms) => Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]),
    stop: () => stopMain(child),
  };
}

/** "A (pid) exited with 1: <the lines naming the error>", or "A is running". */
export function crashSummary(label: string, exit: Exit | null, output: string): string {
  if (!exit) return `${label} is running`;
  // The error's own lines, not the dump of the pg.Client object Node prints after them.
  // Without the colours Node adds to logged errors, and each line once.
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const lines = [
    ...new Set(
      plain
        .split("\n")
        .filter((line) => /error|Error|Emitted|Unhandled|uncaught|FATAL|code: '/.test(line) && !/^\s{4,}/.test(line)),
    ),
  ].slice(0, 8);
  return `${label} exited with ${exit.code ?? exit.signal}: ${lines.join(" | ") || output.slice(-800)}`;
}

// ---------------------------------------------------------------------------------------------------
// Requests

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: GraphQLError[];
}

export interface Answer {
  /** HTTP status, or null when no response came (refused, reset, timed out). */
  status: number | null;
  /** The JSON body, when the response had one. */
  body: GraphQLBody | null;
  /** The network error's code (ECONNREFUSED, UND_ERR_SOCKET, TIMEOUT, ...) when no response came. */
  failure: string | null;
  /** When it was sent and how long it took (ms). */
  startedAt: number;
  ms: number;
}

export interface RequestOptions {
  token?: string;
  /** Abort after this long (never wait forever on a hung server); 15 s unless given. */
  timeoutMs?: number;
}

/** POSTs one GraphQL request; resolves with what happened, never rejects. */
export async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<Answer> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: GraphQLBody | null = null;
    try {
      body = JSON.parse(text) as GraphQLBody;
    } catch {
      body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: response.status, body, failure: null, startedAt, ms: Date.now() - startedAt };
  } catch (error) {
    return { status: null, body: null, failure: networkFailure(error), startedAt, ms: Date.now() - startedAt };
  }
}

function networkFailure(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "TIMEOUT";
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}

/** 200 with data and no errors (and, for a mutation's result union, no error member). */
export function succeeded(answer: Answer): boolean {
  if (answer.status !== 200 || !answer.body?.data || answer.body.errors?.length) return false;
  return Object.values(answer.body.data).every((value) => !isErrorResult(value));
}

function isErrorResult(value: unknown): boolean {
  const typename = (value as { __typename?: unknown } | null)?.__typename;
  return typeof typename === "string" && /Error$/.test(typename);
}

/** The first error's code, the network failure, or "-". */
export function errorCode(answer: Answer): string {
  return (
    answer.failure ?? answer.body?.errors?.[0]?.extensions?.code ?? (answer.body?.errors?.length ? "(no code)" : "-")
  );
}

/** One line for an assertion's message. */
export function describeAnswer(answer: Answer): string {
  if (answer.status === null) return `no response after ${answer.ms} ms: ${answer.failure}`;
  return `HTTP ${answer.status} after ${answer.ms} ms: ${JSON.stringify(answer.body).slice(0, 400)}`;
}

export interface EndpointAnswer {
  status: number | null;
  /** Parsed JSON when it was JSON, else the text. */
  body: unknown;
  failure: string | null;
}

/** GET `path` (/health, /ready) on the instance's origin; never rejects. */
export async function getEndpoint(url: string, path: string, timeoutMs = 5_000): Promise<EndpointAnswer> {
  try {
    const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text, which the assertion shows.
    }
    return { status: response.status, body, failure: null };
  } catch (error) {
    return { status: null, body: null, failure: networkFailure(error) };
  }
}

/** Polls `probe` until it returns a value; resolves with it and the time taken, or throws saying what was last seen. */
export async function waitUntil<T>(
  label: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${label}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// Queries and writes

/** A read through Prisma and one through the prepared SQL reader: both pools must work. */
export const readQueries = {
  cityByName: `{ city(name: "Chongqing") { id name description } }`,
  provinces: `{ provinces(first: 5) { edges { node { id name } } } }`,
  graphStats: `{ graphStats { entities relationships } }`,
};

/** Requests that keep the server (and PostgreSQL) busy for a while: in flight when a fault or a signal lands. */
export const heavyQueries: { name: string; query: string; variables: Record<string, unknown> }[] = [
  {
    name: "neighborhood depth 3",
    query: `query($id: ID!) { neighborhood(id: $id, depth: 3, limit: 1000) { truncated nodes { id kind label depth } edges { id source target type label } } }`,
    variables: { id: china },
  },
  {
    name: "paths",
    query: `query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxDepth: 6, first: 10) { length steps { label from { name } to { name } } } }`,
    variables: { from: seres, to: yunnan },
  },
  {
    name: "neighborhood depth 3 of Chongqing",
    query: `query($id: ID!) { neighborhood(id: $id, depth: 3, limit: 1000) { truncated nodes { id kind label depth } edges { id source target type label } } }`,
    variables: { id: chongqing },
  },
];

export const updateDescription = `mutation($id: ID!, $description: String) {
  updateEntity(id: $id, input: { description: $description }) { __typename ... on Error { message } ... on UpdateEntitySuccess { changes { id } } }
}`;

/** Sets an entity's description through the API (a mutation that publishes a change event). */
export function describeEntity(
  url: string,
  token: string,
  id: string,
  description: string,
  timeoutMs?: number,
): Promise<Answer> {
  return graphql(url, updateDescription, { id, description }, { token, timeoutMs });
}

/** A bearer token with graph:write, made straight in the database (as `npm run token -- create` does). */
export async function createWriterToken(databaseUrl: string, name: string): Promise<string> {
  const db = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    return (await createToken(db.prisma, name, ["graph:write"])).token;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// graphql-ws subscriptions

export interface ChangeEventPayload {
  id: string;
  operation: string;
  targetKey: string;
  after: { description?: unknown } | null;
}

export interface WsConnection {
  client: Client;
  /** The close events the socket saw (code and reason), in order. */
  closes: { code: number; reason: string }[];
  /** Resolves when the server acknowledges the connection (lazy: after the first subscribe). */
  connected: Promise<void>;
}

export function wsConnection(httpUrl: string, connectionParams?: Record<string, unknown>): WsConnection {
  const closes: { code: number; reason: string }[] = [];
  let onConnected = () => {};
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason ?? "") });
      },
    },
  });
  return { client, closes, connected };
}

/** A subscription's payloads buffered, read with deadlines; `ended` says how the stream stopped. */
export class WsSubscription {
  private readonly buffer: GraphQLBody[] = [];
  private wake: (() => void) | null = null;
  ended: { error: string | null } | null = null;
  private readonly iterator: AsyncIterableIterator<GraphQLBody>;

  constructor(
    readonly label: string,
    connection: WsConnection,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const iterator = connection.client.iterate({ query, variables }) as AsyncIterableIterator<GraphQLBody>;
    this.iterator = iterator;
    void (async () => {
      let error: string | null = null;
      try {
        for await (const payload of iterator) {
          this.buffer.push(payload);
          this.wake?.();
        }
      } catch (failure) {
        // graphql-ws rejects with the socket's CloseEvent, or with the operation's GraphQL errors.
        error = failure instanceof Error ? failure.message : JSON.stringify(failure, ["code", "reason", "message"]);
      } finally {
        this.ended = { error };
        this.wake?.();
      }
    })();
  }

  /** The next payload, or an Error (not thrown) when none comes within `ms` or the stream ends first. */
  async next(ms: number): Promise<GraphQLBody | Error> {
    const deadline = Date.now() + ms;
    while (!this.buffer.length) {
      if (this.ended)
        return new Error(`${this.label}: the stream ended (${this.ended.error ?? "completed"}) before the next event`);
      const left = deadline - Date.now();
      if (left <= 0) return new Error(`${this.label}: no event within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.buffer.shift()!;
  }

  /** The first change event `accept` takes, skipping others; an Error when none comes within `ms`. */
  async nextChange(accept: (event: ChangeEventPayload) => boolean, ms: number): Promise<ChangeEventPayload | Error> {
    const deadline = Date.now() + ms;
    for (;;) {
      const payload = await this.next(Math.max(1, deadline - Date.now()));
      if (payload instanceof Error) return payload;
      if (payload.errors?.length) return new Error(`${this.label}: ${JSON.stringify(payload.errors)}`);
      const event = Object.values(payload.data ?? {})[0] as ChangeEventPayload | undefined;
      if (event && accept(event)) return event;
    }
  }

  /**
   * Repeats `probe` (a write this subscription hears) until an event arrives: from then on the
   * subscription is live (no protocol says when a server has registered it). Returns the time it
   * took, or an Error when it never went live within `ms`.
   */
  async goLive(probe: (attempt: number) => Promise<unknown>, ms: number): Promise<number | Error> {
    const started = Date.now();
    for (let attempt = 1; Date.now() - started < ms; attempt++) {
      await probe(attempt);
      const payload = await this.next(attempt < 5 ? 200 : 500);
      if (!(payload instanceof Error)) return Date.now() - started;
      if (this.ended) return payload;
    }
    return new Error(`${this.label}: no probe event within ${ms} ms; the subscription never went live`);
  }

  close(): void {
    void this.iterator.return?.();
  }
}

export const changeSubscription = `subscription($id: ID!) { entityChanged(id: $id) { id operation targetKey after } }`;
export const isProbe = (event: ChangeEventPayload) =>
  typeof event.after?.description === "string" && event.after.description.startsWith("probe ");
