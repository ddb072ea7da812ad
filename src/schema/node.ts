// node(id:) and nodes(ids:): any object by its Relay global id, and the way each is read. An entity
// is one prepared statement (with the pages its edge fields will ask, read ahead); any other object
// goes plugin-prisma's way. The id of an entity merged into another leads to that other entity.
import { brandWithType } from "@pothos/core";
import { resolveNodes } from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../context.js";
import { entityVariantOf } from "../reads/entity-variants.js";
import { builder } from "./builder.js";
import { pagesAsked } from "./read-ahead/edge-fields.js";
import { rowShapeAt } from "./read-ahead/row-selection.js";
import { entityTypeNames, typeNameOfKind } from "./type-names.js";

type GlobalId = { typename: string; id: string };

/**
 * The node a global id names. An entity is read by the entity loader whatever its selection: batched
 * with every other key of the request, one prepared statement, with the pages its edge fields will
 * ask for, or, with none, only the columns its selection reads. Related rows beneath it (aliases,
 * mentions, …) are plugin-prisma's to read. Any other node (a source, a relationship, …) is the
 * plugin's, with its selection merged into one Prisma query.
 */
async function loadNode(ctx: Context, info: GraphQLResolveInfo, id: GlobalId): Promise<unknown> {
  const variant = entityVariantOf(id.typename);
  if (!variant) {
    const [node] = await resolveNodes(builder, ctx, info, [id]);
    return (await node) ?? null;
  }
  const pages = pagesAsked(info);
  // A lookup by id alone read and parsed 14 columns to answer 4: only those its selection reads.
  const entity = await (pages.length
    ? ctx.loaders.entityByKeyAhead(pages)
    : ctx.loaders.entityByKeyIn(rowShapeAt(info, [], "Entity"))
  ).load(id.id);
  if (!entity || !variant.matches(entity)) return null;
  // Branded as plugin-prisma brands its rows, so the Node and Entity interfaces resolve to the type the
  // id names; on a copy, since the loader's row may stand for another type elsewhere in the response
  // (Chongqing is a City and a Province). The brand is a type name, which the typings do not list.
  const node = { ...entity };
  brandWithType(node, id.typename as never);
  return node;
}

async function followMergedEntity(ctx: Context, info: GraphQLResolveInfo, id: GlobalId): Promise<unknown> {
  if (!entityTypeNames.has(id.typename)) return null;
  const target = await ctx.loaders.redirectTarget.load(id.id);
  if (!target) return null;
  return loadNode(ctx, info, { typename: typeNameOfKind[target.kind], id: target.key });
}

/** The node an id names, or, for the id of an entity merged away, the entity it was merged into. */
async function nodeOf(ctx: Context, info: GraphQLResolveInfo, id: GlobalId): Promise<unknown> {
  return (await loadNode(ctx, info, id)) ?? followMergedEntity(ctx, info, id);
}

builder.queryFields((t) => ({
  node: t.field({
    description: "Any object with a global id (an entity, relationship, source, ...), or null when none has it.",
    type: builder.nodeInterfaceRef(),
    nullable: true,
    args: { id: t.arg.globalID({ description: "A global id.", required: true }) },
    resolve: (_root, { id }, ctx, info) => nodeOf(ctx, info, id) as never,
  }),
  nodes: t.field({
    description: "Several objects by global id, in the order asked; null for an id that names nothing.",
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    args: { ids: t.arg.globalIDList({ description: "Global ids.", required: true }) },
    resolve: (_root, { ids }, ctx, info) => Promise.all(ids.map((id) => nodeOf(ctx, info, id))) as never,
  }),
}));
