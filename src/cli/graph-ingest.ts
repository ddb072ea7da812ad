// npm run graph -- ingest <article.txt> --title "..." --date YYYY-MM-DD [--url URL] [--key KEY] [--actor NAME]
// The command-line face of src/data/ingest/ingest.ts: reads the file, checks the options, prints a summary
// line and the batch of changes it recorded. Everything the user can get wrong is checked before the database is written: exit code 2.
import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import type { Database } from "../db/database.js";
import { checkArticle, decodeArticle, formatIngestSummary, ingestArticle } from "../data/ingest/ingest.js";
import { IngestInputError } from "../errors.js";
import type { GraphCommand } from "./graph-command.js";

const usage = 'ingest <article.txt> --title "..." --date YYYY[-MM[-DD]] [--url URL] [--key KEY] [--actor NAME]';

async function readArticleFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : (error as Error).message;
    throw new IngestInputError([`Cannot read ${file}: ${reason}.`]);
  }
  return decodeArticle(bytes, file);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        title: { type: "string" },
        date: { type: "string" },
        url: { type: "string" },
        key: { type: "string" },
        actor: { type: "string" },
      },
    });
  } catch (error) {
    // parseArgs names the unknown or incomplete option; the usage says what is expected.
    throw new IngestInputError([(error as Error).message]);
  }
}

async function run(db: Database, argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (positionals.length !== 1) {
      throw new IngestInputError([
        positionals.length ? `One article file at a time, got ${positionals.length}.` : "The article file is missing.",
      ]);
    }
    const file = positionals[0]!;
    const { actor = `cli:${userInfo().username}`, ...options } = values;
    const article = checkArticle({ ...options, text: await readArticleFile(file) });
    const result = await ingestArticle(db.prisma, article, { actor });
    if (result.namesKnown === 0)
      console.error("The graph has no entities yet (npm run db:seed loads them): nothing could be linked.");
    for (const { name, entities } of result.ambiguous) {
      console.error(`Not linked: "${name}" names ${entities} entities equally.`);
    }
    console.log(formatIngestSummary(result, article));
    if (result.history.batch) {
      console.log(`Recorded as ${result.history.changes} change(s) in batch ${result.history.batch}.`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof IngestInputError)) throw error;
    console.error(`${error.message}\nUsage: npm run graph -- ${usage}`);
    return 2;
  }
}

export const command: GraphCommand = {
  summary: "store an article as a source and link every entity it names, quoting the sentence (re-run to update)",
  usage,
  help: `Usage: npm run graph -- ${usage}

Stores the article (UTF-8 text) as an ARTICLE source keyed by --key or the title's slug, splits it
into sentences and links every entity each sentence names, quoting it. Re-run with the same key to
update the source and its mentions. What it changes is recorded as one batch of changes by --actor
(default: the system user): the API's \`changes\` lists them and \`revertChange\` undoes the ingest.`,
  run,
};
