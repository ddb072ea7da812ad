// Merging a duplicate entity into the one that survives. Its facts move to the survivor; a fact the
// survivor already states (same type, ends, source and dates) or one that would link the survivor
// to itself is folded (deleted); its names and mentions join the survivor's; its key becomes a
// redirect. Every step is a recorded change of one batch, so the merge reverts as a whole.
import { normalizeName } from "../names.js";
import type { WriteBatch } from "./batch.js";
import { mergedAway, NotFoundError, ValidationError } from "../errors.js";
import { lockEntities } from "./locks.js";
import { entityRecord, sortAliases, type EntitySnapshot } from "./records/entity.js";
import { observationRecord } from "./records/observation.js";
import { policyFigureRecord } from "./records/policy-figure.js";
import { rankingEntryRecord, rankingRecord } from "./records/ranking.js";
import { redirectRecord } from "./records/redirect.js";
import { relationshipRecord, relationshipsAround, type RelationshipSnapshot } from "./records/relationship.js";

export async function mergeEntities(batch: WriteBatch, survivorKey: string, duplicateKey: string): Promise<string> {
  const { tx } = batch;
  const locked = await lockEntities(tx, [survivorKey, duplicateKey], "update");
  const survivor = locked.get(survivorKey);
  const duplicate = locked.get(duplicateKey);
  if (!survivor) throw new NotFoundError(`No entity has the key "${survivorKey}".`);
  if (!duplicate) throw new NotFoundError(`No entity has the key "${duplicateKey}".`);
  if (survivor.id === duplicate.id)
    throw ValidationError.at(["duplicate"], `"${duplicateKey}" is "${survivor.key}" already.`);
  if (duplicate.key !== duplicateKey) throw mergedAway(duplicateKey, duplicate.key);
  if (survivor.kind !== duplicate.kind) {
    throw ValidationError.at(
      ["duplicate"],
      `Only entities of one kind merge: "${duplicate.key}" is a ${duplicate.kind}, "${survivor.key}" a ${survivor.kind}.`,
    );
  }
  const moveEnd = (key: string) => (key === duplicate.key ? survivor.key : key);

  const symmetric = new Set(
    (await tx.relationType.findMany({ where: { symmetric: true }, select: { key: true } })).map((type) => type.key),
  );
  const edgeSignature = (rel: RelationshipSnapshot) => {
    const ends = symmetric.has(rel.type) ? [rel.from, rel.to].sort() : [rel.from, rel.to];
    return JSON.stringify([rel.type, ...ends, rel.source, rel.validFrom, rel.validFromBound ?? "EXACT", rel.validTo]);
  };
  const stated = new Set((await relationshipsAround(tx, survivor.id)).map(edgeSignature));
  for (const current of await relationshipsAround(tx, duplicate.id)) {
    const moved = { ...current, from: moveEnd(current.from), to: moveEnd(current.to) };
    if (moved.from === moved.to || stated.has(edgeSignature(moved)))
      await batch.delete(relationshipRecord, current.key);
    else {
      await batch.update(relationshipRecord, current.key, () => moved);
      stated.add(edgeSignature(moved));
    }
  }

  // A period and a bound on an unknown one are different claims, as a start and its bound are.
  const observationSignature = (obs: { indicatorId: number; period: string; periodBound: string; sourceId: number }) =>
    JSON.stringify([obs.indicatorId, obs.period, obs.periodBound, obs.sourceId]);
  const observationsOf = (entityId: number) =>
    tx.observation.findMany({
      where: { entityId },
      select: { key: true, indicatorId: true, period: true, periodBound: true, sourceId: true },
      orderBy: { id: "asc" },
    });
  const observed = new Set((await observationsOf(survivor.id)).map(observationSignature));
  for (const observation of await observationsOf(duplicate.id)) {
    if (observed.has(observationSignature(observation))) await batch.delete(observationRecord, observation.key);
    else await batch.update(observationRecord, observation.key, (current) => ({ ...current, entity: survivor.key }));
  }

  const ranked = new Set(
    (await tx.rankingEntry.findMany({ where: { entityId: survivor.id }, select: { rankingId: true } })).map(
      (e) => e.rankingId,
    ),
  );
  for (const entry of await tx.rankingEntry.findMany({
    where: { entityId: duplicate.id },
    select: { key: true, rankingId: true },
    orderBy: { id: "asc" },
  })) {
    if (ranked.has(entry.rankingId)) await batch.delete(rankingEntryRecord, entry.key);
    else await batch.update(rankingEntryRecord, entry.key, (current) => ({ ...current, entity: survivor.key }));
  }
  for (const { key } of await tx.policyFigure.findMany({
    where: { policyId: duplicate.id },
    select: { key: true },
    orderBy: { id: "asc" },
  })) {
    await batch.update(policyFigureRecord, key, (current) => ({ ...current, policy: survivor.key }));
  }
  for (const { key } of await tx.ranking.findMany({
    where: { scopeId: duplicate.id },
    select: { key: true },
    orderBy: { id: "asc" },
  })) {
    await batch.update(rankingRecord, key, (current) => ({ ...current, scope: survivor.key }));
  }
  // Keys merged into the duplicate earlier now lead to the survivor: no chains of redirects.
  for (const { key } of await tx.entityRedirect.findMany({
    where: { targetId: duplicate.id },
    select: { key: true },
    orderBy: { key: "asc" },
  })) {
    await batch.update(redirectRecord, key, (current) => ({ ...current, target: survivor.key }));
  }

  const gone = await batch.read(entityRecord, duplicate.key);
  await batch.update(entityRecord, survivor.key, (current) => absorb(current, gone));
  await batch.delete(entityRecord, duplicate.key);
  await batch.create(redirectRecord, { key: duplicate.key, target: survivor.key });
  return survivor.key;
}

/** The survivor with the duplicate's names (as plain aliases), mentions and, if it has none, policy dates. */
function absorb(survivor: EntitySnapshot, duplicate: EntitySnapshot): EntitySnapshot {
  const names = new Set(survivor.aliases.map((alias) => normalizeName(alias.name)));
  const aliases = [...survivor.aliases];
  for (const alias of duplicate.aliases) {
    if (names.has(normalizeName(alias.name))) continue;
    names.add(normalizeName(alias.name));
    aliases.push({ ...alias, primary: false });
  }
  const mentionKey = (mention: { source: string; quote: string }) => `${mention.source}\n${mention.quote}`;
  const mentioned = new Set(survivor.mentions.map(mentionKey));
  const mentions = [
    ...survivor.mentions,
    ...duplicate.mentions.filter((mention) => !mentioned.has(mentionKey(mention))),
  ];
  return {
    ...survivor,
    aliases: sortAliases(aliases),
    mentions: mentions.sort((a, b) => (mentionKey(a) < mentionKey(b) ? -1 : 1)),
    policy: survivor.policy ?? duplicate.policy,
  };
}
