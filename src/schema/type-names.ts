// The names of the GraphQL object types that have ids, apart from the types themselves, so the
// builder can tell a global id of this API from any other before any type is defined.
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

/** Every object type that implements Node: a global id naming any other type is INVALID_ID. */
export const nodeTypeNames: ReadonlySet<string> = new Set([
  ...entityTypeNames,
  "Change",
  "Indicator",
  "Observation",
  "PolicyFigure",
  "Ranking",
  "RankingEntry",
  "Relationship",
  "Source",
]);
