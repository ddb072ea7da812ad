// A source. Its body backs every quote that cites it, so an edit that would strand a quote is refused,
// and a source still cited cannot go.
import { ConflictError, ValidationError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { defineRecordKind, partialDateSql, type Tx } from "../record.js";
import { dateOf } from "../references.js";
import { checkRow, sourceRow, type SourceRow } from "../rows.js";

function columns(snapshot: SourceRow) {
  checkRow(sourceRow, snapshot);
  const published = dateOf(snapshot.publishedOn, "publishedOn");
  return {
    kind: snapshot.kind,
    title: snapshot.title,
    publishedOn: published?.date ?? null,
    publishedPrecision: published?.precision ?? null,
    publisher: snapshot.publisher,
    url: snapshot.url,
    file: snapshot.file,
    summary: snapshot.summary,
    body: snapshot.body,
  };
}

/** Every quote that cites the source, with what it belongs to, for the verbatim check. */
async function quotesCiting(tx: Tx, key: string): Promise<{ what: string; quote: string }[]> {
  const where = { source: { key } };
  const select = { key: true, quote: true } as const;
  const [relationships, observations, rankings, entries, figures, mentions] = await Promise.all([
    tx.relationship.findMany({ where, select }),
    tx.observation.findMany({ where, select }),
    tx.ranking.findMany({ where, select }),
    tx.rankingEntry.findMany({ where, select }),
    tx.policyFigure.findMany({ where, select }),
    tx.mention.findMany({ where, select: { quote: true, entity: { select: { key: true } } } }),
  ]);
  return [
    ...[...relationships, ...observations, ...rankings, ...entries, ...figures].map((row) => ({
      what: row.key,
      quote: row.quote,
    })),
    ...mentions.map((row) => ({ what: `mention of ${row.entity.key}`, quote: row.quote })),
  ];
}

/** Sources as snapshots built in SQL (every one's when `keys`, a text[] expression, is null). */
function snapshots(keys: Prisma.Sql | null): Prisma.Sql {
  return Prisma.sql`
    SELECT s.key, jsonb_build_object('key', s.key, 'kind', s.kind, 'title', s.title,
        'publishedOn', ${partialDateSql("s", "publishedOn", "publishedPrecision")}, 'publisher', s.publisher,
        'url', s.url, 'file', s.file, 'summary', s.summary, 'body', s.body) AS snapshot,
      ARRAY[]::text[] AS "entityKeys"
    FROM "Source" s
    WHERE ${keys ? Prisma.sql`s.key = ANY(${keys})` : Prisma.sql`TRUE`}`;
}

export const sourceRecord = defineRecordKind<SourceRow>({
  type: "Source",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: () => [],
  snapshotsSql: snapshots,

  async create(tx, snapshot) {
    if (await tx.source.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`A source with the key "${snapshot.key}" exists already.`);
    }
    await tx.source.create({ data: { key: snapshot.key, ...columns(snapshot) } });
  },

  async update(tx, key, current, next) {
    if (next.kind === "ARTICLE" && (next.body !== current.body || current.kind !== "ARTICLE")) {
      const stranded = (await quotesCiting(tx, key)).filter(({ quote }) => !next.body.includes(quote));
      if (stranded.length) {
        throw ValidationError.at(
          ["body"],
          `The new body drops quotes cited by ${stranded
            .map(({ what }) => what)
            .slice(0, 5)
            .join(", ")}${stranded.length > 5 ? ", ..." : ""}.`,
        );
      }
    }
    await tx.source.update({ where: { key }, data: columns(next) });
  },

  async delete(tx, key) {
    const cited = await quotesCiting(tx, key);
    if (cited.length)
      throw new ConflictError(
        `The source "${key}" is still cited ${cited.length} times; delete or re-source those facts first.`,
      );
    await tx.source.delete({ where: { key } });
  },
});
