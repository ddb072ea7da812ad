// Article ingestion: a text becomes a Source (kind ARTICLE), and every entity it names becomes a
// Mention quoting the sentence, recorded in the history as one batch of changes. Keyed by the source's key, so running it again with the same key
// brings the source and its mentions in line with the new text instead of adding to them.
import { IngestInputError, ValidationError } from "../../errors.js";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { kebabCase } from "../../names.js";
import { formatPartialDate, parsePartialDate, type PartialDate } from "../../partial-date.js";
import { bulkTarget, withBulkHistory, type BulkHistory } from "../../writes/bulk-history.js";
import { entityRecord } from "../../writes/records/entity.js";
import { sourceRecord } from "../../writes/records/source.js";
import { checkRow, mentionRow, sourceRow, type SourceRow } from "../../writes/rows.js";
import { findMentions, loadEntityMatcher, type EntityMatcher } from "./entity-mentions.js";
import { connectedTransaction } from "../../db/transaction.js";

export interface ArticleInput {
  text: string;
  title?: string | undefined;
  /** YYYY, YYYY-MM or YYYY-MM-DD; stored with that precision. */
  date?: string | undefined;
  url?: string | undefined;
  /** Defaults to a slug of the title. */
  key?: string | undefined;
}

export interface Article {
  key: string;
  title: string;
  publishedOn: PartialDate;
  url: string | null;
  body: string;
}

const maxKeyLength = 100;
const slugLength = 80;

/** The file's bytes as text; rejects what is not UTF-8 text rather than storing replacement characters. */
export function decodeArticle(bytes: Uint8Array, file = "the article"): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new IngestInputError([`${file} is not UTF-8 text.`]);
  }
  // PostgreSQL text cannot hold NUL, and a text file has none.
  if (text.includes("\u0000")) throw new IngestInputError([`${file} contains NUL bytes: not a text file.`]);
  if (!text.trim()) throw new IngestInputError([`${file} is empty.`]);
  return text;
}

/** "China's Auto Crown Up For Grabs!" -> "chinas-auto-crown-up-for-grabs"; "" when the title has no Latin letters or digits. */
export function keyFromTitle(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let key = "";
  for (const word of words) {
    const next = key ? `${key}-${word}` : word.slice(0, slugLength);
    if (next.length > slugLength) break;
    key = next;
  }
  return key;
}

