// Which entities each GraphQL entity type (Province, City, …) stands for, in two forms: a Prisma filter, for the queries
// Prisma runs, and a test of a row already read, for rows read by hand-written SQL (node lookups and
// name lookups that need no related rows). tests/schema/entity-variants.test.ts holds them to the
// same answer on the seed graph.
import type { Entity, Prisma } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";

export interface EntityVariant {
  where: Prisma.EntityWhereInput;
  matches(entity: Pick<Entity, "kind" | "adminLevel">): boolean;
}

const ofKind = (kind: EntityKind): EntityVariant => ({ where: { kind }, matches: (entity) => entity.kind === kind });

/** Any entity, as `entity(name:)` and the pictures look them up. */
export const anyEntity: EntityVariant = { where: {}, matches: () => true };

export type EntityTypeName = "Country" | "Province" | "City" | "District" | "Region" | "Company" | "Brand" | "Organization" | "Policy";

export const entityVariants: Readonly<Record<EntityTypeName, EntityVariant>> = {
  Country: ofKind("COUNTRY"),
  // A direct-administered municipality (Chongqing) is a CITY of provincial level, and a Province too.
  Province: {
    where: { OR: [{ kind: "PROVINCE" }, { kind: "CITY", adminLevel: "PROVINCIAL" }] },
    matches: (entity) => entity.kind === "PROVINCE" || (entity.kind === "CITY" && entity.adminLevel === "PROVINCIAL"),
  },
  City: ofKind("CITY"),
  District: ofKind("DISTRICT"),
  Region: ofKind("REGION"),
  Company: ofKind("COMPANY"),
  Brand: ofKind("BRAND"),
  Organization: ofKind("ORGANIZATION"),
  Policy: ofKind("POLICY"),
};

export function entityVariantOf(typeName: string): EntityVariant | undefined {
  return Object.hasOwn(entityVariants, typeName) ? entityVariants[typeName as EntityTypeName] : undefined;
}
