// The import report: every rejected row as file:line, field and reason, with the per-table counts.
// JSON when the report file ends in .json, plain text otherwise. By default it goes next to the
// (first) input, as <input>.import-report.json, or into the working directory when that folder
// cannot be written.
import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { ImportResult } from "./import.js";
import { formatProblem } from "./problems.js";

export interface ReportContext {
  inputs: string[];
  files: string[];
  mode: "all-or-nothing" | "skip-invalid" | "dry-run";
}

export function defaultReportPath(input: string): string {
  const full = resolve(input);
  const stem = extname(full) ? basename(full, extname(full)) : basename(full);
  return join(dirname(full), `${stem}.import-report.json`);
}

export function reportJson(result: ImportResult, context: ReportContext): string {
  return JSON.stringify(
    {
      ...context,
      written: result.written,
      stats: result.stats,
      unreadable: result.unreadable,
      problems: result.problems.map(({ file, line, table, key, field, reason, cascade }) => ({
        file,
        line,
        table,
        key,
        field,
        reason,
        ...(cascade ? { cascade } : {}),
      })),
    },
    null,
    2,
  );
}

export function reportText(result: ImportResult, context: ReportContext): string {
  const lines = [
    `Import of ${context.inputs.join(", ")} (${context.mode}): ${result.written ? "written" : "nothing written"}`,
    `Files: ${context.files.join(", ")}`,
    `${result.problems.length} problem(s):`,
    ...result.problems.map((problem) => `  ${formatProblem(problem)}${problem.cascade ? " [cascade]" : ""}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** Writes the report where asked, else next to the input, else in the working directory; returns where it went. */
export async function writeReport(result: ImportResult, context: ReportContext, path?: string): Promise<string> {
  const render = (target: string) =>
    extname(target).toLowerCase() === ".json" ? reportJson(result, context) : reportText(result, context);
  if (path) {
    await writeFile(path, render(path));
    return path;
  }
  const beside = defaultReportPath(context.inputs[0] ?? "bundle");
  try {
    await writeFile(beside, render(beside));
    return beside;
  } catch {
    const here = join(process.cwd(), basename(beside));
    await writeFile(here, render(here));
    return here;
  }
}
