// Reads a bundle from files and folders into raw records, each with its file:line. Formats, by
// extension: .ndjson/.jsonl (one typed record a line), .json (an array of rows of the table the
// file is named after, as in prisma/seed/; an object of table arrays; or an array of typed
// records), .csv (one table per file, named after it). A folder may mix them.
//
// Nothing here throws on bad input: every unreadable file, line or record becomes a problem, so
// one run reports all of them.
import { readFile, readdir, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { readCsv } from "./csv.js";
import { elementLines, lineAt } from "./json-lines.js";
import { decodeLine, defaultMaxLineBytes, formatBytes, readLines } from "./lines.js";
import type { Problem } from "./problems.js";
import { addRecord, isPlainObject, readProblem, type RawRecord, type RecordSink } from "./records.js";
import { tableNames, tableOfName, type TableName } from "./tables.js";

export type { RawRecord } from "./records.js";

export interface ReadOptions {
  /** Longest line of an NDJSON or CSV file (default 1 MB); longer ones are reported and skipped. */
  maxLineBytes?: number;
  /** Largest .json document (default 256 MB): it is parsed whole, so bigger bundles belong in NDJSON. */
  maxJsonBytes?: number;
  /** Files are named relative to this folder in reports (default: the working directory). */
  relativeTo?: string;
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
}

export interface ReadResult {
  records: RawRecord[];
  problems: Problem[];
  files: string[];
  bytes: number;
}

const formats = { ".ndjson": "ndjson", ".jsonl": "ndjson", ".json": "json", ".csv": "csv" } as const;
type Format = (typeof formats)[keyof typeof formats];

const formatOf = (path: string): Format | null => formats[extname(path).toLowerCase() as keyof typeof formats] ?? null;
const stemTable = (path: string): TableName | null => tableOfName(basename(path, extname(path)));

async function bundleFiles(
  inputs: string[],
  sink: RecordSink,
  label: (path: string) => string,
): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) {
      sink.problems.push(readProblem({ file: input, line: 0 }, "no such file or folder"));
      continue;
    }
    if (info.isFile()) {
      if (formatOf(input)) files.push({ path: input, size: info.size });
      else
        sink.problems.push(
          readProblem({ file: label(input), line: 0 }, "unknown format: expected .ndjson, .jsonl, .json or .csv"),
        );
      continue;
    }
    const names = (await readdir(input)).filter((name) => !name.startsWith(".") && formatOf(name)).sort();
    if (!names.length)
      sink.problems.push(
        readProblem({ file: label(input), line: 0 }, "no bundle files (.ndjson, .jsonl, .json, .csv) in this folder"),
      );
    for (const name of names) {
      const path = join(input, name);
      const entry = await stat(path);
      if (entry.isFile()) files.push({ path, size: entry.size });
    }
  }
  return files;
}

export async function readBundle(inputs: string[], options: ReadOptions = {}): Promise<ReadResult> {
  const sink: RecordSink = { records: [], problems: [] };
  const root = options.relativeTo ?? process.cwd();
  const label = (path: string) => relative(root, path) || basename(path);
  const files = await bundleFiles(inputs, sink, label);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let done = 0;
  const onBytes = (bytes: number) => {
    done += bytes;
    options.onProgress?.(done, total);
  };
  const lineOptions = { maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes, onBytes };
  for (const { path, size } of files) {
    const file = label(path);
    const format = formatOf(path)!;
    if (format === "ndjson") await readNdjson(path, file, sink, lineOptions);
    else if (format === "csv") await readCsv(path, file, stemTable(path), sink, lineOptions);
    else {
      await readJson(path, file, size, sink, options.maxJsonBytes ?? 256 * 1024 * 1024);
      onBytes(size);
    }
  }
  return { ...sink, files: files.map((file) => label(file.path)), bytes: total };
}

async function readNdjson(
  path: string,
  file: string,
  sink: RecordSink,
  options: Parameters<typeof readLines>[1],
): Promise<void> {
  const table = stemTable(path);
  for await (const line of readLines(path, options)) {
    const at = { file, line: line.line };
    if ("problem" in line) {
      sink.problems.push(readProblem(at, line.problem));
      if (line.fatal) return;
      continue;
    }
    if (!line.text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      sink.problems.push(readProblem(at, `not valid JSON (${(error as Error).message})`));
      continue;
    }
    addRecord(sink, value, at, table);
  }
}

async function readJson(path: string, file: string, size: number, sink: RecordSink, maxBytes: number): Promise<void> {
  if (size > maxBytes) {
    sink.problems.push(
      readProblem(
        { file, line: 0 },
        `${formatBytes(size)} is too large for one JSON document (at most ${formatBytes(maxBytes)}): use NDJSON, one record a line`,
      ),
    );
    return;
  }
  let bytes: Uint8Array = await readFile(path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    sink.problems.push(
      readProblem({ file, line: 1 }, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"),
    );
    return;
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const decoded = decodeLine(bytes);
  if (!("text" in decoded)) {
    // Name the first line that is not UTF-8 rather than the whole file.
    let line = 1;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); ; end = bytes.indexOf(0x0a, start)) {
      const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
      const one = decodeLine(slice);
      if (!("text" in one)) {
        sink.problems.push(readProblem({ file, line }, one.problem));
        return;
      }
      if (end < 0) break;
      start = end + 1;
      line++;
    }
    sink.problems.push(readProblem({ file, line: 0 }, decoded.problem));
    return;
  }
  const text = decoded.text;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = /line (\d+)/.exec(message);
    sink.problems.push(
      readProblem(
        { file, line: line ? Number(line[1]) : position ? lineAt(text, Number(position[1])) : 0 },
        `not valid JSON (${message})`,
      ),
    );
    return;
  }
  const table = stemTable(path);
  const lines = elementLines(text);
  if (Array.isArray(document)) {
    for (const [index, value] of document.entries())
      addRecord(sink, value, { file, line: lines.top[index] ?? 0, index }, table);
    return;
  }
  if (!isPlainObject(document)) {
    sink.problems.push(readProblem({ file, line: 1 }, "expected an array of records or an object of table arrays"));
    return;
  }
  if (typeof document.type === "string" && !table) {
    addRecord(sink, document, { file, line: 1 }, null);
    return;
  }
  if (table) {
    sink.problems.push(readProblem({ file, line: 1 }, `expected an array of ${table} rows`));
    return;
  }
  for (const [name, rows] of Object.entries(document)) {
    const keyTable = tableOfName(name);
    const keyLines = lines.byKey.get(name) ?? [];
    if (!keyTable) {
      sink.problems.push(
        readProblem({ file, line: 0 }, `unknown table "${name}" (one of ${tableNames.join(", ")})`, name),
      );
      continue;
    }
    if (!Array.isArray(rows)) {
      sink.problems.push(readProblem({ file, line: 0 }, `expected an array of ${keyTable} rows`, name));
      continue;
    }
    for (const [index, value] of rows.entries())
      addRecord(sink, value, { file, line: keyLines[index] ?? 0, index }, keyTable);
  }
}
