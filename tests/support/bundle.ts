// Helpers for the bundle tests: import files as the CLI does (read, then validate and write in one
// transaction), export to a string, and count every table to prove a failed import wrote nothing.
import { join } from "node:path";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { exportGraph, type ExportFormat } from "../../src/data/bundle/export.js";
import { importRecords, type ImportOptions, type ImportResult } from "../../src/data/bundle/import.js";
import { readBundle, type ReadOptions } from "../../src/data/bundle/read.js";

export const fixtures = new URL("../fixtures/bundles/", import.meta.url).pathname;
export const fixture = (...parts: string[]) => join(fixtures, ...parts);

export async function importPaths(
  prisma: PrismaClient,
  paths: string[],
  options: ImportOptions & ReadOptions = {},
): Promise<ImportResult> {
  const read = await readBundle(paths, { relativeTo: fixtures, ...options });
  return importRecords(prisma, read, options);
}

export async function exportText(
  prisma: PrismaClient,
  format: ExportFormat = "ndjson",
): Promise<{ text: string; chunks: number }> {
  const chunks: string[] = [];
  await exportGraph(prisma, { write: async (chunk) => void chunks.push(chunk) }, { format });
  return { text: chunks.join(""), chunks: chunks.length };
}

/** Rows in every table an import writes, and the latest entity update: equal before and after means nothing was written. */
export async function rowCounts(prisma: PrismaClient) {
  type Counts = Record<
    | "relationTypes"
    | "sources"
    | "indicators"
    | "entities"
    | "aliases"
    | "policies"
    | "rankings"
    | "rankingEntries"
    | "relationships"
    | "observations"
    | "policyFigures"
    | "mentions",
    number
  > & { lastUpdate: string | null };
  const [counts] = await prisma.$queryRawUnsafe<Counts[]>(`
    SELECT (SELECT count(*) FROM "RelationType")::int AS "relationTypes", (SELECT count(*) FROM "Source")::int AS sources,
      (SELECT count(*) FROM "Indicator")::int AS indicators, (SELECT count(*) FROM "Entity")::int AS entities,
      (SELECT count(*) FROM "Alias")::int AS aliases, (SELECT count(*) FROM "PolicyDetail")::int AS policies,
      (SELECT count(*) FROM "Ranking")::int AS rankings, (SELECT count(*) FROM "RankingEntry")::int AS "rankingEntries",
      (SELECT count(*) FROM "Relationship")::int AS relationships, (SELECT count(*) FROM "Observation")::int AS observations,
      (SELECT count(*) FROM "PolicyFigure")::int AS "policyFigures", (SELECT count(*) FROM "Mention")::int AS mentions,
      (SELECT max("updatedAt")::text FROM "Entity") AS "lastUpdate"`);
  return counts!;
}

/** Every count is zero except `unchanged`: the second import of a bundle. */
export function onlyUnchanged(result: ImportResult): boolean {
  return Object.values(result.stats).every((s) => s.created === 0 && s.updated === 0 && s.rejected === 0);
}

export const writeStatements = (statements: string[]) =>
  statements.filter((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql));
