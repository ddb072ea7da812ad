// Fields that answer with a page of edges (relationships, a province's cities, a place's policies…),
// and how one of them knows, from the selection beneath it, which such fields its far ends will be
// asked for next, so that one statement reads both levels (src/reads/edges.ts, `EdgeQuery.next`);
// `node`, `nodes` (src/schema/node.ts) and `<kind>(name:)` (src/reads/lookups.ts) read their entities with
// the pages beneath them (`pagesAsked`, `pagesAhead`).
// node(id) -> cities -> relationships is then one statement, not three, whatever the page sizes.
//
// A page read ahead is kept under the exact query its field will ask (same JSON key in the edges
// loader), so a guess that differs from what the field finally asks costs a wasted read, never a
// wrong answer.
import {
  getArgumentValues,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import type { EdgeQuery, PageAsked } from "../../reads/edges.js";
import { anyEntity, entityVariantOf } from "../../reads/entity-variants.js";
import type { EntityKind } from "../../generated/prisma/enums.js";
import type { PagesAhead } from "../../reads/lookups.js";
import type { Context } from "../../context.js";
import { perField, perSelection, type PerSelection } from "./per-selection.js";
import type { FieldSelection } from "./per-selection.js";
import { fieldsAt } from "./row-selection.js";

/** How a field reads its page, declared once for its resolver and for the field above it. */
export interface EdgeFieldPlan<Args = Record<string, unknown>> {
  /** The page the field asks for with these arguments; throws what the resolver should answer. */
  query(args: Args, selection: FieldSelection): EdgeQuery;
  /** Where its far ends are selected beneath it: `["edges", "other"]`, `[]` for a list of entities. */
  farEnds: readonly string[];
}

/**
 * Field options of an edge field: the plan, for the field above to read ahead, and what it reads of
 * its parent (src/schema/read-ahead/row-selection.ts): the id.
 */
export function edgeField<Args>(plan: EdgeFieldPlan<Args>) {
  return { extensions: { readsParent: ["id"], edgeField: plan } } as const;
}

/** The page a field asks for: its plan's query, with the pages its far ends will be asked for. */
export function edgeQuery<Args>(plan: EdgeFieldPlan<Args>, args: Args, info: FieldSelection): EdgeQuery {
  // A field's arguments come from its document and variables alone: every parent asks the same,
  // and one query object spares the loader re-serialising its key per parent.
  const asked = perField(queries, info);
  let query = asked.get(plan);
  if (!query) {
    const own = plan.query(args, info);
    // A page read backwards stands alone: the statement that reads levels ahead reads forwards.
    const next = own.beforeId == null ? readAhead(info, plan.farEnds) : [];
    asked.set(plan, (query = next.length ? { ...own, next } : own));
  }
  return query;
}

/** The pages the edge fields selected directly beneath a field will ask of the entity it returns. */
export const pagesAsked = (info: FieldSelection): readonly PageAsked[] => readAhead(info, []);

/** Those pages, for a lookup to read with its entity (src/reads/lookups.ts) and keep in the edges loader. */
export function pagesAhead(ctx: Context, info: FieldSelection): PagesAhead {
  return {
    asked: pagesAsked(info),
    keep: (pages) => {
      for (const page of pages) ctx.loaders.primeEdges(page);
    },
  };
}

/** The queries of the edge fields selected on the far ends, each once; decided once per selection. */
function readAhead(info: FieldSelection, farEnds: readonly string[]): readonly PageAsked[] {
  const decided = perSelection(aheads, info);
  const key = farEnds.join(".");
  let next = decided.get(key);
  if (!next) decided.set(key, (next = plan(info, farEnds)));
  return next;
}

const queries: PerSelection<object, EdgeQuery> = new WeakMap();
const aheads: PerSelection<string, readonly PageAsked[]> = new WeakMap();

function plan(info: FieldSelection, farEnds: readonly string[]): readonly PageAsked[] {
  // GraphQL merges the nodes of one response key into one field: so does this, and the field is
  // asked of the far ends of every type it is selected on.
  const byKey = new Map<
    string,
    {
      definition: GraphQLField<unknown, unknown>;
      nodes: FieldSelection["fieldNodes"][number][];
      kinds: Set<EntityKind> | null;
    }
  >();
  for (const { type, field } of fieldsAt(info, farEnds) ?? []) {
    // A field that a directive may skip is not read ahead: it may never be asked.
    if (field.directives?.length || !(isObjectType(type) || isInterfaceType(type))) continue;
    const definition = type.getFields()[field.name.value];
    if (!definition || !(definition.extensions as { edgeField?: EdgeFieldPlan }).edgeField) continue;
    const key = field.alias?.value ?? field.name.value;
    const entry = byKey.get(key) ?? byKey.set(key, { definition, nodes: [], kinds: new Set() }).get(key)!;
    entry.nodes.push(field);
    entry.kinds = union(entry.kinds, kindsOf(info.schema, type));
  }
  const distinct = new Map<string, { query: EdgeQuery; kinds: Set<EntityKind> | null }>();
  for (const { definition, nodes, kinds } of byKey.values()) {
    const fieldPlan = (definition.extensions as { edgeField: EdgeFieldPlan }).edgeField;
    const { schema, fragments, variableValues } = info;
    const selection: FieldSelection = {
      fieldNodes: nodes,
      returnType: definition.type,
      schema,
      fragments,
      variableValues,
    };
    try {
      const query = edgeQuery(fieldPlan, getArgumentValues(definition, nodes[0]!, variableValues), selection);
      if (query.beforeId != null) continue;
      const key = JSON.stringify(query);
      const asked = distinct.get(key);
      distinct.set(key, { query, kinds: asked ? union(asked.kinds, kinds) : kinds });
    } catch {
      // Arguments the field will refuse: its resolver says why, with nothing read ahead.
    }
  }
  // Every kind is no restriction (an `Entity` far end): the statement then filters nothing.
  return [...distinct.values()].map(({ query, kinds }) => ({
    query,
    kinds: kinds && kinds.size < anyEntity.kinds.length ? [...kinds].sort() : null,
  }));
}

/** Both sets of kinds; null (every kind) absorbs. */
function union(a: Set<EntityKind> | null, b: readonly EntityKind[] | Set<EntityKind> | null): Set<EntityKind> | null {
  return a && b ? new Set([...a, ...b]) : null;
}

/**
 * The kinds of entity a selection on `type` applies to: an entity type's own (a Province may be a
 * provincial-level CITY), an interface's the union of its entity types'; null (every kind) when the
 * type is not about entities.
 */
function kindsOf(schema: GraphQLSchema, type: GraphQLObjectType | GraphQLInterfaceType): readonly EntityKind[] | null {
  const objects = isInterfaceType(type) ? schema.getPossibleTypes(type) : [type];
  const kinds = objects.flatMap((object) => entityVariantOf(object.name)?.kinds ?? []);
  return kinds.length ? kinds : null;
}
