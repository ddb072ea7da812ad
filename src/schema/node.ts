// node(id:) and nodes(ids:): any object by its Relay global id, and the way each is read. An
// entity whose selection needs only its own row is one prepared statement (with the pages its edge
// fields will ask, read ahead); anything else goes plugin-prisma's way. The id of an entity merged
// into another leads to that other entity.
import { brandWithType } from "@pothos/core";
import { queryFromInfo } from "@pothos/plugin-prisma";
import { resolveNodes } from "@pothos/plugin-relay";
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../context.js";
import { needsRelatedRows } from "../reads/entity-rows.js";
import { entityVariantOf } from "../reads/entity-variants.js";
import { builder } from "./builder.js";
import { pagesAsked } from "./read-ahead/edge-fields.js";
import { perSelection, type PerSelection } from "./read-ahead/per-selection.js";
import { rowShapeAt } from "./read-ahead/row-selection.js";
import { entityTypeNames, typeNameOfKind } from "./type-names.js";

type GlobalId = { typename: string; id: string };

/**
 * The node a global id names. An entity whose selection wants only its own row (no aliases, mentions
 * or other related rows beneath it) is read by the entity loader: batched with every other key of the
 * request, one prepared statement, no Prisma query compilation. Anything else goes the plugin's way,
 * with its selection merged into one Prisma query.
 */
async function loadNode(ctx: Context, info: GraphQLResolveInfo, id: GlobalId): Promise<unknown> {
  const variant = entityVariantOf(id.typename);
  if (variant && (await ownRowAnswers(ctx, info, id.typename))) {
    // With the pages its edge fields will ask for, when there are any: one statement for both.
    const pages = pagesAsked(info);
    // Alone, only the columns its selection reads: a lookup by id read and parsed 14 to answer 4.
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
  const [node] = await resolveNodes(builder, ctx, info, [id]);
  return (await node) ?? null;
}

// Mapping a selection to a Prisma query was a tenth of a lookup's CPU; its answer here is decided
// once per selection and type (src/schema/read-ahead/per-selection.ts).
const ownRowDecisions: PerSelection<string, boolean> = new WeakMap();

/** Whether the entity's own row answers the selection of a node of this type (nothing related beneath it). */
async function ownRowAnswers(ctx: Context, info: GraphQLResolveInfo, typeName: string): Promise<boolean> {
  const decided = perSelection(ownRowDecisions, info);
  let answers = decided.get(typeName);
  if (answers === undefined) {
    answers = !needsRelatedRows(await queryFromInfo({ context: ctx, info, typeName, awaitSelections: true }));
    decided.set(typeName, answers);
  }
  return answers;
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
    type: builder.nodeInterfaceRef(),
    nullable: true,
    args: { id: t.arg.globalID({ required: true }) },
    resolve: (_root, { id }, ctx, info) => nodeOf(ctx, info, id) as never,
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    args: { ids: t.arg.globalIDList({ required: true }) },
    resolve: (_root, { ids }, ctx, info) => Promise.all(ids.map((id) => nodeOf(ctx, info, id))) as never,
  }),
}));
