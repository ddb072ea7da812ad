// A policy's amounts, targets and outcomes. Written by merges and deletes of policies.
import { defineRecordKind, type Tx } from "../record.js";
import { checkQuote, dateOf, dateText, entityId, source } from "../references.js";
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

export const policyFigureRecord = defineRecordKind<PolicyFigureRow>({
  type: "PolicyFigure",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.policy],

  async readMany(tx, keys) {
    const rows = await tx.policyFigure.findMany({
      where: { key: { in: [...keys] } },
      include: { policy: { select: { key: true } }, source: { select: { key: true } } },
    });
    return new Map(
      rows.map((row) => {
        const snapshot = {
          key: row.key,
          policy: row.policy.key,
          label: row.label,
          kind: row.kind,
          value: row.value,
          valueMax: row.valueMax,
          qualifier: row.qualifier,
          unit: row.unit,
          dueBy: dateText(row.dueBy, row.dueByPrecision),
          note: row.note,
          source: row.source.key,
          quote: row.quote,
          certainty: row.certainty,
        };
        return [row.key, snapshot] as const;
      }),
    );
  },

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
