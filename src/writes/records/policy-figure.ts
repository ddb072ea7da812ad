// A policy's amounts, targets and outcomes. Written by merges and deletes of policies.
import { Prisma } from "../../generated/prisma/client.js";
import { defineRecordKind, partialDateSql, type Tx } from "../record.js";
import { checkQuote, dateOf, entityId, source } from "../references.js";
import { checkRow, policyFigureRow, type PolicyFigureRow } from "../rows.js";

async function columns(tx: Tx, snapshot: PolicyFigureRow) {
  checkRow(policyFigureRow, snapshot);
  const cited = await source(tx, snapshot.source);
  checkQuote(cited, snapshot.quote);
  const due = dateOf(snapshot.dueBy, "dueBy");
  return {
    policyId: await entityId(tx, snapshot.policy, "policy"),
    label: snapshot.label,
    kind: snapshot.kind,
    value: snapshot.value,
    valueMax: snapshot.valueMax,
    qualifier: snapshot.qualifier,
    unit: snapshot.unit,
    dueBy: due?.date ?? null,
    dueByPrecision: due?.precision ?? null,
    note: snapshot.note,
    sourceId: cited.id,
    quote: snapshot.quote,
    certainty: snapshot.certainty,
  };
}

/** Policy figures as snapshots built in SQL (every one's when `keys`, a text[] expression, is null). */
function snapshots(keys: Prisma.Sql | null): Prisma.Sql {
  return Prisma.sql`
    SELECT f.key, jsonb_build_object('key', f.key, 'policy', p.key, 'label', f.label, 'kind', f.kind,
        'value', (f.value::text)::jsonb, 'valueMax', (f."valueMax"::text)::jsonb, 'qualifier', f.qualifier,
        'unit', f.unit, 'dueBy', ${partialDateSql("f", "dueBy", "dueByPrecision")}, 'note', f.note,
        'source', s.key, 'quote', f.quote, 'certainty', f.certainty) AS snapshot,
      ARRAY[p.key] AS "entityKeys"
    FROM "PolicyFigure" f JOIN "Entity" p ON p.id = f."policyId" JOIN "Source" s ON s.id = f."sourceId"
    WHERE ${keys ? Prisma.sql`f.key = ANY(${keys})` : Prisma.sql`TRUE`}`;
}

export const policyFigureRecord = defineRecordKind<PolicyFigureRow>({
  type: "PolicyFigure",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.policy],

  snapshotsSql: snapshots,

  async create(tx, snapshot) {
    await tx.policyFigure.create({ data: { key: snapshot.key, ...(await columns(tx, snapshot)) } });
  },

  async update(tx, key, _current, next) {
    await tx.policyFigure.update({ where: { key }, data: await columns(tx, next) });
  },

  async delete(tx, key) {
    await tx.policyFigure.delete({ where: { key } });
  },
});
