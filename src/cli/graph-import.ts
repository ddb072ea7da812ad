// npm run graph -- import <file|dir>... : the command-line face of src/data/bundle/ (read, validate,
// write). Progress on stderr, a summary table on stdout, the problems in a report file.
// Exit codes: 0 written (also with rows skipped by --skip-invalid), 1 nothing written because of
// problems, 2 bad usage.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { importRecords, type ImportResult } from "../data/bundle/import.js";
import { formatProblem } from "../data/bundle/problems.js";
import { readBundle } from "../data/bundle/read.js";
import { writeReport, type ReportContext } from "../data/bundle/report.js";
import type { GraphCommand } from "./graph-command.js";
import { tableProgress } from "./table-progress.js";

const usage = "import <file|dir>... [--skip-invalid] [--report FILE] [--dry-run] [--max-line-bytes N] [--actor NAME]";

const help = `Usage: npm run graph -- ${usage}

  <file|dir>          .ndjson/.jsonl (one typed record a line), .json (prisma/seed layout, an object of
                      table arrays, or an array of typed records), .csv (one table per file, named after
                      it: entities.csv, relationships.csv, ...), or folders of them
  --skip-invalid      write the valid rows; reject invalid rows and the rows that refer to them
  --report FILE       where to write the problems (.json: JSON, anything else: text); by default, when
                      there are problems, <input>.import-report.json next to the first input (or in
                      the current folder if that one cannot be written)
  --dry-run           check everything, against the database too, and write nothing
  --max-line-bytes N  longest NDJSON/CSV line accepted (default 1048576)
  --actor NAME        who imports, as the history names them (default: the system user)

All or nothing by default: one transaction, and any problem means nothing is written. What an import
changes is recorded as one batch of changes: the API's \`changes\` lists them and \`revertChange\`
undoes the whole import.`;

const shownProblems = 20;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "skip-invalid": { type: "boolean", default: false },
      report: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "max-line-bytes": { type: "string" },
      actor: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const maxLine = values["max-line-bytes"];
  if (maxLine !== undefined && !/^\d+$/.test(maxLine))
    throw new Error(`--max-line-bytes must be a whole number, got "${maxLine}".`);
  return { ...values, maxLineBytes: maxLine === undefined ? undefined : Number(maxLine), inputs: positionals };
}

function printSummary(result: ImportResult): void {
  const rows = Object.fromEntries(
    Object.entries(result.stats).filter(([, s]) => s.created + s.updated + s.unchanged + s.rejected > 0),
  );
  if (result.unreadable) rows["(unreadable)"] = { created: 0, updated: 0, unchanged: 0, rejected: result.unreadable };
  if (Object.keys(rows).length) console.table(rows);
  const total = { created: 0, updated: 0, unchanged: 0, rejected: result.unreadable };
  for (const s of Object.values(result.stats)) {
    total.created += s.created;
    total.updated += s.updated;
    total.unchanged += s.unchanged;
    total.rejected += s.rejected;
  }
  const counts = `${total.created} created, ${total.updated} updated, ${total.unchanged} unchanged, ${total.rejected} rejected`;
  console.log(
    result.written ? `Imported: ${counts}.` : `Nothing written (${total.rejected} row(s) or line(s) rejected).`,
  );
}

function printProblems(result: ImportResult): void {
  // Direct problems first: a row rejected only because its target was is rarely news.
  const direct = result.problems.filter((p) => !p.cascade);
  const cascades = result.problems.length - direct.length;
  for (const problem of direct.slice(0, shownProblems)) console.error(`  ${formatProblem(problem)}`);
  if (direct.length > shownProblems) console.error(`  ... and ${direct.length - shownProblems} more`);
  if (cascades) console.error(`  ${cascades} row(s) rejected because they refer to rejected rows`);
}

export const command: GraphCommand = {
  summary:
    "import a bundle (NDJSON, JSON or CSV files or folders): validated, idempotent, all or nothing unless --skip-invalid",
  usage,
  help,
  async run(db, argv) {
    let args: ReturnType<typeof parse>;
    try {
      args = parse(argv);
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${help}`);
      return 2;
    }
    if (args.help) {
      console.log(help);
      return 0;
    }
    if (!args.inputs.length) {
      console.error(`No file or folder to import.\n\n${help}`);
      return 2;
    }
    const progress = tableProgress();
    const started = performance.now();
    const read = await readBundle(args.inputs, {
      ...(args.maxLineBytes !== undefined ? { maxLineBytes: args.maxLineBytes } : {}),
      onProgress: (done, total) => progress.update("reading", done, total),
    });
    progress.stop();
    let result: ImportResult;
    try {
      result = await importRecords(db.prisma, read, {
        skipInvalid: args["skip-invalid"],
        dryRun: args["dry-run"],
        onValidating: (done, total) => progress.update("validating", done, total),
        onProgress: ({ table, done, total }) => progress.update(table, done, total),
        onRecordingHistory: () => progress.update("history", 0, 1),
        actor: args.actor ?? `cli:${userInfo().username}`,
      });
    } finally {
      progress.stop();
    }
    printSummary(result);
    if (result.history?.batch) {
      console.log(`Recorded as ${result.history.changes} change(s) in batch ${result.history.batch}.`);
    }
    const context: ReportContext = {
      inputs: args.inputs,
      files: read.files,
      mode: args["dry-run"] ? "dry-run" : args["skip-invalid"] ? "skip-invalid" : "all-or-nothing",
    };
    if (result.problems.length) {
      console.error(`${result.problems.length} problem(s):`);
      printProblems(result);
    }
    if (result.problems.length || args.report)
      console.error(`Report: ${await writeReport(result, context, args.report)}`);
    console.error(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    if (args["dry-run"]) return result.problems.length ? 1 : 0;
    return result.written ? 0 : 1;
  },
};
