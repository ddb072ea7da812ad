// Rankings and their entries. An entry cites its ranking's source; one entry per entity a ranking.
import { parsePeriod } from "../../partial-date.js";
import { ConflictError, ValidationError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { defineRecordKind, type Tx } from "../record.js";
import { checkQuote, entityId, source } from "../references.js";
import { checkRow, rankingEntryRow, rankingRow, type RankingEntryRow, type RankingRow } from "../rows.js";

async function entryColumns(tx: Tx, snapshot: RankingEntryRow) {
  checkRow(rankingEntryRow, snapshot);
  const ranking = await tx.ranking.findUnique({ where: { key: snapshot.ranking }, select: { id: true } });
  if (!ranking) throw ValidationError.at(["ranking"], `No ranking has the key "${snapshot.ranking}".`);
  const cited = await source(tx, snapshot.source);
  checkQuote(cited, snapshot.quote);
  return {
    rankingId: ranking.id,
    entityId: await entityId(tx, snapshot.entity, "entity"),
    rank: snapshot.rank,
    value: snapshot.value,
    unit: snapshot.unit,
    note: snapshot.note,
    sourceId: cited.id,
    quote: snapshot.quote,
    certainty: snapshot.certainty,
  };
}

async function checkOneEntryPerEntity(
  tx: Tx,
  rankingId: number,
  entityId: number,
  ownKey: string | null,
  snapshot: RankingEntryRow,
) {
  const other = await tx.rankingEntry.findUnique({
    where: { rankingId_entityId: { rankingId, entityId } },
    select: { key: true },
  });
  if (other && other.key !== ownKey)
    throw new ConflictError(
      `"${snapshot.entity}" has an entry in the ranking "${snapshot.ranking}" already (${other.key}).`,
    );
}

/** Ranking entries as snapshots built in SQL (every one's when `keys`, a text[] expression, is null). */
function entrySnapshots(keys: Prisma.Sql | null): Prisma.Sql {
  return Prisma.sql`
    SELECT x.key, jsonb_build_object('key', x.key, 'ranking', r.key, 'entity', e.key, 'rank', x.rank,
        'value', (x.value::text)::jsonb, 'unit', x.unit, 'note', x.note, 'source', s.key, 'quote', x.quote,
        'certainty', x.certainty) AS snapshot,
      ARRAY[e.key] AS "entityKeys"
    FROM "RankingEntry" x JOIN "Ranking" r ON r.id = x."rankingId" JOIN "Entity" e ON e.id = x."entityId"
      JOIN "Source" s ON s.id = x."sourceId"
    WHERE ${keys ? Prisma.sql`x.key = ANY(${keys})` : Prisma.sql`TRUE`}`;
}

/** Rankings as snapshots built in SQL (every one's when `keys`, a text[] expression, is null). */
function rankingSnapshots(keys: Prisma.Sql | null): Prisma.Sql {
  return Prisma.sql`
    SELECT r.key, jsonb_build_object('key', r.key, 'name', r.name, 'topic', r.topic, 'indicator', i.key,
        'period', r.period, 'scope', sc.key, 'note', r.note, 'source', s.key, 'quote', r.quote) AS snapshot,
      CASE WHEN sc.key IS NULL THEN ARRAY[]::text[] ELSE ARRAY[sc.key] END AS "entityKeys"
    FROM "Ranking" r LEFT JOIN "Indicator" i ON i.id = r."indicatorId" LEFT JOIN "Entity" sc ON sc.id = r."scopeId"
      JOIN "Source" s ON s.id = r."sourceId"
    WHERE ${keys ? Prisma.sql`r.key = ANY(${keys})` : Prisma.sql`TRUE`}`;
}

export const rankingEntryRecord = defineRecordKind<RankingEntryRow>({
  type: "RankingEntry",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.entity],

  snapshotsSql: entrySnapshots,

  async create(tx, snapshot) {
    const data = await entryColumns(tx, snapshot);
    if (await tx.rankingEntry.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`A ranking entry with the key "${snapshot.key}" exists already.`);
    }
    await checkOneEntryPerEntity(tx, data.rankingId, data.entityId, null, snapshot);
    await tx.rankingEntry.create({ data: { key: snapshot.key, ...data } });
  },

  async update(tx, key, _current, next) {
    const data = await entryColumns(tx, next);
    await checkOneEntryPerEntity(tx, data.rankingId, data.entityId, key, next);
    await tx.rankingEntry.update({ where: { key }, data });
  },

  async delete(tx, key) {
    await tx.rankingEntry.delete({ where: { key } });
  },
});

async function rankingColumns(tx: Tx, snapshot: RankingRow) {
  checkRow(rankingRow, snapshot);
  const period = parsePeriod(snapshot.period);
  if (!period)
    throw ValidationError.at(["period"], `Expected a period such as "2025" or "2025-H1", got "${snapshot.period}".`);
  const indicator = snapshot.indicator
    ? await tx.indicator.findUnique({ where: { key: snapshot.indicator }, select: { id: true } })
    : null;
  if (snapshot.indicator && !indicator)
    throw ValidationError.at(["indicator"], `No indicator has the key "${snapshot.indicator}".`);
  const cited = await source(tx, snapshot.source);
  checkQuote(cited, snapshot.quote);
  return {
    name: snapshot.name,
    topic: snapshot.topic,
    indicatorId: indicator?.id ?? null,
    period: snapshot.period,
    periodStart: period.start,
    periodEnd: period.end,
    scopeId: snapshot.scope ? await entityId(tx, snapshot.scope, "scope") : null,
    note: snapshot.note,
    sourceId: cited.id,
    quote: snapshot.quote,
  };
}

/** Rankings are written by merges and deletes only (an entity that scopes one); no mutation of their own yet. */
export const rankingRecord = defineRecordKind<RankingRow>({
  type: "Ranking",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => (snapshot.scope ? [snapshot.scope] : []),

  snapshotsSql: rankingSnapshots,

  async create(tx, snapshot) {
    await tx.ranking.create({ data: { key: snapshot.key, ...(await rankingColumns(tx, snapshot)) } });
  },

  async update(tx, key, _current, next) {
    await tx.ranking.update({ where: { key }, data: await rankingColumns(tx, next) });
  },

  async delete(tx, key) {
    const entries = await tx.rankingEntry.count({ where: { ranking: { key } } });
    if (entries) throw new ConflictError(`The ranking "${key}" still has ${entries} entries.`);
    await tx.ranking.delete({ where: { key } });
  },
});
