// CSV files: one table per file (entities.csv, relationships.csv, ...), a header row naming the
// fields. Lines come from the capped, UTF-8-checked line reader; a record may span lines inside
// quotes, so lines are joined until the quotes balance, and each record keeps the line it started
// on. csv-parse then splits batches of records into cells.
//
// Cells are text; the few non-text fields are converted here so zod sees their real type: numbers
// (value, valueMax, rank), booleans (symmetric, primary) and JSON (properties, aliases, mentions,
// entries, policy, location). `policy.policyType`-style headers build nested objects. An empty cell is an
// absent field (so it keeps the stored value).
import { parse } from "csv-parse/sync";
import { readLines, type LineOptions, formatBytes, defaultMaxLineBytes } from "./lines.js";
import { addRecord, readProblem, type RecordSink } from "./records.js";
import type { TableName } from "./tables.js";

const numberFields = new Set(["value", "valueMax", "rank"]);
const booleanFields = new Set(["symmetric", "primary"]);
const jsonFields = new Set(["properties", "aliases", "mentions", "entries", "policy", "location"]);
const batchSize = 500;

type Cell = { value: unknown } | { problem: string };

function cellValue(field: string, text: string): Cell {
  if (numberFields.has(field)) {
    const number = Number(text.trim());
    // A cell that is not a number stays text, for zod to name the field and the expected type.
    return { value: text.trim() !== "" && Number.isFinite(number) ? number : text };
  }
  if (booleanFields.has(field)) {
    const folded = text.trim().toLowerCase();
    if (["true", "yes", "1"].includes(folded)) return { value: true };
    if (["false", "no", "0"].includes(folded)) return { value: false };
    return { value: text };
  }
  if (jsonFields.has(field)) {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      return { problem: `not valid JSON (${(error as Error).message})` };
    }
  }
  return { value: text };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    node = (typeof next === "object" && next !== null ? next : (node[part] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

interface PendingRecord {
  text: string;
  line: number;
}

export async function readCsv(
  path: string,
  file: string,
  table: TableName | null,
  sink: RecordSink,
  options: LineOptions = {},
): Promise<void> {
  const max = options.maxLineBytes ?? defaultMaxLineBytes;
  let header: string[] | null = null;
  let batch: PendingRecord[] = [];

  const splitOne = (record: PendingRecord): string[] | null => {
    try {
      const rows = parse(record.text, { relax_column_count: true }) as string[][];
      return rows[0] ?? [];
    } catch (error) {
      sink.problems.push(readProblem({ file, line: record.line }, `not valid CSV (${(error as Error).message})`));
      return null;
    }
  };

  const flush = () => {
    if (!batch.length) return;
    let rows: (string[] | null)[];
    try {
      rows = parse(batch.map((r) => r.text).join("\n"), { relax_column_count: true }) as string[][];
      if (rows.length !== batch.length) throw new Error("record count mismatch");
    } catch {
      // Split record by record to find the one at fault.
      rows = batch.map(splitOne);
    }
    batch.forEach((record, i) => {
      const cells = rows[i];
      if (cells) addRow(record.line, cells);
    });
    batch = [];
  };

  const addRow = (line: number, cells: string[]) => {
    if (!header) {
      header = cells.map((cell) => cell.trim());
      const seen = new Set<string>();
      for (const name of header) {
        if (!name) sink.problems.push(readProblem({ file, line }, "the header row has an empty column name"));
        else if (seen.has(name))
          sink.problems.push(readProblem({ file, line }, `the header row names "${name}" twice`));
        seen.add(name);
      }
      if (!table && !seen.has("type")) {
        sink.problems.push(
          readProblem({ file, line: 0 }, `the file name names no table and there is no "type" column`),
        );
        header = [];
      }
      return;
    }
    if (!header.length) return;
    if (cells.length !== header.length) {
      sink.problems.push(readProblem({ file, line }, `${cells.length} field(s), but the header has ${header.length}`));
      return;
    }
    const data: Record<string, unknown> = {};
    let ok = true;
    header.forEach((name, i) => {
      const text = cells[i]!;
      if (text === "") return;
      const path = name.split(".");
      const cell = cellValue(path[path.length - 1]!, text);
      if ("problem" in cell) {
        sink.problems.push(readProblem({ file, line }, cell.problem, name));
        ok = false;
      } else setPath(data, path, cell.value);
    });
    if (ok) addRecord(sink, data, { file, line }, table);
  };

  let pending: { lines: string[]; line: number; quotes: number; bytes: number } | null = null;
  for await (const line of readLines(path, options)) {
    if ("problem" in line) {
      flush();
      // Past a line that could not be read, quoting may be out of step: stop rather than misread.
      sink.problems.push(
        readProblem({ file, line: line.line }, `${line.problem}; the rest of this CSV file was not read`),
      );
      pending = null;
      break;
    }
    if (!pending && line.text.trim() === "") continue;
    const quotes = line.text.split('"').length - 1;
    if (!pending) pending = { lines: [line.text], line: line.line, quotes, bytes: line.text.length };
    else {
      pending.lines.push(line.text);
      pending.quotes += quotes;
      pending.bytes += line.text.length + 1;
    }
    if (pending.bytes > max) {
      flush();
      sink.problems.push(
        readProblem(
          { file, line: pending.line },
          `a quoted field runs past ${formatBytes(max)} (an unclosed quote?); the rest of this CSV file was not read`,
        ),
      );
      pending = null;
      break;
    }
    if (pending.quotes % 2 === 0) {
      batch.push({ text: pending.lines.join("\n"), line: pending.line });
      pending = null;
      // The header decides how later rows read, so it goes through on its own.
      if (!header || batch.length >= batchSize) flush();
    }
  }
  flush();
  if (pending) sink.problems.push(readProblem({ file, line: pending.line }, "a quoted field is never closed"));
}
