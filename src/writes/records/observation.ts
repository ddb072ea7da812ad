// A value of an indicator for an entity over a period, in the indicator's unit.
import { parsePeriod } from "../../partial-date.js";
import { ConflictError, ValidationError } from "../../errors.js";
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

export const observationRecord = defineRecordKind<ObservationRow>({
  type: "Observation",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.entity],

  // One statement joining the keys an observation refers to: an import reads a hundred thousand of
  // them back for its history, where Prisma's include took a query per relation and a parameter per key.
  async readMany(tx, keys) {
    const rows = await tx.$queryRaw<ObservationRow[]>`
      SELECT o.key, e.key AS entity, i.key AS indicator, o.period, o.value, o."valueMax",
        o.qualifier::text AS qualifier, o.unit, o.note, s.key AS source, o.quote, o.certainty::text AS certainty
      FROM "Observation" o
      JOIN "Entity" e ON e.id = o."entityId" JOIN "Indicator" i ON i.id = o."indicatorId" JOIN "Source" s ON s.id = o."sourceId"
      WHERE o.key = ANY(${[...keys]}::text[])`;
    return new Map(rows.map((row) => [row.key, row]));
  },

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
