// The one Pothos builder: plugins, Prisma types, scalars and root types. No domain types here.
import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import type { TokenScope } from "../auth/tokens.js";
import type { Context } from "../context.js";
import { UserInputError } from "../errors.js";
import { parseGlobalId } from "../global-id.js";
import type PrismaTypes from "../generated/pothos-types.js";
import { getDatamodel } from "../generated/pothos-types.js";
import type { PartialDate } from "../partial-date.js";
import { nodeTypeNames } from "./type-names.js";
import { DEFAULT_PAGE_SIZE } from "./page-size.js";
import { checkedMaxSize } from "./pagination.js";

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { token: TokenScope };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    PartialDate: { Input: PartialDate; Output: PartialDate };
    JSON: { Input: unknown; Output: unknown };
  };
  Connection: { totalCount: number | (() => number | Promise<number>) };
}>({
  defaultFieldNullability: false,
  // Errors wraps scope-auth, so a refused mutation comes back as a ForbiddenError in its result union.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, PrismaPlugin],
  scopeAuth: {
    // Called only when a field with authScopes resolves (mutations): reads never touch the token.
    authScopes: (ctx) => ({ token: (scope) => ctx.auth.hasScope(scope) }),
    unauthorizedError: (_parent, ctx, info, result) => ctx.auth.refusal(requiredScope(result.failure), info.fieldName),
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    decodeGlobalID(globalID) {
      // Relay ids are base64("Type:id"); anything else is the client's mistake, said plainly.
      const parsed = parseGlobalId(globalID);
      if (!parsed || !nodeTypeNames.has(parsed.typename)) {
        throw new UserInputError(`"${globalID}" is not a valid id of this API.`, "INVALID_ID", { id: globalID });
      }
      return parsed;
    },
    // node and nodes are defined with the way they read (src/schema/node.ts).
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: { description: "An object with a global id: fetch any of them again with `node(id:)`." },
    idFieldOptions: {
      description:
        "Global id (Relay): base64 of `Type:key`, stable across restarts and reloads; pass it to `node(id:)`.",
    },
    // Every connection and edge type the plugin generates, and their fields and paging arguments,
    // described once here.
    defaultConnectionTypeOptions: {
      description:
        "One page of a list (a Relay connection): its edges, where the page ends, and how many items the whole list holds.",
    },
    defaultEdgeTypeOptions: { description: "One item of a connection's page, with the cursor that marks its place." },
    pageInfoTypeOptions: { description: "Where a connection's page starts and ends, and whether there are more." },
    edgesFieldOptions: { description: "The items of this page, in order." },
    pageInfoFieldOptions: { description: "Cursors of this page's first and last item, and whether more pages follow." },
    nodeFieldOptions: { description: "The item." },
    cursorFieldOptions: { description: "Pass as `after` (or `before`) to get the items after (or before) this one." },
    hasNextPageFieldOptions: { description: "True when items follow this page (ask with `after: endCursor`)." },
    hasPreviousPageFieldOptions: {
      description: "True when items precede this page (ask with `before: startCursor`, and `last`).",
    },
    startCursorFieldOptions: { description: "The cursor of this page's first item; null on an empty page." },
    endCursorFieldOptions: { description: "The cursor of this page's last item; null on an empty page." },
    firstArgOptions: {
      description: "How many items to return from the start (or after `after`): 0 to 100, 20 when absent.",
    },
    afterArgOptions: {
      description: "Return items after the one with this cursor (an edge's `cursor` or `endCursor`).",
    },
    lastArgOptions: { description: "How many items to return from the end (or before `before`): 0 to 100." },
    beforeArgOptions: {
      description: "Return items before the one with this cursor (an edge's `cursor` or `startCursor`).",
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // Typed as a number, but every connection path calls a function here with (args, ctx) before
    // querying: it turns Pothos' silent clamping of an over-limit `first` into a coded error.
    maxConnectionSize: checkedMaxSize as unknown as number,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
  },
});

builder.queryType({ description: "Reads: entry points into the graph. Open to everyone." });
builder.mutationType({
  description:
    "Writes, each recorded as a change that `revertChange` can undo. Each needs a bearer token with a scope (`npm run token`).",
});
builder.subscriptionType({
  description: "Changes to the graph as they are committed, over Server-Sent Events or graphql-ws.",
});

function requiredScope(failure: AuthFailure): string | null {
  if (failure.kind === AuthScopeFailureType.AuthScope) return String(failure.parameter);
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const inner of failure.failures) {
      const scope = requiredScope(inner);
      if (scope) return scope;
    }
  }
  return null;
}

builder.globalConnectionField("totalCount", (t) =>
  t.int({
    description: "How many items the whole connection holds, across all pages.",
    resolve: (connection, _args, _ctx, info) => {
      // plugin-prisma fills this only for fields given a `totalCount`; a field without one used to
      // answer null, which nulled its parent (history did): name the field for whoever adds the next.
      if (connection.totalCount === undefined)
        throw new Error(`${info.parentType.name}.totalCount: the field returning it declares no totalCount.`);
      return typeof connection.totalCount === "function" ? connection.totalCount() : connection.totalCount;
    },
  }),
);
