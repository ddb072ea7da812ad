// Imports every part of the graph (each registers its types on the builder) and builds the schema.
import { type GraphQLSchema, isObjectType, lexicographicSortSchema } from "graphql";
import { builder } from "./builder.js";
import { checkCursorsFirst } from "./cursors.js";
import { syncNodeIds } from "./node-ids.js";
import "./scalars.js";
import "./enums.js";
import "./sources.js";
import "./facts.js";
import "./entity.js";
import "./node.js";
import "./relationships.js";
import "./policies.js";
import "./places.js";
import "./organizations.js";
import "./indicators.js";
import "./rankings.js";
import "./search.js";
import "./exploration.js";
import "./locations.js";
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

/**
 * plugin-prisma adds its own `totalCount` to the connections given one (for its count-only shortcut)
 * and takes no options for it: it gets the description of the builder's own `totalCount` here.
 */
function describePrismaTotalCounts(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    const field = isObjectType(type) ? type.getFields().totalCount : undefined;
    if (field?.extensions.pothosPrismaTotalCount && !field.description)
      field.description = "How many items the whole connection holds, across all pages.";
  }
  return schema;
}

export const schema = syncNodeIds(
  checkCursorsFirst(describePrismaTotalCounts(lexicographicSortSchema(builder.toSchema()))),
);
