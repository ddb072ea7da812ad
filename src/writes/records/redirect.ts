// Where the key of a merged-away entity now leads.
import { ConflictError } from "../../errors.js";
import type { RecordKind } from "../record.js";
import { entityId } from "../references.js";

export type RedirectSnapshot = { key: string; target: string };

export const redirectRecord: RecordKind<RedirectSnapshot> = {
  type: "EntityRedirect",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.key, snapshot.target],

  async read(tx, key) {
    const row = await tx.entityRedirect.findUnique({ where: { key }, include: { target: { select: { key: true } } } });
    return row ? { key: row.key, target: row.target.key } : null;
  },

  async create(tx, snapshot) {
    if (await tx.entity.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`"${snapshot.key}" is the key of an entity, so it cannot redirect.`);
    }
    await tx.entityRedirect.create({
      data: { key: snapshot.key, targetId: await entityId(tx, snapshot.target, "target") },
    });
  },

  async update(tx, key, _current, next) {
    await tx.entityRedirect.update({ where: { key }, data: { targetId: await entityId(tx, next.target, "target") } });
  },

  async delete(tx, key) {
    await tx.entityRedirect.deleteMany({ where: { key } });
  },
};
