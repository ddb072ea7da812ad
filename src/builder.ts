// The one Pothos builder: plugins, Prisma types, scalars and root types. No domain types here.
import SchemaBuilder, { brandWithType } from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin, { queryFromInfo } from "@pothos/plugin-prisma";
import RelayPlugin, { resolveNodes } from "@pothos/plugin-relay";
import { entityVariantOf } from "./db/entity-variants.js";
import { needsRelatedRows } from "./db/entity-rows.js";
import type { GraphQLResolveInfo } from "graphql";
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from "@pothos/plugin-scope-auth";
import type { TokenScope } from "./auth/tokens.js";
import type { Context } from "./context.js";
import { UserInputError } from "./errors.js";
import { parseGlobalId } from "./global-id.js";
import type PrismaTypes from "./generated/pothos-types.js";
import { getDatamodel } from "./generated/pothos-types.js";
import type { PartialDate } from "./partial-date.js";
import { entityTypeNames, typeNameOfKind } from "./schema/type-names.js";
import { checkedMaxSize, DEFAULT_PAGE_SIZE } from "./schema/pagination.js";
import { pagesAsked } from "./schema/edge-fields.js";
import { perSelection, type PerSelection } from "./schema/per-selection.js";
import { rowShapeAt } from "./schema/row-selection.js";

/** Names of the types that implement Node, filled in when the schema is built (src/schema/index.ts). */
export const nodeTypeNames = new Set<string>();

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
    // An id of an entity merged into another leads to that other entity. Looked up only on a miss.
    nodeQueryOptions: {
      resolve: async (_root, { id }, ctx, info) => (await loadNode(ctx, info, id)) ?? followMergedEntity(ctx, info, id),
    },
    nodesQueryOptions: {
      resolve: (_root, { ids }, ctx, info) => Promise.all(ids.map(async (id) => (await loadNode(ctx, info, id)) ?? followMergedEntity(ctx, info, id))),
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

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

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
    const entity = await (pages.length ? ctx.loaders.entityByKeyAhead(pages) : ctx.loaders.entityByKeyIn(rowShapeAt(info, [], "Entity"))).load(id.id);
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
// once per selection and type (src/schema/per-selection.ts).
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
    resolve: (connection) => (typeof connection.totalCount === "function" ? connection.totalCount() : connection.totalCount),
  }),
);
