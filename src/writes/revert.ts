// Reverting a change undoes the whole batch it belongs to (a merge is many changes), newest first:
// a create is deleted, an update restored to `before`, a delete re-created. Each step is possible
// only while the record is as the change left it; otherwise the revert is a ConflictError and
// nothing is written. The revert is itself a batch of changes, each pointing at what it undid.
import type { WriteBatch } from "./batch.js";
import { ConflictError, NotFoundError, WriteError } from "../errors.js";
import { recordKind } from "./records/index.js";
import { isJsonObject, sameSnapshot, type Snapshot } from "./record.js";

export async function revertBatchOf(batch: WriteBatch, changeId: number): Promise<number> {
  const { tx } = batch;
  const change = await tx.change.findUnique({ where: { id: changeId }, select: { batch: true } });
  if (!change) throw new NotFoundError(`No change has the id ${changeId}.`);
  // One revert of a batch at a time; the unique revertOfId stops a second one that got this far.
  await tx.$queryRaw`SELECT id FROM "Change" WHERE batch = ${change.batch}::uuid ORDER BY id FOR UPDATE`;
  const group = await tx.change.findMany({
    where: { batch: change.batch },
    orderBy: { id: "desc" },
    include: { revertedBy: { select: { id: true } } },
  });
  const reverted = group.find((member) => member.revertedBy);
  if (reverted)
    throw new ConflictError(`Change ${reverted.id} was reverted already (by change ${reverted.revertedBy!.id}).`);

  for (const member of group) {
    const kind = recordKind(member.targetType);
    const before = isJsonObject(member.before) ? (member.before as Snapshot) : null;
    const after = isJsonObject(member.after) ? (member.after as Snapshot) : null;
    const what = `change ${member.id} (${member.action} ${member.targetType} ${member.targetKey})`;
    if (!kind) throw new ConflictError(`Cannot revert ${what}: records of that type are not revertible.`);
    const options = { revertOf: member.id };
    try {
      if (member.action === "DELETE") {
        if (await kind.read(tx, kind.keyOf(before!))) throw new ConflictError("it exists again");
        await batch.create(kind, before!, options);
        continue;
      }
      const key = kind.keyOf(after!);
      const current = await kind.read(tx, key);
      if (!current) throw new ConflictError("it no longer exists");
      if (!sameSnapshot(current, after))
        throw new ConflictError("it has changed since; revert the later changes first");
      if (member.action === "CREATE") await batch.delete(kind, key, options);
      else await batch.update(kind, key, () => before!, options);
    } catch (error) {
      if (error instanceof WriteError) throw new ConflictError(`Cannot revert ${what}: ${error.message}`);
      throw error;
    }
  }
  return changeId;
}
