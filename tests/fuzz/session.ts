// A fuzzing session: the seeded graph on PGlite and, when given a PostgreSQL server, the same graph
// there; the request generator fed by what the graph holds; and one step that sends a request to the
// databases asked, checks each answer, compares them, and keeps the numbers the summary prints.
import type fc from "fast-check";
import { Kind, parse } from "graphql";
import { schema } from "../../src/schema/index.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { Checker, differences, type Problem, type RequestClass } from "./check.js";
import { DocumentArbitraries, type DocumentOptions, type FuzzRequest } from "./documents.js";
import { readPools } from "./pools.js";
import { send, type Answer } from "./send.js";

export interface Outcome {
  request: FuzzRequest;
  class: RequestClass;
  answers: { database: string; answer: Answer }[];
  /** Each is a failure. */
  problems: Problem[];
  /** What the servers logged while answering. */
  logged: string[];
}

export interface Stats {
  runs: number;
  failures: number;
  classes: Record<string, number>;
  flaws: Record<string, number>;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  slowest: { ms: number; database: string; request: FuzzRequest }[];
  /** Requests that made a server log an error or a warning. */
  logging: number;
}

// What a write would change; compared before and after, since requests go without a token.
const fingerprintQuery = `{
  graphStats { entities relationships entitiesByKind { key count } relationshipsByType { key count } }
  changes(first: 1) { totalCount }
  sources(first: 0) { totalCount }
  indicators(first: 0) { totalCount }
  rankings(first: 0) { totalCount }
}`;

export class FuzzSession {
  readonly stats: Stats = {
    runs: 0,
    failures: 0,
    classes: {},
    flaws: {},
    statuses: {},
    codes: {},
    slowest: [],
    logging: 0,
  };
  private readonly log = new CapturedLog();
  /** PGlite's answers by request, so a second pass with the same seed compares without asking again. */
  private readonly remembered = new Map<string, Answer>();

  private constructor(
    readonly pglite: TestGraph,
    readonly postgres: TestGraph | null,
    readonly requests: fc.Arbitrary<FuzzRequest>,
    private readonly checker: Checker,
    private readonly fingerprint: unknown,
  ) {}

  static async open(options: { postgresUrl: string | null; documents?: DocumentOptions }): Promise<FuzzSession> {
    const [pglite, postgres] = await Promise.all([
      startTestGraph({ postgresUrl: null }),
      options.postgresUrl ? startTestGraph({ postgresUrl: options.postgresUrl }) : null,
    ]);
    const read = async (query: string, variables?: Record<string, unknown>) => {
      const response = await pglite.query(query, variables);
      if (response.errors || !response.data)
        throw new Error(`The fuzzer's own query failed: ${JSON.stringify(response.errors)}`);
      return response.data;
    };
    const pools = await readPools(read);
    const absentFromNames = ["%", "_", "\\"].filter((char) => !pools.names.some((name) => name.includes(char)));
    const requests = new DocumentArbitraries(schema, pools, options.documents).request();
    return new FuzzSession(
      pglite,
      postgres,
      requests,
      new Checker(schema, absentFromNames),
      await read(fingerprintQuery),
    );
  }

  /** Sends the request to PGlite, and to PostgreSQL too when `compare`; checks and compares the answers. */
  async run(request: FuzzRequest, { compare = false, record = true } = {}): Promise<Outcome> {
    const outcome: Outcome = { request, class: this.checker.classify(request), answers: [], problems: [], logged: [] };
    // A document of several operations is first asked for each of its other operations: a server that
    // caches compiled documents without the operation's name answers later requests with the first's.
    for (const asked of [...otherOperations(request), request]) {
      const label = asked === request ? "" : ` (operationName ${asked.operationName})`;
      const key = JSON.stringify(asked);
      const [pglite, postgres] = await Promise.all([
        this.remembered.get(key) ?? send(this.pglite.yoga, asked),
        compare && this.postgres ? send(this.postgres.yoga, asked) : null,
      ]);
      // A pass is a few hundred requests; a longer run would only fill memory.
      if (this.remembered.size < 2_000) this.remembered.set(key, pglite);
      const answers = [
        { database: `pglite${label}`, answer: pglite },
        ...(postgres ? [{ database: `postgres${label}`, answer: postgres }] : []),
      ];
      outcome.answers.push(...answers);
      const found = answers.flatMap(({ database, answer }) =>
        this.checker
          .problemsOf(asked, answer)
          .map((problem) => ({ ...problem, detail: `${database}: ${problem.detail}` })),
      );
      if (postgres)
        found.push(
          ...differences(pglite, postgres).map((problem) => ({ ...problem, detail: `${problem.detail}${label}` })),
        );
      outcome.problems.push(...found);
    }
    outcome.logged = this.log.drain();
    if (record) this.record(outcome);
    return outcome;
  }

