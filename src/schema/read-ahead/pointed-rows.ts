// The objects the items of a list point at (an observation's indicator and source, an entry's
// ranking), read before the list is answered when its selection asks for them. Each item then
// answers them at once: graphql-js completes an item whose fields are all at hand without building a
// promise for it, and on a list of a thousand observations those promises and their garbage were a
// third of the server's CPU. The rows are read by the same loaders, in as many statements as before.
import type { Context } from "../../context.js";
import type { PointedKeys, PointedTable } from "../../reads/loaders.js";
import type { FieldSelection } from "./per-selection.js";
import { fieldsAt } from "./row-selection.js";

export type Pointer<Row> = {
  [Table in PointedTable]: {
    /** The item's field that answers the object (`indicator`). */
    field: string;
    table: Table;
    id: (row: Row) => PointedKeys[Table];
  };
}[PointedTable];

/** `rows`, once the objects that the selection at `path` beneath the field asks of them are read. */
export async function withPointedRows<Row>(
  ctx: Pick<Context, "loaders">,
  info: FieldSelection,
  path: readonly string[],
  rows: Row[],
  pointers: readonly Pointer<Row>[],
): Promise<Row[]> {
  if (!rows.length) return rows;
  const selected = new Set((fieldsAt(info, path) ?? []).map(({ field }) => field.name.value));
  const asked = pointers.filter((pointer) => selected.has(pointer.field));
  if (asked.length)
    await Promise.all(
      asked.map((p) =>
        ctx.loaders.preload<PointedTable>(
          p.table,
          rows.map((row) => p.id(row)),
        ),
      ),
    );
  return rows;
}