/** Checks every option at once, so one run lists every problem. */
export function checkArticle(input: ArticleInput): Article {
  const problems: string[] = [];
  const title = input.title?.trim() ?? "";
  if (!title) problems.push("--title is missing: give the article's title.");
  const date = input.date?.trim();
  const publishedOn = date ? parsePartialDate(date) : null;
  if (!date) problems.push("--date is missing: give the publication date as YYYY, YYYY-MM or YYYY-MM-DD.");
  else if (!publishedOn) problems.push(`--date "${date}" is not a date as YYYY, YYYY-MM or YYYY-MM-DD.`);
  const url = input.url?.trim() || null;
  if (url !== null && !isWebAddress(url)) problems.push(`--url "${url}" is not an http(s) address.`);
  let key = input.key?.trim() ?? "";
  if (input.key !== undefined) {
    if (!kebabCase.test(key) || key.length > maxKeyLength) {
      problems.push(
        `--key "${input.key}" is not a kebab-case key (lower-case letters and digits joined by single dashes, at most ${maxKeyLength} characters).`,
      );
    }
  } else if (title) {
    key = keyFromTitle(title);
    if (!key) problems.push("The title has no Latin letters or digits to make a key of: give --key.");
  }
  const body = input.text;
  if (!body.trim()) problems.push("The article is empty.");
  if (problems.length) throw new IngestInputError(problems);
  return { key, title, publishedOn: publishedOn!, url, body };
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export interface IngestResult {
  key: string;
  source: "created" | "updated" | "unchanged";
  sentences: number;
  /** Distinct entities the article names. */
  entitiesLinked: number;
  mentions: { created: number; removed: number; unchanged: number };
  ambiguous: { name: string; entities: number }[];
  /** Distinct names the matcher knew; 0 means the graph has no entities yet. */
  namesKnown: number;
  /** The source and the entities whose mentions changed, as one batch of changes (`revertChange` undoes it). */
  history: BulkHistory;
}

export interface IngestOptions {
  /** A matcher built earlier (several articles in one run); by default the aliases are read afresh. */
  matcher?: EntityMatcher;
  /** Who ingests, as the history names them (`Change.actor`). */
  actor?: string;
}

export async function ingestArticle(
  prisma: PrismaClient,
  article: Article,
  options: IngestOptions = {},
): Promise<IngestResult> {
  // Reading and compiling the dictionary happens outside the transaction, which then only writes.
  const matcher = options.matcher ?? (await loadEntityMatcher(prisma));
  const scan = findMentions(matcher, article.body);
  return connectedTransaction(
    prisma,
    async (tx) => {
      const who = { actor: options.actor ?? "ingest", operation: "ingest" };
      const { result, history } = await withBulkHistory(
        tx,
        who,
        await ingestTargets(tx, article, scan.mentions),
        async () => {
          const source = await upsertSource(tx, article);
          return { source, mentions: await replaceMentions(tx, source.id, article.key, scan.mentions) };
        },
      );
      const { source, mentions } = result;
      return {
        history,
        key: article.key,
        source: source.action,
        sentences: scan.sentences,
        entitiesLinked: new Set(scan.mentions.map((mention) => mention.entityId)).size,
        mentions,
        ambiguous: scan.ambiguous,
        namesKnown: matcher.size,
      };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * The records an ingest may change: the source, and each entity whose mentions of it may change
 * (an entity's record holds the sentences that mention it): those it mentions now and those it did.
 */
async function ingestTargets(tx: Prisma.TransactionClient, article: Article, wanted: { entityId: number }[]) {
  const entities = await tx.entity.findMany({
    where: {
      OR: [
        { id: { in: [...new Set(wanted.map((mention) => mention.entityId))] } },
        { mentions: { some: { source: { key: article.key } } } },
      ],
    },
    select: { key: true },
    orderBy: { id: "asc" },
  });
  return [
    bulkTarget(sourceRecord, [article.key]),
    bulkTarget(
      entityRecord,
      entities.map((entity) => entity.key),
    ),
  ];
}

/** A row checked as every writer's rows are (src/writes/rows.ts); a problem is the ingest's input error. */
function checked<T>(schema: Parameters<typeof checkRow<T>>[0], row: unknown): T {
  try {
    return checkRow(schema, row);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new IngestInputError(error.fieldErrors.map((problem) => `${problem.path.join(".")}: ${problem.message}`));
    throw error;
  }
}

/** The source row an article is written as; publisher, file and summary are left as they are stored. */
function articleRow(article: Article): SourceRow {
  return checked(sourceRow, {
    key: article.key,
    kind: "ARTICLE",
    title: article.title,
    publishedOn: formatPartialDate(article.publishedOn),
    publisher: null,
    url: article.url,
    file: null,
    summary: null,
    body: article.body,
  });
}

async function upsertSource(
  tx: Prisma.TransactionClient,
  article: Article,
): Promise<{ id: number; action: IngestResult["source"] }> {
  const row = articleRow(article);
  const data = {
    kind: row.kind,
    title: row.title,
    publishedOn: article.publishedOn.date,
    publishedPrecision: article.publishedOn.precision,
    url: row.url,
    body: row.body,
  };
  const current = await tx.source.findUnique({ where: { key: article.key } });
  if (!current) return { id: (await tx.source.create({ data: { ...data, key: article.key } })).id, action: "created" };
  if (current.kind !== "ARTICLE") {
    throw new IngestInputError([
      `The key "${article.key}" belongs to a ${current.kind.toLowerCase()} source, not an article: give another --key.`,
    ]);
  }
  await checkFactQuotes(tx, current.id, article);
  const same =
    current.title === data.title &&
    current.publishedOn?.getTime() === data.publishedOn.getTime() &&
    current.publishedPrecision === data.publishedPrecision &&
    current.url === data.url &&
    current.body === data.body;
  if (same) return { id: current.id, action: "unchanged" };
  await tx.source.update({ where: { id: current.id }, data });
  return { id: current.id, action: "updated" };
}

/**
 * Facts (from the seed or an import) may cite this source; each quote must stay verbatim in its body,
 * so a new text that drops one is refused rather than leaving the fact without its evidence.
 */
async function checkFactQuotes(tx: Prisma.TransactionClient, sourceId: number, article: Article): Promise<void> {
  const lost = await tx.$queryRaw<{ quote: string; total: bigint }[]>`
    SELECT quote, count(*) OVER () AS total FROM (
      SELECT quote FROM "Relationship" WHERE "sourceId" = ${sourceId}
      UNION SELECT quote FROM "Observation" WHERE "sourceId" = ${sourceId}
      UNION SELECT quote FROM "Ranking" WHERE "sourceId" = ${sourceId}
      UNION SELECT quote FROM "RankingEntry" WHERE "sourceId" = ${sourceId}
      UNION SELECT quote FROM "PolicyFigure" WHERE "sourceId" = ${sourceId}
    ) AS facts
    WHERE strpos(${article.body}, quote) = 0
    LIMIT 3`;
  if (!lost.length) return;
  throw new IngestInputError([
    `Facts of source "${article.key}" quote ${Number(lost[0]!.total)} sentence(s) the new text lacks, e.g. "${lost[0]!.quote}". ` +
      "Keep those sentences, or ingest the text under another --key.",
  ]);
}

/** Makes the source's mentions exactly `wanted`: stale ones deleted, missing ones created, the rest left alone. */
async function replaceMentions(
  tx: Prisma.TransactionClient,
  sourceId: number,
  sourceKey: string,
  wanted: { entityId: number; quote: string }[],
): Promise<IngestResult["mentions"]> {
  const id = (mention: { entityId: number; quote: string }) => `${mention.entityId}\u0000${mention.quote}`;
  const existing = await tx.mention.findMany({
    where: { sourceId },
    select: { id: true, entityId: true, quote: true },
  });
  const wantedIds = new Set(wanted.map(id));
  const existingIds = new Set(existing.map(id));
  const stale = existing.filter((mention) => !wantedIds.has(id(mention))).map((mention) => mention.id);
  const missing = wanted.filter((mention) => !existingIds.has(id(mention)));
  for (const mention of missing) checked(mentionRow, { source: sourceKey, quote: mention.quote });
  if (stale.length) await tx.mention.deleteMany({ where: { id: { in: stale } } });
  if (missing.length) await tx.mention.createMany({ data: missing.map((mention) => ({ ...mention, sourceId })) });
  return { created: missing.length, removed: stale.length, unchanged: wanted.length - missing.length };
}

/** The one line the CLI prints. */
export function formatIngestSummary(result: IngestResult, article: Pick<Article, "title" | "publishedOn">): string {
  const { created, removed, unchanged } = result.mentions;
  return (
    `Source "${result.key}" ${result.source} ("${article.title}", ${formatPartialDate(article.publishedOn)}): ` +
    `${result.sentences} sentence(s), ${result.entitiesLinked} entit${result.entitiesLinked === 1 ? "y" : "ies"} linked, ` +
    `mentions ${created} created, ${removed} removed, ${unchanged} unchanged.`
  );
}
