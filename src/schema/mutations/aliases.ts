// Names an entity answers to. The primary names (name, nameZh) change with updateEntity only.
import { z } from "zod";
import { ValidationError } from "../../errors.js";
import { aliasKey, aliasRecord } from "../../writes/records/alias.js";
import { EntityRef } from "../entity.js";
import { defineMutation } from "./define.js";
import { lockedEntity, loadEntity } from "./entities.js";
import { aliasLang, patch, text } from "./inputs.js";

const data = { field: "entity", type: EntityRef, description: "The entity, with its names as they are now." };

function notPrimary(alias: { primary: boolean }): void {
  if (alias.primary) throw ValidationError.at(["name"], "is a primary name of the entity; change it with updateEntity");
}

defineMutation({
  name: "createAlias",
  description: "Adds a name the entity answers to in `entity(name:)` and search.",
  scope: "graph:write",
  args: (arg) => ({
    entity: arg.id({ required: true, description: "Global id of the entity the alias names." }),
    name: arg.string({ required: true, description: "The new name." }),
    lang: arg.string({ required: false, description: "`en` (the default), `zh` or `pinyin`." }),
  }),
  input: z.object({ entity: z.string(), name: text, lang: aliasLang.nullish() }),
  data,
  async write(batch, input) {
    const entity = await lockedEntity(batch.tx, input.entity, "entity", "update");
    await batch.create(aliasRecord, { entity: entity.key, name: input.name, lang: input.lang ?? "en", primary: false });
    return { key: entity.key };
  },
  load: loadEntity,
});

defineMutation({
  name: "updateAlias",
  description: "Respells an alias or changes its language.",
  scope: "graph:write",
  args: (arg) => ({
    entity: arg.id({ required: true, description: "Global id of the entity the alias names." }),
    name: arg.string({ required: true, description: "The alias as it is now." }),
    newName: arg.string({ required: false, description: "The name to give it instead; unchanged when absent." }),
    lang: arg.string({ required: false, description: "`en`, `zh` or `pinyin`; unchanged when absent." }),
  }),
  input: z.object({ entity: z.string(), name: text, newName: text.nullish(), lang: aliasLang.nullish() }),
  data,
  async write(batch, input) {
    const entity = await lockedEntity(batch.tx, input.entity, "entity", "update");
    await batch.update(aliasRecord, aliasKey(entity.key, input.name), (current) => {
      notPrimary(current);
      return patch(current, { name: input.newName ?? undefined, lang: input.lang ?? undefined });
    });
    return { key: entity.key };
  },
  load: loadEntity,
});

defineMutation({
  name: "deleteAlias",
  description: "Removes a name from an entity (not one of its primary names).",
  scope: "graph:admin",
  args: (arg) => ({
    entity: arg.id({ required: true, description: "Global id of the entity the alias names." }),
    name: arg.string({ required: true, description: "The alias to remove." }),
  }),
  input: z.object({ entity: z.string(), name: text }),
  data,
  async write(batch, input) {
    const entity = await lockedEntity(batch.tx, input.entity, "entity", "update");
    notPrimary(await batch.read(aliasRecord, aliasKey(entity.key, input.name)));
    await batch.delete(aliasRecord, aliasKey(entity.key, input.name));
    return { key: entity.key };
  },
  load: loadEntity,
});
