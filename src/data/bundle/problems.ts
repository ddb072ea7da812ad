// What is wrong with a bundle, row by row: where (file and line), which field, and why. The same
// shape serves bad files, bad rows and bad references, so one report lists them all.
import type { TableName } from "./tables.js";

export interface Location {
  /** The file as the user named it (relative to the input's folder for the seed). */
  file: string;
  /** 1-based; 0 when the problem is the whole file. */
  line: number;
  /** Position in a JSON array, for messages in the seed's `file[index]` style. */
  index?: number;
}

export interface Problem extends Location {
  table?: TableName;
  /** The row's key, when it has one. */
  key?: string;
  /** Dotted path of the field at fault (`entries.2.entity`); "" for the row or the file as a whole. */
  field: string;
  reason: string;
  /** "read": the file or line could not be read; "shape": the row failed zod; "reference": it points at nothing (or at a rejected row), duplicates another, misquotes. */
  stage: "read" | "shape" | "reference";
  /** Rejected only because a row it refers to was rejected. */
  cascade?: boolean;
}

export function where(at: Location): string {
  return at.line > 0 ? `${at.file}:${at.line}` : at.file;
}

export function formatProblem(problem: Problem): string {
  return `${where(problem)} ${problem.field ? `${problem.field}: ` : ""}${problem.reason}`;
}

/** File by file, line by line: the order a reader fixes them in. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) =>
      a.problem.file < b.problem.file
        ? -1
        : a.problem.file > b.problem.file
          ? 1
          : a.problem.line - b.problem.line || a.order - b.order,
    )
    .map(({ problem }) => problem);
}
