// One cursor format for every connection that pages through rows: plugin-prisma's id cursor (base64
// of "GPC:" and the tagged id), which its own connections (entity lists, history) hand out. A cursor
// names the row a page continues from: the entity in entity lists, the relationship in pages of
// edges. Search alone pages by position: its hits are ranked by score, with no row to continue from.
import { formatPrismaCursor, parsePrismaCursor } from "@pothos/plugin-prisma";
import { UserInputError } from "../errors.js";

export const idCursor = (id: number): string => formatPrismaCursor({ id }, "id");

/** The id a cursor names, or INVALID_CURSOR for anything this service did not hand out. */
export function cursorId(cursor: string): number {
  let id: unknown;
  try {
    id = parsePrismaCursor(cursor);
  } catch {
    id = undefined;
  }
  if (typeof id === "number" && Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647) return id;
  throw new UserInputError(`"${cursor}" is not a cursor of this connection.`, "INVALID_CURSOR");
}