  /** Problems if the graph differs from how the session found it: a request wrote something. */
  async writesSinceStart(): Promise<string[]> {
    const graphs = [this.pglite, ...(this.postgres ? [this.postgres] : [])];
    const now = await Promise.all(graphs.map((graph) => graph.query(fingerprintQuery)));
    return now.flatMap((response, i) =>
      JSON.stringify(response.data) === JSON.stringify(this.fingerprint)
        ? []
        : [`graph ${i} changed: ${JSON.stringify(response.data)}`],
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.pglite.close(), this.postgres?.close()]);
    this.log.restore();
  }

  private record(outcome: Outcome): void {
    const { stats } = this;
    stats.runs++;
    if (outcome.problems.length) stats.failures++;
    if (outcome.logged.length) stats.logging++;
    count(stats.classes, outcome.class);
    count(stats.flaws, outcome.request.flaw ?? "none");
    for (const { database, answer } of outcome.answers) {
      count(stats.statuses, String(answer.status));
      const errors = (answer.body as { errors?: { extensions?: { code?: unknown } }[] } | undefined)?.errors;
      for (const error of Array.isArray(errors) ? errors : []) count(stats.codes, String(error.extensions?.code));
      stats.slowest.push({ ms: answer.ms, database, request: outcome.request });
    }
    stats.slowest.sort((a, b) => b.ms - a.ms).splice(5);
  }
}

/** The request once for each other named operation of its document (none for a single operation). */
function otherOperations(request: FuzzRequest): FuzzRequest[] {
  if (request.transport === "raw") return [];
  let names: string[];
  try {
    names = parse(request.query).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
    );
  } catch {
    return [];
  }
  if (names.length < 2) return [];
  return names.filter((name) => name !== request.operationName).map((operationName) => ({ ...request, operationName }));
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** A request as a person would replay it: the document, then what goes with it. */
export function describeRequest(request: FuzzRequest): string {
  if (request.transport === "raw")
    return `POST ${request.contentType} body: ${JSON.stringify(request.body).slice(0, 500)}`;
  const lines = [
    `${request.transport.toUpperCase()}${request.flaw ? ` (flaw: ${request.flaw})` : ""}`,
    request.query.slice(0, 4_000),
  ];
  if (Object.keys(request.variables).length)
    lines.push(`variables: ${JSON.stringify(request.variables).slice(0, 2_000)}`);
  if (request.operationName) lines.push(`operationName: ${request.operationName}`);
  return lines.join("\n");
}

/** The failure as one readable message: request, problems, answers. */
export function describeFailure(outcome: Outcome): string {
  return [
    describeRequest(outcome.request),
    ...outcome.problems.map((problem) => `PROBLEM ${problem.kind}: ${problem.detail}`),
    ...outcome.answers.map(
      ({ database, answer }) => `${database} answered HTTP ${answer.status}: ${answer.text.slice(0, 800)}`,
    ),
    // Errors before warnings (graphql-jit warns about literals it will not compile, say).
    ...[...outcome.logged]
      .sort((a, b) => Number(b.includes("ERR")) - Number(a.includes("ERR")))
      .slice(0, 2)
      .map((line) => `server logged: ${line.slice(0, 1_500)}`),
  ].join("\n");
}

/**
 * The servers' error and warning lines (Yoga logs each error it masks or recodes, with its stack),
 * kept per request instead of printed: thousands of requests would bury the failures, and a failure's
 * own lines are shown with it.
 */
class CapturedLog {
  private lines: string[] = [];
  private readonly original = { error: console.error, warn: console.warn };

  constructor() {
    const keep = (...args: unknown[]) =>
      void this.lines.push(args.map((arg) => (arg instanceof Error ? arg.stack : String(arg))).join(" "));
    console.error = keep;
    console.warn = keep;
  }

  drain(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }

  restore(): void {
    Object.assign(console, this.original);
  }
}
