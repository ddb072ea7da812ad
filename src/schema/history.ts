// The history of writes: every change with who made it, when, and the record before and after.
import { encodeGlobalId } from "../global-id.js";
import { builder } from "./builder.js";
import { ChangeAction } from "../generated/prisma/enums.js";
import type { Change } from "../generated/prisma/client.js";
import { EntityRef } from "./entity.js";
import { typeNameOfKind } from "./type-names.js";
import { listConnection, rowConnection, rowPage } from "./pagination.js";
import { changeList } from "../reads/list-pages.js";
import { readsParent } from "./read-ahead/row-selection.js";
import type { EntityKind } from "../generated/prisma/enums.js";

export const ChangeActionEnum = builder.enumType(ChangeAction, {
  name: "ChangeAction",
  description: "What a change did to its record.",
  values: {
    CREATE: { description: "Created it (`before` is null)." },
    UPDATE: { description: "Changed it." },
    DELETE: { description: "Deleted it (`after` is null)." },
  },
});

// Record types that are nodes of the API, so a change can name its target by global id.
const nodeTypes = new Set(["Relationship", "Observation", "RankingEntry", "Ranking", "Source"]);

function targetGlobalId(change: Change): string | null {
  if (change.targetType === "Entity") {
    const snapshot = (change.after ?? change.before) as { kind?: EntityKind } | null;
    return snapshot?.kind ? encodeGlobalId(typeNameOfKind[snapshot.kind], change.targetKey) : null;
  }
  return nodeTypes.has(change.targetType) ? encodeGlobalId(change.targetType, change.targetKey) : null;
}

export const ChangeRef = builder.prismaNode("Change", {
  id: { field: "id" },
  nullable: true,
  description: "One recorded write. A mutation records one change per record it touches; they share a `batch`.",
  fields: (t) => ({
    at: t.expose("at", { type: "DateTime", description: "When it was committed." }),
    actor: t.exposeString("actor", { description: "The name of the token that made the change." }),
    operation: t.exposeString("operation", { description: "The mutation, e.g. `updateEntity` or `mergeEntities`." }),
    action: t.expose("action", { type: ChangeActionEnum, description: "Create, update or delete." }),
    targetType: t.exposeString("targetType", {
      description:
        "Entity, Alias, Relationship, Observation, RankingEntry, Ranking, PolicyFigure, Source or EntityRedirect.",
    }),
    targetKey: t.exposeString("targetKey", { description: "The key of the record changed." }),
    targetId: t.id({
      nullable: true,
      description: "The target's global id, for targets that are nodes.",
      resolve: targetGlobalId,
    }),
    entityKeys: t.exposeStringList("entityKeys", { description: "Keys of the entities the change touches." }),
    before: t.expose("before", {
      type: "JSON",
      nullable: true,
      description: "The record before (null for a create), other records named by key.",
    }),
    after: t.expose("after", { type: "JSON", nullable: true, description: "The record after (null for a delete)." }),
    batch: t.exposeString("batch", {
      description: "Shared by the changes of one mutation; `revertChange` undoes a whole batch.",
    }),
  }),
});

// A change and the change that reverted it: declared once the type exists (each is a Change).
builder.prismaObjectFields(ChangeRef, (t) => ({
  revertOf: t.field({
    type: ChangeRef,
    nullable: true,
    description: "The change this one undid.",
    resolve: (change, _args, ctx) =>
      change.revertOfId == null ? null : ctx.loaders.rowById<Change>("Change").load(change.revertOfId),
  }),
  revertedBy: t.field({
    type: ChangeRef,
    nullable: true,
    description: "The change that undid this one.",
    resolve: async (change, _args, ctx) =>
      (await ctx.loaders.rowsBy<Change>("Change", "revertOfId").load(change.id))[0] ?? null,
  }),
}));

builder.prismaInterfaceField(EntityRef, "history", (t) =>
  t.connection({
    type: ChangeRef,
    ...readsParent("id"),
    description:
      "Changes to this entity, its names and the facts about it, newest first (those of entities merged into it included).",
    // Every entity of a list in one statement (src/reads/child-pages.ts), not a few per entity.
    resolve: async (entity, args, ctx) => {
      const page = rowPage(args);
      const rows = await ctx.loaders.historyPage(entity.id, { take: page.take, cursorId: page.cursorId });
      return { ...rowConnection(rows, page), totalCount: () => ctx.loaders.historyCount.load(entity.id) };
    },
  }),
);

builder.queryFields((t) => ({
  changes: t.connection({
    type: ChangeRef,
    description:
      "Every recorded change in the order it was made (oldest first), optionally since a moment: poll with `since` or `after`.",
    args: {
      since: t.arg({ type: "DateTime", required: false, description: "Only changes made at or after this moment." }),
    },
    resolve: (_parent, args, ctx) => listConnection<Change>(ctx, args, changeList(args.since)),
  }),
}));
