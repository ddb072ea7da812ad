// npm run graph -- generate: a large synthetic graph for benchmarks and load tests
// (src/data/generate/generate.ts), with a progress bar per table and a summary. Asking again for a graph that
// is already there writes nothing, so benchmarks can "generate or reuse"; asking again after an
// interruption continues where it stopped.
import { parseArgs } from "node:util";
import {
  checkGenerateOptions,
  generateGraph,
  type GenerateOptions,
  type GenerateProgressEvent,
  type GenerateResult,
} from "../data/generate/generate.js";
import { GeneratedGraphConflictError, GenerateOptionsError } from "../errors.js";
import type { GraphCommand } from "./graph-command.js";
import { startProgresses, type Progress } from "./progress.js";
import { UsageError } from "../errors.js";

const usage = "generate [--entities N] [--relationships M] [--observations K] [--seed S] [--replace] [--batch-size B]";

const help = `Usage: npm run graph -- ${usage}

  --entities N       entities to generate (default 10000)
  --relationships M  relationships (default 10 per entity)
  --observations K   observations (default 10 per entity)
  --seed S           PRNG seed (default 1); the same seed and sizes give the same graph
  --replace          delete a graph generated earlier with this seed but other sizes, then generate
  --batch-size B     rows per INSERT statement (default 10000)

Keys start with gen-s<S>-; all rows cite the source generated-s<S>. If that source already describes
the same sizes, nothing is written. Every batch commits on its own: run the same command again after an
interruption (Ctrl-C, a crash) and it continues after the rows already written.`;

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // Thousands separators are allowed ("1_000_000", "1,000,000"); anything else is refused, not guessed.
  if (!/^\d[\d_,]*$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}".`);
  return Number(value.replace(/[_,]/g, ""));
}

const argsOf = (argv: string[]) =>
  parseArgs({
    args: argv,
    options: {
      entities: { type: "string" },
      relationships: { type: "string" },
      observations: { type: "string" },
      seed: { type: "string" },
      replace: { type: "boolean", default: false },
      "batch-size": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });

/** Reads the command line into options, or throws UsageError with every problem found. */
export function parseGenerateArgs(argv: string[]): GenerateOptions & { help: boolean } {
  let values: ReturnType<typeof argsOf>["values"];
  try {
    ({ values } = argsOf(argv));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const entities = count("entities", values.entities, 10_000);
  const options = {
    entities,
    relationships: count("relationships", values.relationships, entities * 10),
    observations: count("observations", values.observations, entities * 10),
    seed: count("seed", values.seed, 1),
    replace: values.replace,
    batchSize: count("batch-size", values["batch-size"], 10_000),
    help: values.help,
  };
  const problems = checkGenerateOptions(options);
  if (problems.length && !options.help) throw new UsageError(problems.join("\n"));
  return options;
}

/** One progress bar per table, added when the generator reaches it (several tables are written at once). */
function progressBars() {
  const bars = startProgresses();
  const tables = new Map<string, { bar: Progress; done: number }>();
  return {
    onProgress(event: GenerateProgressEvent) {
      if (event.total === 0) return;
      let current = tables.get(event.table);
      if (!current) {
        current = { bar: bars.add(event.table, event.total), done: 0 };
        tables.set(event.table, current);
      }
      current.bar.tick(event.done - current.done);
      current.done = event.done;
      if (event.done === event.total) current.bar.stop();
    },
    stop: () => bars.stop(),
  };
}

function printSummary(result: GenerateResult): void {
  const rate = (rows: number, seconds: number) =>
    seconds > 0 ? Math.round(rows / seconds).toLocaleString("en-US") : "-";
  const done = {
    created: "Generated",
    replaced: "Replaced",
    resumed: "Resumed (rows written by this run)",
    reused: "",
  };
  console.log(`\n${done[result.status]} ${result.sourceKey}:`);
  for (const { table, rows, seconds } of result.tables) {
    console.log(
      `  ${table.padEnd(14)} ${rows.toLocaleString("en-US").padStart(11)} rows ${seconds.toFixed(1).padStart(8)} s ${rate(rows, seconds).padStart(10)} rows/s`,
    );
  }
  const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
  console.log(
    `  ${"total".padEnd(14)} ${rows.toLocaleString("en-US").padStart(11)} rows ${result.seconds.toFixed(1).padStart(8)} s ${rate(rows, result.seconds).padStart(10)} rows/s`,
  );
}

export const command: GraphCommand = {
  summary:
    "generate a large, deterministic synthetic graph (power-law degrees, dated edges, time series) for benchmarks",
  usage,
  help,
  async run(db, argv) {
    let options: ReturnType<typeof parseGenerateArgs>;
    try {
      options = parseGenerateArgs(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      console.error(`${error.message}\n\n${help}`);
      return 2;
    }
    if (options.help) {
      console.log(help);
      return 0;
    }
    const bars = progressBars();
    try {
      const result = await generateGraph(db.prisma, options, bars.onProgress);
      bars.stop();
      if (result.status === "reused") {
        console.log(`The graph ${result.sourceKey} with these sizes is already in the database; nothing written.`);
      } else printSummary(result);
      return 0;
    } catch (error) {
      bars.stop();
      if (error instanceof GeneratedGraphConflictError) {
        console.error(error.message);
        return 1;
      }
      if (error instanceof GenerateOptionsError) {
        console.error(error.message);
        return 2;
      }
      throw error;
    }
  },
};
