// Which entities each GraphQL entity type (Province, City, …) stands for, in two forms: a SQL
// condition, for lists; and a test of a row already read, for node and name lookups. Entity rows are
// always read by hand-written SQL (docs/architecture.md), so no Prisma form is needed.
// tests/reads/entity-rows.test.ts holds the two to the same answer on the seed graph.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import { EntityKind } from "../generated/prisma/enums.js";

export interface EntityVariant {
  sql: Prisma.Sql;
  matches(entity: Pick<Entity, "kind" | "adminLevel">): boolean;
  /** The kinds it may be, for a test that can read only the kind. */
  kinds: readonly EntityKind[];
}

// Kinds are constants of this module, so they are written into the SQL, where the planner sees them.
const ofKind = (kind: EntityKind): EntityVariant => ({
  sql: Prisma.raw(`kind = '${kind}'`),
  matches: (entity) => entity.kind === kind,
  kinds: [kind],
});

/** Any entity, as `entity(name:)` and the pictures look them up. */
export const anyEntity: EntityVariant = {
  sql: Prisma.sql`true`,
  matches: () => true,
  kinds: Object.values(EntityKind),
};

export type EntityTypeName =
  | "Country"
  | "Province"
  | "City"
  | "District"
  | "Region"
  | "Company"
  | "Brand"
  | "Organization"
  | "Policy";

export const entityVariants: Readonly<Record<EntityTypeName, EntityVariant>> = {
  Country: ofKind("COUNTRY"),
  // A direct-administered municipality (Chongqing) is a CITY of provincial level, and a Province too.
  // The partial index "Entity_province_name_idx" repeats this condition word for word, so that the
  // planner matches it (prisma/migrations/20261207110000_province_list_index).
  Province: {
    sql: Prisma.raw(`(kind = 'PROVINCE' OR (kind = 'CITY' AND "adminLevel" = 'PROVINCIAL'))`),
    matches: (entity) => entity.kind === "PROVINCE" || (entity.kind === "CITY" && entity.adminLevel === "PROVINCIAL"),
    kinds: ["PROVINCE", "CITY"],
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
