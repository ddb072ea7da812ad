// A typed, dated edge: both ends must exist and differ, its type must exist, its quote must stand
// in its source.
import { Prisma } from "../../generated/prisma/client.js";
import type { DatePrecision } from "../../generated/prisma/enums.js";
import { ConflictError } from "../../errors.js";
import { defineRecordKind, jsonObject, type Tx } from "../record.js";
import { checkQuote, dateOf, dateText, entityId, relationType, source } from "../references.js";
import { checkRow, relationshipRow, type RelationshipRow } from "../rows.js";

/** A relationship's snapshot is its row (src/writes/rows.ts). */
export type RelationshipSnapshot = RelationshipRow;

/** A stored relationship with the keys of what it refers to, as `readRelationships` selects it. */
interface StoredRelationship {
  key: string;
  type: string;
  from: string;
  to: string;
  validFrom: string | null;
  validFromPrecision: DatePrecision | null;
  validFromBound: RelationshipSnapshot["validFromBound"];
  validTo: string | null;
  validToPrecision: DatePrecision | null;
  properties: string;
  note: string | null;
  source: string;
  quote: string;
  certainty: RelationshipSnapshot["certainty"];
}

const day = (text: string | null) => (text === null ? null : new Date(`${text}T00:00:00.000Z`));

function snapshotOf(row: StoredRelationship): RelationshipSnapshot {
  return {
    key: row.key,
    type: row.type,
    from: row.from,
    to: row.to,
    validFrom: dateText(day(row.validFrom), row.validFromPrecision),
    validFromBound: row.validFromBound,
    validTo: dateText(day(row.validTo), row.validToPrecision),
    properties: jsonObject(JSON.parse(row.properties) as Prisma.JsonValue),
    note: row.note,
    source: row.source,
    quote: row.quote,
    certainty: row.certainty,
  };
}

/**
 * Relationships as snapshots, in id order: one statement joining the keys they refer to (an import
 * reads a hundred thousand of them back for its history, where Prisma's include took a query per
 * relation and one parameter per key).
 */
async function readRelationships(tx: Tx, where: Prisma.Sql): Promise<RelationshipSnapshot[]> {
  const rows = await tx.$queryRaw<StoredRelationship[]>`
    SELECT r.key, r."typeKey" AS type, f.key AS "from", t.key AS "to",
      r."validFrom"::text AS "validFrom", r."validFromPrecision"::text AS "validFromPrecision",
      r."validFromBound"::text AS "validFromBound", r."validTo"::text AS "validTo",
      r."validToPrecision"::text AS "validToPrecision", r.properties::text AS properties, r.note,
      s.key AS source, r.quote, r.certainty::text AS certainty
    FROM "Relationship" r
    JOIN "Entity" f ON f.id = r."fromId" JOIN "Entity" t ON t.id = r."toId" JOIN "Source" s ON s.id = r."sourceId"
    WHERE ${where} ORDER BY r.id`;
  return rows.map(snapshotOf);
}

/** The relationships at either end of an entity, in id order, in one query. */
export async function relationshipsAround(tx: Tx, entityId: number): Promise<RelationshipSnapshot[]> {
  return readRelationships(tx, Prisma.sql`(r."fromId" = ${entityId} OR r."toId" = ${entityId})`);
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
    const rows = await readRelationships(tx, Prisma.sql`r.key = ANY(${[...keys]}::text[])`);
    return new Map(rows.map((row) => [row.key, row]));
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
