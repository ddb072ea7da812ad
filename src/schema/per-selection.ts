// Decisions made from a field's selection (the pages its edge fields will ask, whether a node's row
// answers it) are remembered per selection. A document is parsed once (Yoga's parse cache), so
// every execution of it meets the same field nodes, and a selection that no variable and
// no directive can change decides the same for every request: it is remembered for all of them. Any
// other selection is remembered for one request's variables.
import { BREAK, visit, type ASTNode } from "graphql";
import type { FieldSelection } from "./row-selection.js";

export type PerSelection<Key, Value> = WeakMap<FieldSelection["fieldNodes"], WeakMap<object, Map<Key, Value>>>;

const everyRequest = {};
const fixedSelections = new WeakMap<FieldSelection["fieldNodes"], boolean>();
const fixedFields = new WeakMap<FieldSelection["fieldNodes"], boolean>();

/**
 * What is remembered in `table` for the selection beneath a field (not its own arguments: a node's
 * id is a variable, what is selected of it seldom is): for every request when no variable or
 * directive can change that selection, else for this request's variables.
 */
export function perSelection<Key, Value>(table: PerSelection<Key, Value>, info: FieldSelection): Map<Key, Value> {
  return remembered(table, info, isFixed(fixedSelections, info, (node) => (node.selectionSet ? [node.selectionSet] : [])));
}

/** The same for decisions that read the field's own arguments too (the page an edge field asks). */
export function perField<Key, Value>(table: PerSelection<Key, Value>, info: FieldSelection): Map<Key, Value> {
  return remembered(table, info, isFixed(fixedFields, info, (node) => [node]));
}

function remembered<Key, Value>(table: PerSelection<Key, Value>, info: FieldSelection, fixed: boolean): Map<Key, Value> {
  let byVariables = table.get(info.fieldNodes);
  if (!byVariables) table.set(info.fieldNodes, (byVariables = new WeakMap()));
  const variables = fixed ? everyRequest : (info.variableValues ?? everyRequest);
  let decided = byVariables.get(variables);
  if (!decided) byVariables.set(variables, (decided = new Map()));
  return decided;
}

type Roots = (node: FieldSelection["fieldNodes"][number]) => ASTNode[];

function isFixed(known: WeakMap<FieldSelection["fieldNodes"], boolean>, info: FieldSelection, roots: Roots): boolean {
  let fixed = known.get(info.fieldNodes);
  if (fixed === undefined) known.set(info.fieldNodes, (fixed = !dependsOnRequest(info.fieldNodes.flatMap(roots), info.fragments)));
  return fixed;
}

/** Whether a variable or a directive appears in these nodes or the fragments they spread. */
function dependsOnRequest(nodes: ASTNode[], fragments: FieldSelection["fragments"]): boolean {
  const pending = [...nodes];
  const spread = new Set<string>();
  let depends = false;
  const visitor = {
    Variable: () => ((depends = true), BREAK),
    Directive: () => ((depends = true), BREAK),
    FragmentSpread: (node: { name: { value: string } }) => {
      const fragment = fragments[node.name.value];
      if (fragment && !spread.has(node.name.value)) pending.push(fragment);
      spread.add(node.name.value);
    },
  };
  while (pending.length && !depends) visit(pending.pop()!, visitor);
  return depends;
}
