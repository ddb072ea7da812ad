// Live changes, over Server-Sent Events or graphql-ws. Each event is a committed Change; with
// REDIS_URL the events of every instance reach the subscribers of every other.
import { filter, pipe } from "graphql-yoga";
import { builder } from "./builder.js";
import { refreshForEvent, type Context } from "../context.js";
import { UserInputError } from "../errors.js";
import type { ChangeEvent } from "../events/pubsub.js";
import type { Change } from "../generated/prisma/client.js";
import { EntityKindEnum } from "./enums.js";
import { entityFromGlobalId } from "./exploration.js";
import { ChangeRef } from "./history.js";

async function subscribedEntityKey(
  ctx: Context,
  id: { typename: string; id: string },
  argument: string,
): Promise<string> {
  const entity = await entityFromGlobalId(ctx, id, argument);
  if (!entity) throw new UserInputError(`No entity has the id given as "${argument}".`, "NOT_FOUND");
  return entity.key;
}

/**
 * The change as the event carries it (a committed change is never rewritten, so no read per
 * subscriber); anything selected below it is read as the database holds it now.
 */
async function changeOf(event: ChangeEvent, ctx: Context): Promise<Change> {
  refreshForEvent(ctx);
  // An instance of an earlier version, during a rolling deploy, sends the id alone.
  if (!event.change) return ctx.prisma.change.findUniqueOrThrow({ where: { id: event.changeId } });
  return { ...event.change, at: new Date(event.change.at) };
}

builder.subscriptionFields((t) => ({
  entityChanged: t.field({
    type: ChangeRef,
    description:
      "Changes to one entity: its fields, names, observations and ranking entries, its deletion or its merge.",
    args: { id: t.arg.globalID({ required: true, description: "Global id of the entity to watch." }) },
    subscribe: async (_root, args, ctx) =>
      ctx.pubSub.subscribe("entity:changed", await subscribedEntityKey(ctx, args.id, "id")),
    resolve: (event, _args, ctx) => changeOf(event, ctx),
  }),
  relationshipsChanged: t.field({
    type: ChangeRef,
    description: "Relationships created, changed or deleted at either end of one entity.",
    args: { entityId: t.arg.globalID({ required: true, description: "Global id of the entity to watch." }) },
    subscribe: async (_root, args, ctx) =>
      ctx.pubSub.subscribe("relationships:changed", await subscribedEntityKey(ctx, args.entityId, "entityId")),
    resolve: (event, _args, ctx) => changeOf(event, ctx),
  }),
  graphChanged: t.field({
    type: ChangeRef,
    description: "Every change to the graph; with `kinds`, only changes that touch an entity of one of those kinds.",
    args: {
      kinds: t.arg({
        type: [EntityKindEnum],
        required: false,
        description: "Only changes touching an entity of one of these kinds; every change when absent.",
      }),
    },
    subscribe: (_root, args, ctx) => {
      const kinds = args.kinds?.length ? new Set(args.kinds) : null;
      return pipe(
        ctx.pubSub.subscribe("graph:changed"),
        filter((event: ChangeEvent) => !kinds || event.kinds.some((kind) => kinds.has(kind))),
      );
    },
    resolve: (event, _args, ctx) => changeOf(event, ctx),
  }),
}));
