// Entities and relationships as plugin-prisma objects: relations through t.relation and
// t.relatedConnection, root fields through prismaField and prismaConnection, each spreading `query`
// so plugin-prisma selects what the request asks for.
import { EntityKind as EntityKindValues } from "../../../src/generated/prisma/enums.js";
import { normalizeName } from "../../../src/names.js";
import { builder } from "./builder.js";

export const EntityKind = builder.enumType(EntityKindValues, { name: "EntityKind" });

export const Entity = builder.prismaNode("Entity", {
  id: { field: "key" },
  fields: (t) => ({
    key: t.exposeString("key"),
    kind: t.expose("kind", { type: EntityKind }),
    name: t.exposeString("name"),
    nameZh: t.exposeString("nameZh", { nullable: true }),
    outgoing: t.relatedConnection("outgoing", {
      cursor: "id",
      args: { type: t.arg.string() },
      query: ({ type }) => ({ where: { typeKey: type ?? undefined }, orderBy: { id: "asc" } }),
    }),
    incoming: t.relatedConnection("incoming", {
      cursor: "id",
      args: { type: t.arg.string(), fromKind: t.arg({ type: EntityKind }) },
      query: ({ type, fromKind }) => ({
        where: { typeKey: type ?? undefined, from: fromKind ? { kind: fromKind } : undefined },
        orderBy: { id: "asc" },
      }),
    }),
  }),
});

builder.prismaObject("RelationType", {
  fields: (t) => ({
    key: t.exposeString("key"),
    label: t.exposeString("label"),
    inverseLabel: t.exposeString("inverseLabel"),
  }),
});

builder.prismaObject("Relationship", {
  fields: (t) => ({
    key: t.exposeString("key"),
    typeKey: t.exposeString("typeKey"),
    type: t.relation("type"),
    from: t.relation("from"),
    to: t.relation("to"),
  }),
});

builder.queryFields((t) => ({
  entityByName: t.prismaField({
    type: "Entity",
    nullable: true,
    description: "The entity with this name or alias (normalized), or this key; the lowest id when several.",
    args: { name: t.arg.string({ required: true }) },
    resolve: async (query, _root, { name }, { prisma }) => {
      const alias = await prisma.alias.findFirst({
        where: { normalized: normalizeName(name) },
        orderBy: { entityId: "asc" },
        select: { entityId: true },
      });
      return prisma.entity.findFirst({
        ...query,
        where: { OR: [{ key: name.trim() }, ...(alias ? [{ id: alias.entityId }] : [])] },
        orderBy: { id: "asc" },
      });
    },
  }),

  cities: t.prismaConnection({
    type: "Entity",
    cursor: "id",
    description: "Cities by name.",
    resolve: (query, _root, _args, { prisma }) =>
      prisma.entity.findMany({ ...query, where: { kind: "CITY" }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
}));
