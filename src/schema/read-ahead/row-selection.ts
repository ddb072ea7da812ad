// Which columns of the rows beneath a field its selection reads (src/reads/entity-rows.ts), so that a
// page of edges reads those columns instead of whole rows. Decided from the schema itself: a field
// exposing a column reads it, a field declared with `readsParent` reads the columns it names (an edge
// field its parent's id, `from` the relationship's `fromId`), the global `id` reads `key` and
// `__typename` the entity's kind. Anything else, or anything unknown, reads whole rows: a column
// wrongly left out would lose data, one wrongly read only time.
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type FieldNode,
  type GraphQLNamedType,
  type SelectionSetNode,
} from "graphql";
import { narrowShape, type RowModel, type RowShape } from "../../reads/entity-rows.js";
import { selectionKey, type FieldSelection } from "./per-selection.js";

/** Field options of a field whose resolver reads only these columns of its parent row. */
export const readsParent = (...columns: string[]) => ({ extensions: { readsParent: columns } }) as const;

type Selected = { type: GraphQLNamedType; selections: SelectionSetNode };
/** A field selected beneath another, with the type it is selected on. */
export type SelectedField = { type: GraphQLNamedType; field: FieldNode };

/** The fields of `at`'s selection sets, each with the type it is selected on (fragments expanded). */
function fieldsOf(info: FieldSelection, at: Selected[]): SelectedField[] {
  const found: SelectedField[] = [];
  const visit = (type: GraphQLNamedType, set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === "Field") found.push({ type, field: selection });
      else if (selection.kind === "InlineFragment") {
        visit(
          selection.typeCondition ? (info.schema.getType(selection.typeCondition.name.value) ?? type) : type,
          selection.selectionSet,
        );
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(info.schema.getType(fragment.typeCondition.name.value) ?? type, fragment.selectionSet);
      }
    }
  };
  for (const { type, selections } of at) visit(type, selections);
  return found;
}

/**
 * The shape of the `model` rows that the field being resolved returns at `path` (e.g. `["edges",
 * "other"]`): the columns the fields selected there read, across every alias, fragment and type
 * condition, or whole rows.
 */
export function rowShapeAt(info: FieldSelection, path: readonly string[], model: RowModel): RowShape {
  // Every parent of a list, and every request for the document, resolves the field with the same
  // field nodes: decide once per selection.
  const selection = selectionKey(info);
  let decided = shapes.get(selection);
  if (!decided) shapes.set(selection, (decided = new Map()));
  const key = `${model}:${path.join(".")}`;
  let shape = decided.get(key);
  if (!shape) decided.set(key, (shape = decide(info, path, model)));
  return shape;
}

const shapes = new WeakMap<object, Map<string, RowShape>>();

/**
 * The fields selected at `path` beneath the field `info` resolves (`[]`: its own selection), each
 * with the type it is selected on; null when a step names no field of its type.
 */
export function fieldsAt(info: FieldSelection, path: readonly string[]): SelectedField[] | null {
  let level: Selected[] = info.fieldNodes.flatMap((node) =>
    node.selectionSet ? [{ type: getNamedType(info.returnType), selections: node.selectionSet }] : [],
  );
  for (const step of path) {
    const next: Selected[] = [];
    for (const { type, field } of fieldsOf(info, level)) {
      if (field.name.value !== step || !field.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue;
      const definition = type.getFields()[step];
      if (!definition) return null;
      next.push({ type: getNamedType(definition.type), selections: field.selectionSet });
    }
    level = next;
  }
  return fieldsOf(info, level);
}

function decide(info: FieldSelection, path: readonly string[], model: RowModel): RowShape {
  const fields = fieldsAt(info, path);
  if (!fields) return "whole";
  const columns: string[] = [];
  for (const { type, field } of fields) {
    const name = field.name.value;
    if (name === "__typename") continue;
    if (name === "id") {
      columns.push("key");
      continue;
    }
    const definition = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
    const extensions = definition?.extensions as
      | { pothosExposedField?: string; readsParent?: readonly string[] }
      | undefined;
    if (extensions?.readsParent) columns.push(...extensions.readsParent);
    else if (extensions?.pothosExposedField) columns.push(extensions.pothosExposedField);
    else return "whole";
  }
  return narrowShape(model, columns);
}
