// Global ids in mutation arguments. A malformed id, or one of the wrong type, is a ValidationError
// on that argument (not a request error), so it arrives in the mutation's result like any other.
import type { EntityKind } from "../../generated/prisma/enums.js";
import { ValidationError } from "../../errors.js";
import { encodeGlobalId, parseGlobalId } from "../../global-id.js";
import { entityTypeNames, typeNameOfKind } from "../type-names.js";

/** The key in a global id of one of `types` ("entity" for any entity type). */
export function keyOf(globalId: string, types: "entity" | readonly string[], path: string[]): string {
  const parsed = parseGlobalId(globalId);
  const accepted =
    types === "entity" ? entityTypeNames.has(parsed?.typename ?? "") : types.includes(parsed?.typename ?? "");
  if (!parsed || !accepted) {
    const wanted = types === "entity" ? "an entity" : types.join(" or ");
    throw ValidationError.at(
      path,
      parsed
        ? `expected the id of ${wanted}, got the id of a ${parsed.typename}`
        : `"${globalId}" is not an id of this API`,
    );
  }
  return parsed.id;
}

export function entityGlobalIdOf(entity: { kind: EntityKind; key: string }): string {
  return encodeGlobalId(typeNameOfKind[entity.kind], entity.key);
}
