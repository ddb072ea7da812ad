// The `Entity` interface: what every node of the graph answers, whatever its kind.
import { builder } from "./builder.js";
import type { Context } from "../context.js";
import { entityListWhere, type EntityListFilter } from "../reads/list-pages.js";
import { findEntityNamed } from "../reads/lookups.js";
import { pagesAhead } from "./read-ahead/edge-fields.js";
import { listConnection, type RowPageArgs } from "./pagination.js";
import { EntityKindEnum, SortOrderEnum } from "./enums.js";
import { MentionRef, mentionPointers, SourceRef } from "./sources.js";
import { withPointedRows } from "./read-ahead/pointed-rows.js";
import type { Alias, Entity, Mention } from "../generated/prisma/client.js";
import { typeNameOfKind } from "./type-names.js";
import { readsParent } from "./read-ahead/row-selection.js";
import type { FieldSelection } from "./read-ahead/per-selection.js";
import { anyEntity } from "../reads/entity-variants.js";

export const EntityRef = builder.prismaInterface("Entity", {
  name: "Entity",
  interfaces: [builder.nodeInterfaceRef()],
  description: "Any node of the graph: a place, company, brand, organisation or policy.",
  resolveType: (entity) => typeNameOfKind[entity.kind],
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key, e.g. `chongqing`." }),
    kind: t.expose("kind", { type: EntityKindEnum, description: "What the entity is; also told by its type name." }),
    name: t.exposeString("name", { description: "English name (pinyin for Chinese places)." }),
    nameZh: t.exposeString("nameZh", { nullable: true, description: "Chinese name." }),
    description: t.exposeString("description", {
      nullable: true,
      description: "A sentence or two on what the entity is; searched by `search`.",
    }),
    properties: t.expose("properties", {
      type: "JSON",
      description: "Further attributes without a field of their own, as a JSON object (empty when none).",
    }),
    aliases: t.stringList({
      ...readsParent("id"),
      description: "Every name the entity answers to in `entity(name:)`, primary names included.",
      resolve: async (entity, _args, ctx) =>
        (await ctx.loaders.rowsBy<Alias>("Alias", "entityId").load(entity.id)).map((alias) => alias.name),
    }),
    sources: t.field({
      ...readsParent("id"),
      type: [SourceRef],
      description: "Every source that mentions the entity or states a fact about it.",
      resolve: (entity, _args, ctx) => ctx.loaders.sourcesOfEntity.load(entity.id),
    }),
    mentions: t.field({
      ...readsParent("id"),
      type: [MentionRef],
      description: "The sentences of the sources that name the entity.",
      resolve: (entity, _args, ctx, info) =>
        withPointedRows(
          ctx,
          info,
          (joins) => ctx.loaders.rowsBy<Mention>("Mention", "entityId", joins).load(entity.id),
          mentionPointers,
        ),
    }),
  }),
});

/**
 * Node options shared by the entity variants: a global id per type over the key. The plugin reloads
 * an entity by its key only for the related rows a field wants; which type an id may name is checked
 * where the entity is first read (src/schema/node.ts).
 */
export const entityNodeOptions = {
  interfaces: [EntityRef],
  id: { field: "key" as const },
  nullable: true as const,
};

export const EntityOrderFieldEnum = builder.enumType("EntityOrderField", {
  description: "What an entity list is sorted by.",
  values: {
    NAME: { description: "The English name." },
    KEY: { description: "The stable key." },
    CREATED: { description: "When the entity was added to the graph." },
  } as const,
});

export const EntityOrderInput = builder.inputType("EntityOrder", {
  description: "How to sort an entity list.",
  fields: (t) => ({
    field: t.field({ type: EntityOrderFieldEnum, required: true, description: "What to sort by." }),
    direction: t.field({ type: SortOrderEnum, defaultValue: "ASC", description: "Which way." }),
  }),
});

type EntityOrder = { field: "NAME" | "KEY" | "CREATED"; direction?: "ASC" | "DESC" | null } | null | undefined;

function orderColumn(order: EntityOrder): "name" | "key" | "id" {
  return order?.field === "KEY" ? "key" : order?.field === "CREATED" ? "id" : "name";
}

/**
 * One page of an entity list connection, by one prepared statement (src/reads/list-pages.ts),
 * whatever the filter or the selection: rows beneath the entities that plugin-prisma's fields want
 * (aliases, mentions, …) are loaded by the plugin for the whole page, one batched query per level.
 */
export function entityConnection(
  ctx: Context,
  args: RowPageArgs & { orderBy?: EntityOrder },
  filter: EntityListFilter,
  info: FieldSelection,
) {
  return listConnection<Entity>(
    ctx,
    args,
    {
      table: "Entity",
      where: entityListWhere(filter),
      column: orderColumn(args.orderBy),
      descending: args.orderBy?.direction === "DESC",
    },
    info,
  );
}

builder.queryFields((t) => ({
  entity: t.field({
    type: EntityRef,
    nullable: true,
    description:
      'Any entity by name or alias, case-insensitive, English or Chinese ("重庆", "chongqing"), or by its key.',
    args: { name: t.arg.string({ required: true, description: "A name, alias or key, in any case." }) },
    resolve: (_parent, { name }, ctx, info) => findEntityNamed(ctx, name, anyEntity, pagesAhead(ctx, info)),
  }),
  entities: t.connection({
    type: EntityRef,
    description: "All entities, filtered by kind and name.",
    args: {
      kinds: t.arg({ type: [EntityKindEnum], required: false, description: "Only entities of these kinds." }),
      nameContains: t.arg.string({
        required: false,
        description: "Only entities whose English or Chinese name contains this, in any case.",
      }),
      orderBy: t.arg({ type: EntityOrderInput, required: false, description: "By name (A first) when absent." }),
    },
    resolve: (_parent, args, ctx, info) => entityConnection(ctx, args, { variant: anyEntity, ...args }, info),
  }),
}));

// A mention's entity, declared here rather than beside Mention so that sources.ts need not import
// the Entity interface (which imports it).
builder.objectField(MentionRef, "entity", (t) =>
  t.field({
    type: EntityRef,
    description: "The entity named.",
    resolve: (mention, _args, ctx) => ctx.loaders.pointedRow<Entity>("Entity", mention.entityId),
  }),
);
