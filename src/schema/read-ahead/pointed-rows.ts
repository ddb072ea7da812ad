// The objects the items of a list point at (an observation's indicator and source, an entry's
// ranking), read before the list is answered when its selection asks for them. Each item then
// answers them at once: graphql-js completes an item whose fields are all at hand without building a
// promise for it, and on a list of a thousand observations those promises and their garbage were a
// third of the server's CPU. The rows are read by the same loaders, in as many statements as before.
import type { Context } from "../../context.js";
import type { PointedKeys, PointedTable } from "../../reads/loaders.js";
import { type FieldSelection, type PerSelection, perSelection } from "./per-selection.js";
import { fieldsAt } from "./row-selection.js";

export type Pointer<Row> = {
  [Table in PointedTable]: {
    /** The item's field that answers the object (`indicator`). */
    field: string;
    table: Table;
    id: (row: Row) => PointedKeys[Table];
  };
}[PointedTable];

const selectedFields: PerSelection<string, Set<string>> = new WeakMap();

/**
 * `rows` (a list field's items, or the promise of them), once the objects that the selection at
 * `path` beneath the field (`[]` for a plain list, `["edges", "node"]` for a connection) asks of them
 * are read.
 */
export async function withPointedRows<Row>(
  ctx: Pick<Context, "loaders">,
  info: FieldSelection,
  rows: Row[] | Promise<Row[]>,
  pointers: readonly Pointer<Row>[],
  path: readonly string[] = [],
): Promise<Row[]> {
  const items = await rows;
  if (!items.length) return items;
  // Every parent of a list asks with the same selection: its fields are looked up once for them all.
  const known = perSelection(selectedFields, info);
  const key = path.join(".");
  let selected = known.get(key);
  if (!selected)
    known.set(key, (selected = new Set((fieldsAt(info, path) ?? []).map(({ field }) => field.name.value))));
  const asked = pointers.filter((pointer) => selected.has(pointer.field));
  await Promise.all(
    asked.map((p) =>
      ctx.loaders.preload<PointedTable>(
        p.table,
        items.map((row) => p.id(row)),
      ),
    ),
  );
  return items;
}
