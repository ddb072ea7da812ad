// One cursor format for every connection that pages through rows: plugin-prisma's id cursor (base64
// of "GPC:" and the tagged id), which its own connections (entity lists, history) hand out. A cursor
// names the row a page continues from: the entity in entity lists, the relationship in pages of
// edges. Ranked connections (search, entitiesByRelationshipCount) page by position instead: their
// hits have no row to continue from.
//
// A bad cursor is INVALID_CURSOR on every connection. The resolvers and plugin-prisma each parse
// cursors their own way (plugin-prisma's failure is a plain validation error), so every connection
// field of the built schema checks its cursors before it resolves: one rule, which a connection
// added later follows without being told.
import { formatPrismaCursor, parsePrismaCursor } from "@pothos/plugin-prisma";
import { decodeBase64 } from "@pothos/core";
import { getNamedType, type GraphQLField, GraphQLObjectType, type GraphQLSchema } from "graphql";
import { UserInputError } from "../errors.js";

export const idCursor = (id: number): string => formatPrismaCursor({ id }, "id");

const MAX_ID = 2_147_483_647;

function invalidCursor(cursor: string): UserInputError {
  return new UserInputError(`"${cursor}" is not a cursor of this connection.`, "INVALID_CURSOR", { cursor });
}

/** The id a cursor names, or INVALID_CURSOR for anything this service did not hand out. */
export function cursorId(cursor: string): number {
  let id: unknown;
  try {
    id = parsePrismaCursor(cursor);
  } catch {
    id = undefined;
  }
  if (typeof id === "number" && Number.isSafeInteger(id) && id > 0 && id <= MAX_ID) return id;
  throw invalidCursor(cursor);
}

// plugin-relay's offset cursors: base64 of this prefix and a position from 0.
const OFFSET_PREFIX = "OffsetConnection:";

/** The position a ranked connection's cursor names, or INVALID_CURSOR. */
export function cursorOffset(cursor: string): number {
  let text = "";
  try {
    text = decodeBase64(cursor);
  } catch {
    text = "";
  }
  const digits = text.startsWith(OFFSET_PREFIX) ? text.slice(OFFSET_PREFIX.length) : "";
  if (/^(0|[1-9]\d{0,8})$/.test(digits)) return Number(digits);
  throw invalidCursor(cursor);
}

/** Field extension of the connections that page by position; the others page by row id. */
export const pagesByPosition = { pagesBy: "position" } as const;

/** Whether a field is a Relay connection paged with `after` or `before` (what the check wraps). */
export function isPagedConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  if (!(type instanceof GraphQLObjectType)) return false;
  const fields = type.getFields();
  return (
    Boolean(fields.edges && fields.pageInfo) && field.args.some((arg) => arg.name === "after" || arg.name === "before")
  );
}

/** Makes every connection field of `schema` refuse a bad `after` or `before` with INVALID_CURSOR first. */
export function checkCursorsFirst(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isPagedConnection(field) || !field.resolve) continue;
      const check = field.extensions.pagesBy === pagesByPosition.pagesBy ? cursorOffset : cursorId;
      const resolve = field.resolve;
      field.resolve = (parent, args, ctx, info) => {
        for (const name of ["after", "before"]) {
          const cursor = (args as Record<string, unknown>)[name];
          if (typeof cursor === "string") check(cursor);
        }
        return resolve(parent, args, ctx, info);
      };
    }
  }
  return schema;
}
