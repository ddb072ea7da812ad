// The `Entity` interface: what every node of the graph answers, whatever its kind.
import { builder } from "./builder.js";
import type { Context } from "../context.js";
import { Prisma } from "../generated/prisma/client.js";
import { needsRelatedRows } from "../reads/entity-rows.js";
import { loadEntityPage } from "../reads/entity-pages.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { findEntityNamed } from "../reads/lookups.js";
import { likeLiteral } from "../reads/like.js";
import { pagesAhead } from "./read-ahead/edge-fields.js";
import { normalizeName } from "../names.js";
import { EntityKindEnum, SortOrderEnum } from "./enums.js";
import { SourceRef } from "./sources.js";
import { typeNameOfKind } from "./type-names.js";
import { readsParent } from "./read-ahead/row-selection.js";
import { anyEntity, type EntityVariant } from "../reads/entity-variants.js";

export const EntityRef = builder.prismaInterface("Entity", {
  name: "Entity",
  interfaces: [builder.nodeInterfaceRef()],
  description: "Any node of the graph: a place, company, brand, organisation or policy.",
  resolveType: (entity) => typeNameOfKind[entity.kind],
  fields: (t) => ({
    key: t.exposeString("key", { description: "Stable external key, e.g. `chongqing`." }),
    kind: t.expose("kind", { type: EntityKindEnum }),
    name: t.exposeString("name", { description: "English name (pinyin for Chinese places)." }),
    nameZh: t.exposeString("nameZh", { nullable: true, description: "Chinese name." }),
    description: t.exposeString("description", { nullable: true }),
    properties: t.expose("properties", { type: "JSON" }),
    aliases: t.stringList({
      description: "Every name the entity answers to in `entity(name:)`, primary names included.",
      select: { aliases: { orderBy: { id: "asc" }, select: { name: true } } },
      resolve: (entity) => entity.aliases.map((alias) => alias.name),
    }),
    sources: t.field({
      ...readsParent("id"),
      type: [SourceRef],
      description: "Every source that mentions the entity or states a fact about it.",
      resolve: (entity, _args, ctx) => ctx.loaders.sourcesOfEntity.load(entity.id),
    }),
    mentions: t.relation("mentions", {
      description: "The sentences of the sources that name the entity.",
      query: { orderBy: { id: "asc" } },
    }),
  }),
});

/** Node options shared by the entity variants: a global id per type, and a kind check on refetch. */
export function entityNodeOptions({ where }: EntityVariant) {
  return {
    interfaces: [EntityRef],
    id: { field: "key" as const },
    nullable: true as const,
    // A global id of another kind (Province:<id of a company>) finds nothing instead of mistyping.
    findUnique: (key: string) => ({ key, ...where }) as Prisma.EntityWhereUniqueInput,
  };
}

export const EntityOrderFieldEnum = builder.enumType("EntityOrderField", {
  values: ["NAME", "KEY", "CREATED"] as const,
});

export const EntityOrderInput = builder.inputType("EntityOrder", {
  fields: (t) => ({
    field: t.field({ type: EntityOrderFieldEnum, required: true }),
    direction: t.field({ type: SortOrderEnum, defaultValue: "ASC" }),
  }),
});

type EntityOrder = { field: "NAME" | "KEY" | "CREATED"; direction?: "ASC" | "DESC" | null } | null | undefined;

function orderColumn(order: EntityOrder): "name" | "key" | "id" {
  return order?.field === "KEY" ? "key" : order?.field === "CREATED" ? "id" : "name";
}

export function entityOrderBy(order: EntityOrder) {
  const direction = order?.direction === "DESC" ? ("desc" as const) : ("asc" as const);
  return [{ [orderColumn(order)]: direction }, { id: "asc" as const }] as Prisma.EntityOrderByWithRelationInput[];
}

/**
 * One page of an entity list connection. A list filtered by kind alone (`bySql`, its filter as SQL)
 * whose selection needs only the entities' own rows is read by one prepared statement
 * (src/reads/entity-pages.ts); any other goes through Prisma. Prisma turns the cursor into
 * `name > (the cursor's name) OR (name = … AND id >= …)`, which PostgreSQL cannot start an index
 * scan from: a page deep in a list read and dropped every row before it. On that path the cursor
 * row's own sort value, looked up first (one primary-key read), adds a plain range on the sort
 * column, so the scan starts at the page.
 */
export async function entityPage<
  Query extends {
    cursor?: Prisma.EntityWhereUniqueInput;
    take?: number;
    skip?: number;
    include?: object;
    select?: object;
  },
>(
  ctx: Context,
  query: Query,
  args: { after?: string | null; before?: string | null; orderBy?: EntityOrder },
  where: Prisma.EntityWhereInput,
  bySql: Prisma.Sql | null,
) {
  const column = orderColumn(args.orderBy);
  const cursorId = query.cursor?.id;
  const take = bySql && !needsRelatedRows(query) ? query.take : undefined;
  if (bySql && take !== undefined) {
    return loadEntityPage(ctx.sql, {
      where: bySql,
      column,
      descending: args.orderBy?.direction === "DESC",
      cursorId,
      take,
    });
  }
  const at = cursorId === undefined || column === "id" ? undefined : await ctx.loaders.entity.load(cursorId);
  let seek: Prisma.EntityWhereInput = {};
  if (at) {
    const forward = (args.orderBy?.direction !== "DESC") === !args.before;
    seek = { [column]: forward ? { gte: at[column] } : { lte: at[column] } };
  }
  return ctx.prisma.entity.findMany({ ...query, where: { AND: [where, seek] }, orderBy: entityOrderBy(args.orderBy) });
}

builder.queryFields((t) => ({
  entity: t.prismaField({
    type: EntityRef,
    nullable: true,
    description:
      'Any entity by name or alias, case-insensitive, English or Chinese ("重庆", "chongqing"), or by its key.',
    args: { name: t.arg.string({ required: true }) },
    resolve: (query, _parent, { name }, ctx, info) =>
      findEntityNamed(ctx, name, anyEntity, query, pagesAhead(ctx, info)),
  }),
  entities: t.prismaConnection({
    type: EntityRef,
    cursor: "id",
    description: "All entities, filtered by kind and name.",
    args: {
      kinds: t.arg({ type: [EntityKindEnum], required: false }),
      nameContains: t.arg.string({ required: false }),
      orderBy: t.arg({ type: EntityOrderInput, required: false }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.entity.count({ where: entitiesWhere(args) }),
    resolve: (query, _parent, args, ctx) =>
      entityPage(
        ctx,
        query,
        args,
        entitiesWhere(args),
        args.nameContains
          ? null
          : args.kinds?.length
            ? Prisma.sql`kind::text = ANY(${args.kinds}::text[])`
            : Prisma.sql`true`,
      ),
  }),
}));

export function nameContains(text: string | null | undefined): Prisma.EntityWhereInput {
  if (!text) return {};
  const literal = likeLiteral(text);
  return {
    OR: [
      { name: { contains: literal, mode: "insensitive" } },
      { nameZh: { contains: literal } },
      { aliases: { some: { normalized: { contains: likeLiteral(normalizeName(text)) } } } },
    ],
  };
}

function entitiesWhere(args: { kinds?: EntityKind[] | null; nameContains?: string | null }): Prisma.EntityWhereInput {
  return { ...(args.kinds?.length ? { kind: { in: args.kinds } } : {}), ...nameContains(args.nameContains) };
}
