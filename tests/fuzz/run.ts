// `npm run fuzz`: the fuzzer for longer than the test suite affords (FUZZ_RUNS, 10,000 by default),
// against PGlite and, when one answers, a PostgreSQL server, every request to both. It keeps going past
// failures to count them, then replays the first of each kind with fast-check to shrink it, and prints
// the smallest request that still fails with the seed and path that replay it.
//
//   FUZZ_RUNS=10000 FUZZ_SEED=17 npm run fuzz
//   FUZZ_SEED=17 FUZZ_PATH=4521 npm run fuzz      # replay (and shrink) one case
//   TEST_DATABASE_URL=postgresql://...            # the PostgreSQL server (127.0.0.1:5432/test when unset)
import fc from "fast-check";
import { parse } from "graphql";
import pg from "pg";
import { describeFailure, describeRequest, FuzzSession, type Outcome, type Stats } from "./session.js";

process.env.NODE_ENV ??= "test";
// PGlite reads timestamps in the process's time zone; the test suite runs in UTC, and so does this.
process.env.TZ = "UTC";

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const path = process.env.FUZZ_PATH;
const maxDepth = Number(process.env.FUZZ_DEPTH ?? 4);

async function reachablePostgres(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (error) {
    console.log(`PostgreSQL: not reachable at ${url} (${(error as Error).message}); PGlite only, no comparison.`);
    return null;
  }
}

/** What groups failures: the kind of problem and the root fields asked. */
function signature(outcome: Outcome): string {
  let fields: string = outcome.request.transport;
  try {
    fields = parse(outcome.request.query)
      .definitions.flatMap((definition) => ("selectionSet" in definition ? definition.selectionSet.selections : []))
      .map((selection) => ("name" in selection ? selection.name.value : "..."))
      .join(",");
  } catch {
    // Unparsable: grouped by transport.
  }
  return `${[...new Set(outcome.problems.map((problem) => problem.kind))].join("+")} ${fields}`;
}

function table(counts: Record<string, number>, total: number): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count} (${((100 * count) / total).toFixed(1)}%)`)
    .join(", ");
}

function summary(stats: Stats, seconds: number, compared: boolean): string {
  const answers = Object.values(stats.statuses).reduce((a, b) => a + b, 0);
  const perRun = ((1000 * seconds) / Math.max(1, stats.runs)).toFixed(1);
  return [
    `runs: ${stats.runs} in ${seconds.toFixed(1)} s (${perRun} ms a run, ${compared ? "PGlite and PostgreSQL" : "PGlite"}), seed ${seed}`,
    `requests: ${table(stats.classes, stats.runs)}`,
    `flaws put in: ${table(stats.flaws, stats.runs)}`,
    `HTTP statuses of ${answers} answers: ${table(stats.statuses, answers)}`,
    `error codes: ${
      table(
        stats.codes,
        Object.values(stats.codes).reduce((a, b) => a + b, 0),
      ) || "none"
    }`,
    `failures: ${stats.failures}`,
    `requests the servers logged an error or warning for: ${stats.logging}`,
    `slowest: ${stats.slowest.map(({ ms, database }) => `${ms.toFixed(0)} ms (${database})`).join(", ")}`,
    `slowest request:\n${stats.slowest[0] ? describeRequest(stats.slowest[0].request) : "-"}`,
  ].join("\n");
}

/** Replays run `index` of the seed and shrinks it; prints the smallest request that still fails. */
async function shrink(session: FuzzSession, compare: boolean, index: string): Promise<void> {
  let smallest: Outcome | null = null;
  const property = fc.asyncProperty(session.requests, async (request) => {
    const outcome = await session.run(request, { compare, record: false });
    if (outcome.problems.length) {
      smallest = outcome;
      return false;
    }
    return true;
  });
  const details = await fc.check(property, { seed, path: index, numRuns: 1, endOnFailure: false });
  if (!details.failed || !smallest) {
    console.log(`run ${index} of seed ${seed} passes now (a failure that depends on earlier requests?)`);
    return;
  }
  console.log(
    `\nFAILURE, shrunk in ${details.numShrinks} steps; replay with FUZZ_SEED=${seed} FUZZ_PATH=${details.counterexamplePath} npm run fuzz`,
  );
  console.log(describeFailure(smallest));
}

async function main(): Promise<void> {
  const postgresUrl = await reachablePostgres();
  const session = await FuzzSession.open({ postgresUrl, documents: { maxDepth } });
  const compare = postgresUrl !== null;
  try {
    if (path) {
      await shrink(session, compare, path);
      return;
    }
    console.log(
      `fuzzing: ${runs} runs, seed ${seed}, ${compare ? `PGlite and PostgreSQL (${postgresUrl})` : "PGlite"}`,
    );
    const firstOfKind = new Map<string, number>();
    const started = performance.now();
    let reported = started;
    await fc.assert(
      fc.asyncProperty(session.requests, async (request) => {
        const index = session.stats.runs;
        const outcome = await session.run(request, { compare });
        if (outcome.problems.length && !firstOfKind.has(signature(outcome))) {
          firstOfKind.set(signature(outcome), index);
          console.log(
            `run ${index}: ${signature(outcome)}\n  ${outcome.problems.map((problem) => problem.detail.slice(0, 300)).join("\n  ")}`,
          );
        }
        if (performance.now() - reported > 15_000) {
          reported = performance.now();
          const { runs: done, failures } = session.stats;
          console.log(`... ${done}/${runs} runs, ${failures} failures, ${((reported - started) / 1000).toFixed(0)} s`);
        }
      }),
      { seed, numRuns: runs },
    );
    const seconds = (performance.now() - started) / 1000;
    const writes = await session.writesSinceStart();
    console.log(`\n${summary(session.stats, seconds, compare)}`);
    if (writes.length) console.log(`WRITES without a token: ${writes.join("; ")}`);
    for (const [kind, index] of [...firstOfKind].slice(0, 8)) {
      console.log(`\n--- ${kind}`);
      await shrink(session, compare, String(index));
    }
    if (firstOfKind.size || writes.length) process.exitCode = 1;
  } finally {
    await session.close();
  }
}

await main();
