// Import = read (formats -> raw records) + validate (zod, references) + write (batched, idempotent)
// + history (what changed, as one batch of changes), the last three in one transaction so what is
// checked is what is written and recorded. All or nothing by
// default: any problem and nothing is written. With `skipInvalid` the valid rows are written and
// the rest (and whatever refers to them) reported.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { withBulkHistory, type BulkHistory } from "../../writes/bulk-history.js";
import { bundleTargets } from "./history.js";
import { databaseLookup } from "./lookup.js";
import { sortProblems, type Problem } from "./problems.js";
import type { RawRecord } from "./records.js";
import { tableNames, type TableName } from "./tables.js";
import { validateRecords } from "./validate.js";
import { writeBundle, writeTables, type TableStats, type WriteProgress, type WriteTable } from "./write.js";
import { connectedTransaction } from "../../db/transaction.js";

export interface ImportOptions {
  /** Write the valid rows even when others are rejected. */
  skipInvalid?: boolean;
  /** Validate (against the database too) but write nothing. */
  dryRun?: boolean;
  /** Records checked with zod so far (the first, in-memory step of validation). */
  onValidating?: (done: number, total: number) => void;
  onProgress?: (progress: WriteProgress) => void;
  /** Who imports, as the history names them (`Change.actor`). */
  actor?: string;
  /** Called when the rows are written and the history is being recorded. */
  onRecordingHistory?: () => void;
}

export interface ImportTableStats extends TableStats {
  rejected: number;
}

export type ImportStats = Record<WriteTable, ImportTableStats>;

export interface ImportResult {
  /** False when problems (or dryRun) kept an all-or-nothing import from writing anything. */
  written: boolean;
  stats: ImportStats;
  /** Lines or files that could not be read at all (bad JSON, not UTF-8, too long, ...). */
  unreadable: number;
  problems: Problem[];
  /** What the import changed, as one batch of changes (`revertChange` undoes it); null when nothing was written. */
  history: BulkHistory | null;
}

function emptyStats(): ImportStats {
  return Object.fromEntries(
    writeTables.map((table) => [table, { created: 0, updated: 0, unchanged: 0, rejected: 0 }]),
  ) as ImportStats;
}

export async function importRecords(
  prisma: PrismaClient,
  read: { records: RawRecord[]; problems: Problem[] },
  options: ImportOptions = {},
): Promise<ImportResult> {
  return connectedTransaction(
    prisma,
    async (tx) => {
      const validated = await validateRecords(read.records, databaseLookup(tx), options.onValidating);
      const problems = sortProblems([...read.problems, ...validated.problems]);
      const stats = emptyStats();
      for (const table of tableNames) stats[table as TableName & WriteTable].rejected = validated.rejected[table];
      const result = { stats, problems, unreadable: read.problems.length };
      if (options.dryRun || (problems.length && !options.skipInvalid))
        return { ...result, written: false, history: null };
      const who = { actor: options.actor ?? "import", operation: "import" };
      const { result: written, history } = await withBulkHistory(tx, who, bundleTargets(validated.bundle), async () => {
        const stats = await writeBundle(tx, validated.bundle, { onProgress: options.onProgress });
        options.onRecordingHistory?.();
        return stats;
      });
      for (const table of writeTables) Object.assign(stats[table], written[table]);
      return { ...result, written: true, history };
    },
    // Large bundles take minutes; the transaction must outlive them (the generator allows as long).
    { timeout: 6 * 3600_000, maxWait: 60_000 },
  );
}
