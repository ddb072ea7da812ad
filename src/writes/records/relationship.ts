// A typed, dated edge: both ends must exist and differ, its type must exist, its quote must stand
// in its source.
import type { Prisma } from "../../generated/prisma/client.js";
import { ConflictError } from "../../errors.js";
import { defineRecordKind, jsonObject, type Tx } from "../record.js";
import { checkQuote, dateOf, dateText, entityId, relationType, source } from "../references.js";
import { checkRow, relationshipRow, type RelationshipRow } from "../rows.js";

/** A relationship's snapshot is its row (src/writes/rows.ts). */
export type RelationshipSnapshot = RelationshipRow;

const include = {
  from: { select: { key: true } },
  to: { select: { key: true } },
  source: { select: { key: true } },
} satisfies Prisma.RelationshipInclude;

function snapshotOf(row: Prisma.RelationshipGetPayload<{ include: typeof include }>): RelationshipSnapshot {
  return {
    key: row.key,
    type: row.typeKey,
    from: row.from.key,
    to: row.to.key,
    validFrom: dateText(row.validFrom, row.validFromPrecision),
    validFromBound: row.validFromBound,
    validTo: dateText(row.validTo, row.validToPrecision),
    properties: jsonObject(row.properties),
    note: row.note,
    source: row.source.key,
    quote: row.quote,
    certainty: row.certainty,
  };
}

/** The relationships at either end of an entity, in id order, in one query. */
export async function relationshipsAround(tx: Tx, entityId: number): Promise<RelationshipSnapshot[]> {
  const rows = await tx.relationship.findMany({
    where: { OR: [{ fromId: entityId }, { toId: entityId }] },
    include,
    orderBy: { id: "asc" },
  });
  return rows.map(snapshotOf);
}

async function columns(tx: Tx, snapshot: RelationshipSnapshot) {
  checkRow(relationshipRow, snapshot);
  await relationType(tx, snapshot.type);
  const fromId = await entityId(tx, snapshot.from, "from");
  const toId = await entityId(tx, snapshot.to, "to");
  const cited = await source(tx, snapshot.source);
  checkQuote(cited, snapshot.quote);
  const validFrom = dateOf(snapshot.validFrom, "validFrom");
  const validTo = dateOf(snapshot.validTo, "validTo");
  const validFromBound = snapshot.validFromBound ?? "EXACT";
  return {
    typeKey: snapshot.type,
    fromId,
    toId,
    validFrom: validFrom?.date ?? null,
    validFromPrecision: validFrom?.precision ?? null,
    validFromBound,
    validTo: validTo?.date ?? null,
    validToPrecision: validTo?.precision ?? null,
    properties: snapshot.properties as Prisma.InputJsonObject,
    note: snapshot.note,
    sourceId: cited.id,
    quote: snapshot.quote,
    certainty: snapshot.certainty,
  };
}

export const relationshipRecord = defineRecordKind<RelationshipSnapshot>({
  type: "Relationship",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.from, snapshot.to],

  async readMany(tx, keys) {
    const rows = await tx.relationship.findMany({ where: { key: { in: [...keys] } }, include });
    return new Map(rows.map((row) => [row.key, snapshotOf(row)]));
  },

  async create(tx, snapshot) {
    const data = await columns(tx, snapshot);
    if (await tx.relationship.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`A relationship with the key "${snapshot.key}" exists already.`);
    }
    await tx.relationship.create({ data: { key: snapshot.key, ...data } });
  },

  async update(tx, key, _current, next) {
    await tx.relationship.update({ where: { key }, data: await columns(tx, next) });
  },

  async delete(tx, key) {
    await tx.relationship.delete({ where: { key } });
  },
});
