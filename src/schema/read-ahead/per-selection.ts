// Decisions made from a field's selection (the pages its edge fields will ask, whether a node's row
// answers it) are remembered per selection. A document is parsed once (Yoga's parse cache), so
// every execution of it meets the same field nodes (though in arrays graphql-js builds anew for each
// execution: a selection is known by its nodes, see selectionKey), and a selection that no variable
// and no directive can change decides the same for every request: it is remembered for all of them.
// Any other selection is remembered for one request's variables.
import { BREAK, visit, type ASTNode, type GraphQLResolveInfo } from "graphql";

/** What a look at a field's selection needs of its resolve info (a field looked ahead at has no other). */
export type FieldSelection = Pick<
  GraphQLResolveInfo,
  "fieldNodes" | "returnType" | "schema" | "fragments" | "variableValues"
>;

export type PerSelection<Key, Value> = WeakMap<object, WeakMap<object, Map<Key, Value>>>;

const everyRequest = {};
const fixedSelections = new WeakMap<object, boolean>();
const fixedFields = new WeakMap<object, boolean>();

interface Interned {
  key: object;
  next: WeakMap<object, Interned>;
}

const interned = new WeakMap<object, Interned>();

/**
 * One object for one selection: a field's type and its field nodes, the same object whenever the
 * same nodes are met again (another parent in a list, another request for the same document).
 * graphql-js collects the nodes into a new array for every parent it resolves, so the array itself
 * cannot be the key.
 */
export function selectionKey(info: Pick<FieldSelection, "fieldNodes" | "returnType">): object {
  const step = (from: WeakMap<object, Interned>, on: object): Interned => {
    let found = from.get(on);
    if (!found) from.set(on, (found = { key: {}, next: new WeakMap() }));
    return found;
  };
  let entry = step(interned, info.returnType);
  for (const node of info.fieldNodes) entry = step(entry.next, node);
  return entry.key;
}

/**
 * What is remembered in `table` for the selection beneath a field (not its own arguments: a node's
 * id is a variable, what is selected of it seldom is): for every request when no variable or
 * directive can change that selection, else for this request's variables.
 */
export function perSelection<Key, Value>(table: PerSelection<Key, Value>, info: FieldSelection): Map<Key, Value> {
  return remembered(
    table,
    info,
    isFixed(fixedSelections, info, (node) => (node.selectionSet ? [node.selectionSet] : [])),
  );
}

/** The same for decisions that read the field's own arguments too (the page an edge field asks). */
export function perField<Key, Value>(table: PerSelection<Key, Value>, info: FieldSelection): Map<Key, Value> {
  return remembered(
    table,
    info,
    isFixed(fixedFields, info, (node) => [node]),
  );
}

function remembered<Key, Value>(
  table: PerSelection<Key, Value>,
  info: FieldSelection,
  fixed: boolean,
): Map<Key, Value> {
  const selection = selectionKey(info);
  let byVariables = table.get(selection);
  if (!byVariables) table.set(selection, (byVariables = new WeakMap()));
  const variables = fixed ? everyRequest : (info.variableValues ?? everyRequest);
  let decided = byVariables.get(variables);
  if (!decided) byVariables.set(variables, (decided = new Map()));
  return decided;
}

type Roots = (node: FieldSelection["fieldNodes"][number]) => ASTNode[];

function isFixed(known: WeakMap<object, boolean>, info: FieldSelection, roots: Roots): boolean {
  const selection = selectionKey(info);
  let fixed = known.get(selection);
  if (fixed === undefined)
    known.set(selection, (fixed = !dependsOnRequest(info.fieldNodes.flatMap(roots), info.fragments)));
  return fixed;
}

/** Whether a variable or a directive appears in these nodes or the fragments they spread. */
function dependsOnRequest(nodes: ASTNode[], fragments: FieldSelection["fragments"]): boolean {
  const pending = [...nodes];
  const spread = new Set<string>();
  let depends = false;
  const visitor = {
    Variable: () => {
      depends = true;
      return BREAK;
    },
    Directive: () => {
      depends = true;
      return BREAK;
    },
    FragmentSpread: (node: { name: { value: string } }) => {
      const fragment = fragments[node.name.value];
      if (fragment && !spread.has(node.name.value)) pending.push(fragment);
      spread.add(node.name.value);
    },
  };
  while (pending.length && !depends) visit(pending.pop()!, visitor);
  return depends;
}
