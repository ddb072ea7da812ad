// The GraphQL object type each entity kind resolves to. Apart from the types themselves, so the
// builder can name them (to follow a merged entity's id) before any type is defined.
import type { EntityKind } from "../generated/prisma/enums.js";

export const typeNameOfKind: Record<EntityKind, string> = {
  COUNTRY: "Country",
  PROVINCE: "Province",
  CITY: "City",
  DISTRICT: "District",
  REGION: "Region",
  COMPANY: "Company",
  BRAND: "Brand",
  ORGANIZATION: "Organization",
  POLICY: "Policy",
};

export const entityTypeNames: ReadonlySet<string> = new Set(Object.values(typeNameOfKind));
