// Lists beneath each item of a root list (a city's observations, an indicator's page of observations)
// read in the root page's own statement, so that a list beneath a list is one statement, as in
// PostGraphile, rather than the page's and then the rows beneath it (src/reads/loaders.ts,
// `listPageWith`). A field declares how it reads its rows (`childListField`); the root list finds
// such a field in its items' selection, reads its rows with the page, and keeps them in the loader
// under the exact key the field's resolver then asks with. A guess that differs from what the field
// finally asks (other arguments, other pointed rows) costs a wasted read, never a wrong answer.
import { getArgumentValues, getNamedType, isInterfaceType, isObjectType, type GraphQLField } from "graphql";
import type { Context } from "../../context.js";
import type { ChildList } from "../../reads/child-pages.js";
import type { PointedJoin } from "../../reads/pointed-joins.js";
import type { FieldSelection, PerSelection } from "./per-selection.js";
import { perSelection } from "./per-selection.js";
import { type Pointer, pointedJoins, withPointedRows } from "./pointed-rows.js";
import { fieldsAt } from "./row-selection.js";

/** How a field reads the rows beneath its parent, declared once for its resolver and for the list above. */
export interface ChildListPlan<Args = Record<string, unknown>, Row = unknown> {
  /** The rows the field reads for these arguments; throws what the resolver should answer. */
  list(args: Args): ChildList<Row>;
  /** What its items point at, read in the same statement when its selection asks for them. */
  pointers: readonly Pointer<Row>[];
  /** Where its items are selected beneath it: `[]` for a plain list, `["edges", "node"]` for a connection. */
  items: readonly string[];
}

/** Field options of such a field: the plan, for the list above to read ahead, and that it reads its parent's id. */
export function childListField<Args, Row>(plan: ChildListPlan<Args, Row>) {
  return { extensions: { readsParent: ["id"], childList: plan } } as const;
}

/** The field's rows beneath `parentId`: kept already when the list above read them with its page. */
export function childRows<Args, Row>(
  ctx: Pick<Context, "loaders">,
  info: FieldSelection,
  plan: ChildListPlan<Args, Row>,
  args: Args,
  parentId: number,
): Promise<Row[]> {
  const list = plan.list(args);
  return withPointedRows(
    ctx,
    info,
    (joins) => ctx.loaders.childList(list, joins).load(parentId),
    plan.pointers,
    plan.items,
  );
}

/** A list beneath each item of a page, to read with the page, and the rows its items point at. */
export interface ChildListAhead {
  list: ChildList<unknown>;
  joins: readonly PointedJoin[];
}

const decided: PerSelection<string, ChildListAhead | null> = new WeakMap();

/**
 * The first field selected at `items` beneath a root list (`["edges", "node"]`) that declares a
 * child list, with the rows it will ask for; null when there is none. Decided once per selection
 * (and per request's variables where they can change it).
 */
export function childListAhead(info: FieldSelection, items: readonly string[]): ChildListAhead | null {
  const known = perSelection(decided, info);
  const key = items.join(".");
  let ahead = known.get(key);
  if (ahead === undefined) known.set(key, (ahead = plan(info, items)));
  return ahead;
}

function plan(info: FieldSelection, items: readonly string[]): ChildListAhead | null {
  const selected = fieldsAt(info, items) ?? [];
  // The item type itself: a field selected under a narrower type condition applies to some items only.
  const itemType = itemTypeAt(info, items);
  for (const { type, field } of selected) {
    // A field that a directive may skip is not read ahead: it may never be asked.
    if (type !== itemType || field.directives?.length || !(isObjectType(type) || isInterfaceType(type))) continue;
    const definition = type.getFields()[field.name.value] as GraphQLField<unknown, unknown> | undefined;
    const childList = (definition?.extensions as { childList?: ChildListPlan } | undefined)?.childList;
    if (!definition || !childList) continue;
    // graphql-js resolves a response key once with every node of that key: so does the plan.
    const responseKey = field.alias?.value ?? field.name.value;
    const nodes = selected
      .filter((other) => other.type === type && (other.field.alias?.value ?? other.field.name.value) === responseKey)
      .map((other) => other.field);
    if (nodes.some((node) => node.name.value !== field.name.value || node.directives?.length)) continue;
    const selection: FieldSelection = {
      fieldNodes: nodes,
      returnType: definition.type,
      schema: info.schema,
      fragments: info.fragments,
      variableValues: info.variableValues,
    };
    try {
      const list = childList.list(getArgumentValues(definition, nodes[0]!, info.variableValues));
      return { list, joins: pointedJoins(selection, childList.pointers, childList.items) };
    } catch {
      // Arguments the field will refuse: its resolver says why, with nothing read ahead.
    }
  }
  return null;
}

/** The type of the items at `items` beneath the field (the connection's node type). */
function itemTypeAt(info: FieldSelection, items: readonly string[]) {
  let type = getNamedType(info.returnType);
  for (const step of items) {
    if (!(isObjectType(type) || isInterfaceType(type))) return null;
    const field = type.getFields()[step];
    if (!field) return null;
    type = getNamedType(field.type);
  }
  return type;
}
