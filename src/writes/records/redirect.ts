// Where the key of a merged-away entity now leads.
import { ConflictError } from "../../errors.js";
import { defineRecordKind } from "../record.js";
import { entityId } from "../references.js";
import { checkRow, redirectRow, type RedirectRow } from "../rows.js";

export const redirectRecord = defineRecordKind<RedirectRow>({
  type: "EntityRedirect",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.key, snapshot.target],

  async readMany(tx, keys) {
    const rows = await tx.entityRedirect.findMany({
      where: { key: { in: [...keys] } },
      include: { target: { select: { key: true } } },
    });
    return new Map(rows.map((row) => [row.key, { key: row.key, target: row.target.key }]));
  },

  async create(tx, snapshot) {
    checkRow(redirectRow, snapshot);
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
});
