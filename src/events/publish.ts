// Turns committed changes into subscription events. Called after the transaction commits, never
// inside it: a subscriber must not hear of a write that could still roll back.
import type { Change, PrismaClient } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import type { ChangeEvent, GraphPubSub } from "./pubsub.js";

function snapshotKind(value: unknown): EntityKind | null {
  return value && typeof value === "object" && "kind" in value && typeof value.kind === "string"
    ? (value.kind as EntityKind)
    : null;
}

export async function publishChanges(prisma: PrismaClient, pubSub: GraphPubSub, changes: Change[]): Promise<void> {
  if (!changes.length) return;
  const keys = [...new Set(changes.flatMap((change) => change.entityKeys))];
  const kindOf = new Map<string, EntityKind>();
  // A deleted entity is no longer in the table: its snapshot still knows its kind.
  for (const change of changes) {
    const kind = change.targetType === "Entity" ? (snapshotKind(change.before) ?? snapshotKind(change.after)) : null;
    if (kind) kindOf.set(change.targetKey, kind);
  }
  // An entity's kind never changes: the table is asked only for the kinds no snapshot gave.
  const unknown = keys.filter((key) => !kindOf.has(key));
  if (unknown.length) {
    const rows = await prisma.entity.findMany({ where: { key: { in: unknown } }, select: { key: true, kind: true } });
    for (const row of rows) kindOf.set(row.key, row.kind);
  }

  for (const change of changes) {
    const event: ChangeEvent = {
      changeId: change.id,
      action: change.action,
      targetType: change.targetType,
      targetKey: change.targetKey,
      entityKeys: change.entityKeys,
      kinds: [...new Set(change.entityKeys.flatMap((key) => kindOf.get(key) ?? []))],
      change: { ...change, at: change.at.toISOString() },
    };
    pubSub.publish("graph:changed", event);
    const topic = change.targetType === "Relationship" ? "relationships:changed" : "entity:changed";
    for (const key of change.entityKeys) pubSub.publish(topic, key, event);
  }
}
