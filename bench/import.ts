// npm run bench -- --import : bulk-load speed. A generated graph is exported as one NDJSON bundle,
// then imported (`npm run graph -- import`: read, validated, written, recorded as one batch of
// changes) into an empty PGlite folder and into an empty PostgreSQL database, each timed by the
// command's own "Done in" (migrations excluded). Beside it the floor: the same rows, as the import
// left them, loaded with nothing but a plain COPY per table into an empty database of the same
// schema (no validation, no history). `--baseline-dir` imports with another checkout too (e.g. main),
// in the same run, for a before/after.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { openDatabase } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { pgliteExtensions } from "../src/db/pglite-extensions.js";
import { ensureDatabase, generateGraph, type GraphSize } from "./database.js";
import { root } from "./systems.js";

export interface ImportBenchOptions {
  quick: boolean;
  /** The base database URL; the run's databases are named after it (`<name>_import_source`, ...). */
  databaseUrl: string;
  size: GraphSize;
  oursDir: string;
  baselineDir: string | null;
  log: (line: string) => void;
}

interface ImportRow {
  system: string;
  target: "PGlite" | "PostgreSQL";
  what: "import" | "COPY floor";
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

// The tables a bundle fills, in the order their foreign keys need (the floor copies them so).
const tables = [
  "RelationType",
  "Source",
  "Entity",
  "Alias",
  "PolicyDetail",
  "Indicator",
  "Relationship",
  "Observation",
  "Ranking",
  "RankingEntry",
  "PolicyFigure",
  "Mention",
];

function withDatabase(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
}

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/** Runs `npm run graph -- <args>` of the checkout in `dir`; resolves with its stdout and stderr. */
function graphCommand(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/graph.ts", ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`graph ${args[0]} exited with ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

/** Imports `file` with the checkout in `dir`; the seconds its own clock gave and the rows it created. */
async function timedImport(dir: string, file: string, env: NodeJS.ProcessEnv) {
  const output = await graphCommand(dir, ["import", file, "--actor", "bench"], env);
  const done = /Done in ([\d.]+) s\./.exec(output);
  const imported = /Imported: (\d+) created/.exec(output);
  if (!done || !imported) throw new Error(`Unexpected import output:\n${output.slice(-2000)}`);
  return { seconds: Number(done[1]), rows: Number(imported[1]) };
}

/** Each table's rows in COPY's text format, columns named, from the database an import filled. */
async function dumpTables(url: string): Promise<{ table: string; columns: string; data: string; rows: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dumped = [];
    for (const table of tables) {
      const { rows } = await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [`"${table}"`],
      );
      const columns = rows.map((row) => `"${row.name}"`).join(", ");
      const chunks: Buffer[] = [];
      await pipeline(
        client.query(copyTo(`COPY "${table}" (${columns}) TO STDOUT`)),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
          },
        }),
      );
      const data = Buffer.concat(chunks).toString();
      dumped.push({ table, columns, data, rows: data ? data.split("\n").length - 1 : 0 });
    }
    return dumped;
  } finally {
    await client.end();
  }
}

