// Every object with a global id answers `id` at once, not through a promise.
//
// plugin-relay's `globalID` field resolver is an `async` function, so every `id` of every object
// was a promise, and graphql-js completes an object that has a pending field by gathering its
// fields into a promise of their own (promiseForObject): on the benchmark's `cities.observations`
// (20 cities, 635 observations, each with its entity's, indicator's and source's id) that was 1,925
// promises and objects more per request, and a quarter of its server CPU went to garbage collection.
// The id itself is computed synchronously from the row (its key); only the wrapper was async. This
// answers the same id, synchronously, encoded as the plugin's own `encodeGlobalID` encodes it
// (src/global-id.ts, `encodeGlobalId`); a type whose id is not known at once (none today) keeps the
// plugin's resolver.
import { encodeGlobalId } from "../global-id.js";
import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";

type IdResolver = GraphQLFieldResolver<unknown, unknown>;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === "function";

export function syncNodeIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === "Node")) continue;
    const field = type.getFields().id;
    // The node's own id resolver (plugin-prisma's `id: { field: "key" }`), before the plugin's wrapper.
    const raw = (type.extensions.pothosOptions as { id?: { resolve?: IdResolver } } | undefined)?.id?.resolve;
    // Only where no other plugin wrapped the field: its resolver is then the plugin's globalID wrapper.
    if (!field?.resolve || !raw || field.resolve !== field.extensions.pothosOriginalResolve) continue;
    const wrapped = field.resolve;
    field.resolve = (parent, args, context, info) => {
      const id = raw(parent, args, context, info);
      if (isThenable(id)) return wrapped(parent, args, context, info);
      return id == null ? id : encodeGlobalId(type.name, String(id));
    };
  }
  return schema;
}
