// The objects the items of a list point at (an observation's indicator and source, an entry's
// ranking), read before the list is answered when its selection asks for them. Each item then
// answers them at once: graphql-js completes an item whose fields are all at hand without building a
// promise for it, and on a list of a thousand observations those promises and their garbage were a
// third of the server's CPU. Where the list's reader can, they come in the list's own statement
// (src/reads/pointed-joins.ts); otherwise the same loaders read them, one statement per table.
import type { Context } from "../../context.js";
import type { PointedJoin, PointedKeys, PointedTable } from "../../reads/pointed-joins.js";
import { type FieldSelection, type PerSelection, perSelection } from "./per-selection.js";
import { fieldsAt } from "./row-selection.js";

export type Pointer<Row> = {
  [Table in PointedTable]: {
    /** The item's field that answers the object (`indicator`). */
    field: string;
    table: Table;
    /** The item's column that holds the object's key. */
    column: { [Column in keyof Row & string]: Row[Column] extends PointedKeys[Table] ? Column : never }[keyof Row &
      string];
  };
}[PointedTable];

const selectedFields: PerSelection<string, Set<string>> = new WeakMap();

/** What `pointers` the selection at `path` beneath the field asks for, as the joins of a statement. */
export function pointedJoins<Row>(
  info: FieldSelection,
  pointers: readonly Pointer<Row>[],
  path: readonly string[] = [],
): PointedJoin[] {
  // Every parent of a list asks with the same selection: its fields are looked up once for them all.
  const known = perSelection(selectedFields, info);
  const key = path.join(".");
  let selected = known.get(key);
  if (!selected)
    known.set(key, (selected = new Set((fieldsAt(info, path) ?? []).map(({ field }) => field.name.value))));
  return pointers.filter((pointer) => selected.has(pointer.field)).map(({ table, column }) => ({ table, column }));
}

/**
 * The items `read` gives (a list field's, told which pointed rows to read in the same statement), once
 * the objects that the selection at `path` beneath the field (`[]` for a plain list, `["edges",
 * "node"]` for a connection) asks of them are read.
 */
export async function withPointedRows<Row>(
  ctx: Pick<Context, "loaders">,
  info: FieldSelection,
  read: (joins: readonly PointedJoin[]) => Row[] | Promise<Row[]>,
  pointers: readonly Pointer<Row>[],
  path: readonly string[] = [],
): Promise<Row[]> {
  const asked = pointedJoins(info, pointers, path);
  const items = await read(asked);
  if (!items.length) return items;
  // Rows the statement did not bring (a reader without joins) are read by their loaders; rows known
  // already cost nothing.
  await Promise.all(
    asked.map((p) =>
      ctx.loaders.preload<PointedTable>(
        p.table,
        items.map((row) => (row as Record<string, unknown>)[p.column] as PointedKeys[PointedTable]),
      ),
    ),
  );
  return items;
}
