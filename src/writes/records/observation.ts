// A value of an indicator for an entity over a period, in the indicator's unit.
import { parsePeriod } from "../../partial-date.js";
import { ConflictError, ValidationError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { defineRecordKind, type Tx } from "../record.js";
import { checkQuote, entityId, source } from "../references.js";
import { checkRow, observationRow, type ObservationRow } from "../rows.js";

async function columns(tx: Tx, snapshot: ObservationRow) {
  checkRow(observationRow, snapshot);
  const indicator = await tx.indicator.findUnique({
    where: { key: snapshot.indicator },
    select: { id: true, unit: true },
  });
  if (!indicator) throw ValidationError.at(["indicator"], `No indicator has the key "${snapshot.indicator}".`);
  if (snapshot.unit !== indicator.unit) {
    throw ValidationError.at(
      ["unit"],
      `The indicator "${snapshot.indicator}" is measured in "${indicator.unit}", not "${snapshot.unit}".`,
    );
  }
  const period = parsePeriod(snapshot.period);
  if (!period)
    throw ValidationError.at(
      ["period"],
      `Expected a period as "2025", "2025-H1", "2025-Q3", "2025-07" or a day, got "${snapshot.period}".`,
    );
  const cited = await source(tx, snapshot.source);
  checkQuote(cited, snapshot.quote);
  return {
    entityId: await entityId(tx, snapshot.entity, "entity"),
    indicatorId: indicator.id,
    period: snapshot.period,
    periodStart: period.start,
    periodEnd: period.end,
    periodBound: snapshot.periodBound ?? "EXACT",
    value: snapshot.value,
    valueMax: snapshot.valueMax,
    qualifier: snapshot.qualifier,
    unit: snapshot.unit,
    note: snapshot.note,
    sourceId: cited.id,
    quote: snapshot.quote,
    certainty: snapshot.certainty,
  };
}

/** Observations as snapshots built in SQL, with the keys they refer to joined in (every one's when `keys` is null). */
function snapshots(keys: Prisma.Sql | null): Prisma.Sql {
  return Prisma.sql`
    SELECT o.key, jsonb_build_object('key', o.key, 'entity', e.key, 'indicator', i.key, 'period', o.period, 'periodBound', o."periodBound",
        'value', (o.value::text)::jsonb, 'valueMax', (o."valueMax"::text)::jsonb, 'qualifier', o.qualifier, 'unit', o.unit, 'note', o.note,
        'source', s.key, 'quote', o.quote, 'certainty', o.certainty) AS snapshot,
      ARRAY[e.key] AS "entityKeys"
    FROM "Observation" o
    JOIN "Entity" e ON e.id = o."entityId" JOIN "Indicator" i ON i.id = o."indicatorId" JOIN "Source" s ON s.id = o."sourceId"
    WHERE ${keys ? Prisma.sql`o.key = ANY(${keys})` : Prisma.sql`TRUE`}`;
}

export const observationRecord = defineRecordKind<ObservationRow>({
  type: "Observation",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.entity],

  snapshotsSql: snapshots,

  async create(tx, snapshot) {
    const data = await columns(tx, snapshot);
    if (await tx.observation.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`An observation with the key "${snapshot.key}" exists already.`);
    }
    await tx.observation.create({ data: { key: snapshot.key, ...data } });
  },

  async update(tx, key, _current, next) {
    await tx.observation.update({ where: { key }, data: await columns(tx, next) });
  },

  async delete(tx, key) {
    await tx.observation.delete({ where: { key } });
  },
});
