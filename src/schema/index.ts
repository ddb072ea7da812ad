// Imports every part of the graph (each registers its types on the builder) and builds the schema.
import { isObjectType, lexicographicSortSchema } from "graphql";
import { builder, nodeTypeNames } from "../builder.js";
import "./scalars.js";
import "./enums.js";
import "./sources.js";
import "./facts.js";
import "./entity.js";
import "./relationships.js";
import "./policies.js";
import "./places.js";
import "./organizations.js";
import "./indicators.js";
import "./rankings.js";
import "./search.js";
import "./exploration.js";
import "./aggregates.js";
import "./write-errors.js";
import "./history.js";
import "./mutations/entities.js";
import "./mutations/aliases.js";
import "./mutations/relationships.js";
import "./mutations/observations.js";
import "./mutations/rankings.js";
import "./mutations/sources.js";
import "./mutations/revert.js";
import "./subscriptions.js";

export const schema = lexicographicSortSchema(builder.toSchema());

for (const type of Object.values(schema.getTypeMap())) {
  if (isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node")) nodeTypeNames.add(type.name);
}
