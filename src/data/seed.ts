// The seed graph (prisma/seed/*.json) is a bundle: read, validated and written by the same code as
// `npm run graph -- import` (src/data/bundle/), checked against itself alone (every reference inside the
// seed), then written in one transaction. Rows are matched by key and only written when they
// differ, so a second run changes nothing and says so.
import { SeedError } from "../errors.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { emptyLookup } from "./bundle/lookup.js";
import type { Problem } from "./bundle/problems.js";
import { readBundle } from "./bundle/read.js";
import { validateRecords } from "./bundle/validate.js";
import { writeBundle, type TableStats } from "./bundle/write.js";
import type { Bundle as SeedBundle } from "./bundle/schema.js";
import { connectedTransaction } from "../db/transaction.js";

export type { TableStats } from "./bundle/write.js";

export const seedDir = new URL("../../prisma/seed/", import.meta.url).pathname;

/** The seed's own style, `file[index.field]` for a malformed row and `file[index].field` for a bad reference, with the line. */
function seedMessage(problem: Problem): string {
  let at = problem.file;
  if (problem.index !== undefined) {
    at +=
      problem.stage === "shape"
        ? `[${[problem.index, problem.field].filter((part) => part !== "").join(".")}]`
        : `[${problem.index}]${problem.field ? `.${problem.field}` : ""}`;
  } else if (problem.field) at += ` ${problem.field}`;
  return `${at}: ${problem.reason}${problem.line > 0 ? ` (line ${problem.line})` : ""}`;
}

export async function readSeedBundle(dir = seedDir): Promise<SeedBundle> {
  const read = await readBundle([dir], { relativeTo: dir });
  const validated = await validateRecords(read.records, emptyLookup);
  const problems = [...read.problems, ...validated.problems];
  if (problems.length) throw new SeedError(problems.map(seedMessage));
  return validated.bundle;
}

export type SeedStats = Record<string, TableStats>;

export async function applySeed(
  prisma: PrismaClient,
  bundle: SeedBundle,
  onStep?: (step: string) => void,
): Promise<SeedStats> {
  return connectedTransaction(prisma, (tx) => writeBundle(tx, bundle, { onStep }), {
    timeout: 120_000,
    maxWait: 30_000,
  });
}
