// Deleting an entity deletes the facts about it first, each a recorded change, so that reverting
// the deletion brings every one of them back.
import type { WriteBatch } from "./batch.js";
import { entityRecord, type EntitySnapshot } from "./records/entity.js";
import { observationRecord } from "./records/observation.js";
import { policyFigureRecord } from "./records/policy-figure.js";
import { rankingEntryRecord, rankingRecord } from "./records/ranking.js";
import { redirectRecord } from "./records/redirect.js";
import { relationshipRecord } from "./records/relationship.js";

export async function deleteEntityAndFacts(batch: WriteBatch, entityId: number, key: string): Promise<EntitySnapshot> {
  const { tx } = batch;
  const select = { key: true } as const;
  const orderBy = { id: "asc" } as const;
  const [relationships, observations, entries, figures, rankings, redirects] = await Promise.all([
    tx.relationship.findMany({ where: { OR: [{ fromId: entityId }, { toId: entityId }] }, select, orderBy }),
    tx.observation.findMany({ where: { entityId }, select, orderBy }),
    tx.rankingEntry.findMany({ where: { entityId }, select, orderBy }),
    tx.policyFigure.findMany({ where: { policyId: entityId }, select, orderBy }),
    tx.ranking.findMany({ where: { scopeId: entityId }, select, orderBy }),
    tx.entityRedirect.findMany({ where: { targetId: entityId }, select, orderBy: { key: "asc" } }),
  ]);
  for (const row of relationships) await batch.delete(relationshipRecord, row.key);
  for (const row of observations) await batch.delete(observationRecord, row.key);
  for (const row of entries) await batch.delete(rankingEntryRecord, row.key);
  for (const row of figures) await batch.delete(policyFigureRecord, row.key);
  for (const row of rankings) await batch.update(rankingRecord, row.key, (ranking) => ({ ...ranking, scope: null }));
  for (const row of redirects) await batch.delete(redirectRecord, row.key);
  return batch.delete(entityRecord, key);
}
