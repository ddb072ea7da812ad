// A typed, dated edge: both ends must exist and differ, its type must exist, its quote must stand
// in its source.
import { Prisma } from "../../generated/prisma/client.js";
import { ConflictError } from "../../errors.js";
import { defineRecordKind, partialDateSql, type Tx } from "../record.js";
import { checkQuote, dateOf, resolveReferences } from "../references.js";
import { checkRow, relationshipRow, type RelationshipRow } from "../rows.js";

/** A relationship's snapshot is its row (src/writes/rows.ts). */
export type RelationshipSnapshot = RelationshipRow;

/** Relationships as snapshots built in SQL, with the keys they refer to joined in, in id order. */
function snapshots(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT r.key, jsonb_build_object('key', r.key, 'type', r."typeKey", 'from', f.key, 'to', t.key,
        'validFrom', ${partialDateSql("r", "validFrom", "validFromPrecision")}, 'validFromBound', r."validFromBound",
        'validTo', ${partialDateSql("r", "validTo", "validToPrecision")}, 'properties', r.properties, 'note', r.note,
        'source', s.key, 'quote', r.quote, 'certainty', r.certainty) AS snapshot,
      CASE WHEN f.key = t.key THEN ARRAY[f.key] ELSE ARRAY[f.key, t.key] END AS "entityKeys", r.id
    FROM "Relationship" r
    JOIN "Entity" f ON f.id = r."fromId" JOIN "Entity" t ON t.id = r."toId" JOIN "Source" s ON s.id = r."sourceId"
    WHERE ${where}`;
}

/** The relationships at either end of an entity, in id order, in one query. */
export async function relationshipsAround(tx: Tx, entityId: number): Promise<RelationshipSnapshot[]> {
  const rows = await tx.$queryRaw<{ snapshot: string }[]>`
    SELECT s.snapshot::text AS snapshot FROM (${snapshots(Prisma.sql`(r."fromId" = ${entityId} OR r."toId" = ${entityId})`)}) s
    ORDER BY s.id`;
  return rows.map((row) => JSON.parse(row.snapshot) as RelationshipSnapshot);
}

async function columns(tx: Tx, snapshot: RelationshipSnapshot) {
  checkRow(relationshipRow, snapshot);
  const found = await resolveReferences(tx, {
    type: ["type", snapshot.type],
    entities: [
      ["from", snapshot.from],
      ["to", snapshot.to],
    ],
    source: ["source", snapshot.source],
  });
  const fromId = found.entityIds.get("from")!;
  const toId = found.entityIds.get("to")!;
  const cited = found.source!;
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
  snapshotsSql: (keys) => snapshots(keys ? Prisma.sql`r.key = ANY(${keys})` : Prisma.sql`TRUE`),

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
