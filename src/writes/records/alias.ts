// One name of an entity. Its key is "<entity key>/<normalised name>": the pair is unique.
import { compactName, normalizeName } from "../../names.js";
import { ConflictError, ValidationError } from "../../errors.js";
import { defineRecordKind, type Tx } from "../record.js";
import { entityId } from "../references.js";
import { aliasRow, checkRow, type AliasRow } from "../rows.js";

export function aliasKey(entityKey: string, name: string): string {
  return `${entityKey}/${normalizeName(name)}`;
}

function splitKey(key: string): { entity: string; normalized: string } {
  const slash = key.indexOf("/");
  return { entity: key.slice(0, slash), normalized: key.slice(slash + 1) };
}

async function storedAlias(tx: Tx, key: string) {
  const { entity, normalized } = splitKey(key);
  return tx.alias.findFirst({
    where: { entity: { key: entity }, normalized },
    include: { entity: { select: { key: true } } },
  });
}

function columns(snapshot: AliasRow) {
  checkRow(aliasRow, snapshot);
  if (!normalizeName(snapshot.name)) throw ValidationError.at(["name"], "A name must not be empty.");
  return {
    name: snapshot.name,
    normalized: normalizeName(snapshot.name),
    compact: compactName(snapshot.name),
    lang: snapshot.lang,
    primary: snapshot.primary,
  };
}

export const aliasRecord = defineRecordKind<AliasRow>({
  type: "Alias",
  keyOf: (snapshot) => aliasKey(snapshot.entity, snapshot.name),
  entityKeys: (snapshot) => [snapshot.entity],

  // Aliases are read one by one: no bulk write records them apart from their entity.
  async readMany(tx, keys) {
    const found = new Map<string, AliasRow>();
    for (const key of keys) {
      const row = await storedAlias(tx, key);
      if (row)
        found.set(key, {
          entity: row.entity.key,
          name: row.name,
          lang: row.lang as AliasRow["lang"],
          primary: row.primary,
        });
    }
    return found;
  },

  async create(tx, snapshot) {
    const data = columns(snapshot);
    const id = await entityId(tx, snapshot.entity, "entity");
    if (await storedAlias(tx, aliasKey(snapshot.entity, snapshot.name)))
      throw new ConflictError(`"${snapshot.entity}" has the name "${snapshot.name}" already.`);
    await tx.alias.create({ data: { entityId: id, ...data } });
  },

  async update(tx, key, _current, next) {
    const row = await storedAlias(tx, key);
    if (!row) return;
    const nextKey = aliasKey(next.entity, next.name);
    if (nextKey !== key && (await storedAlias(tx, nextKey)))
      throw new ConflictError(`"${next.entity}" has the name "${next.name}" already.`);
    await tx.alias.update({ where: { id: row.id }, data: columns(next) });
  },

  async delete(tx, key) {
    const row = await storedAlias(tx, key);
    if (row) await tx.alias.delete({ where: { id: row.id } });
  },
});