/** The floor on PostgreSQL: one transaction of one COPY per table into an empty, migrated database. */
async function copyFloorPostgres(url: string, dump: Awaited<ReturnType<typeof dumpTables>>): Promise<number> {
  await recreateDatabase(url);
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await migrate(db);
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query("BEGIN");
    for (const { table, columns, data } of dump) {
      await pipeline(Readable.from([data]), client.query(copyFrom(`COPY "${table}" (${columns}) FROM STDIN`)));
    }
    await client.query("COMMIT");
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** The floor on PGlite: the same COPYs, each from a Blob (`COPY ... FROM '/dev/blob'`). */
async function copyFloorPglite(dump: Awaited<ReturnType<typeof dumpTables>>): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-import-floor-"));
  try {
    const db = await openDatabase({ dataDir: dir });
    await migrate(db);
    await db.close();
    const pglite = await PGlite.create(dir, { extensions: pgliteExtensions });
    const started = performance.now();
    await pglite.transaction(async (tx) => {
      for (const { table, columns, data } of dump)
        await tx.query(`COPY "${table}" (${columns}) FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    });
    const seconds = (performance.now() - started) / 1000;
    await pglite.close();
    return seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runImportBench(options: ImportBenchOptions): Promise<{ rows: ImportRow[]; bundle: string }> {
  const { log } = options;
  const base = new URL(options.databaseUrl).pathname.slice(1);
  // The quick run's smaller graph in a database of its own: the generator keeps one size per seed.
  const sourceUrl = withDatabase(options.databaseUrl, `${base}_import_source${options.quick ? "_quick" : ""}`);
  const targetUrl = withDatabase(options.databaseUrl, `${base}_import_target`);
  const work = mkdtempSync(join(os.tmpdir(), "bench-import-"));
  const file = join(work, "bundle.ndjson");
  const results: ImportRow[] = [];
  const add = (row: Omit<ImportRow, "rowsPerSecond">) => {
    const full = { ...row, rowsPerSecond: Math.round(row.rows / row.seconds) };
    results.push(full);
    log(
      `${row.system} ${row.what} into ${row.target}: ${row.rows} rows in ${row.seconds.toFixed(1)} s, ${full.rowsPerSecond} rows/s`,
    );
  };
  try {
    log(`generating (or reusing) the source graph in ${new URL(sourceUrl).pathname.slice(1)}`);
    await ensureDatabase(sourceUrl);
    await generateGraph(sourceUrl, options.size);
    await graphCommand(root, ["export", "--out", file], { DATABASE_URL: sourceUrl });
    const checkouts = [
      { system: "ours", dir: options.oursDir },
      ...(options.baselineDir ? [{ system: "baseline", dir: options.baselineDir }] : []),
    ];
    let dump: Awaited<ReturnType<typeof dumpTables>> | null = null;
    // PGlite in the order ours, baseline; PostgreSQL the other way round: on a machine whose load
    // drifts, neither checkout always goes first.
    for (const { system, dir } of checkouts) {
      const folder = mkdtempSync(join(os.tmpdir(), "bench-import-pglite-"));
      try {
        log(`${system}: importing into an empty PGlite folder`);
        add({ system, target: "PGlite", what: "import", ...(await timedImport(dir, file, { DATA_DIR: folder })) });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    for (const { system, dir } of [...checkouts].reverse()) {
      log(`${system}: importing into an empty PostgreSQL database`);
      await recreateDatabase(targetUrl);
      add({
        system,
        target: "PostgreSQL",
        what: "import",
        ...(await timedImport(dir, file, { DATABASE_URL: targetUrl })),
      });
      // The floor copies the rows ours left (the last import here).
      if (system === "ours") dump = await dumpTables(targetUrl);
    }
    const rows = dump!.reduce((sum, table) => sum + table.rows, 0);
    log("floor: COPY of the same rows into an empty PGlite folder");
    add({ system: "floor", target: "PGlite", what: "COPY floor", rows, seconds: await copyFloorPglite(dump!) });
    log("floor: COPY of the same rows into an empty PostgreSQL database");
    add({
      system: "floor",
      target: "PostgreSQL",
      what: "COPY floor",
      rows,
      seconds: await copyFloorPostgres(targetUrl, dump!),
    });
    return { rows: results, bundle: file };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function importMarkdown(rows: ImportRow[], context: Record<string, string>): string {
  const floor = (target: string) => rows.find((row) => row.what === "COPY floor" && row.target === target);
  const lines = [
    "# Bulk load benchmark (`npm run bench -- --import`)",
    "",
    ...Object.entries(context).map(([key, value]) => `- ${key}: ${value}`),
    "",
    "| system | into | what | rows | seconds | rows/s | × the COPY floor's rows/s |",
    "|---|---|---|--:|--:|--:|--:|",
    ...rows.map(
      (row) =>
        `| ${row.system} | ${row.target} | ${row.what} | ${row.rows.toLocaleString("en")} | ${row.seconds.toFixed(1)} | ${row.rowsPerSecond.toLocaleString("en")} | ${(row.rowsPerSecond / floor(row.target)!.rowsPerSecond).toFixed(2)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

export function writeImportResults(dir: string, stamp: string, report: object, markdown: string): string[] {
  writeFileSync(`${dir}${stamp}-import.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${dir}${stamp}-import.md`, markdown);
  return [`${stamp}-import.json`, `${stamp}-import.md`];
}
