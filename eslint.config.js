// ESLint lints one file: the printed schema, with @graphql-eslint's schema rules (Biome lints the
// TypeScript). `npm run lint` runs it. Where a rule meets something deliberate, its options say so.
import graphql from "@graphql-eslint/eslint-plugin";

const recommended = graphql.configs["flat/schema-recommended"].rules;
const [, naming] = recommended["@graphql-eslint/naming-convention"];

export default [
  {
    files: ["schema.graphql"],
    languageOptions: {
      parser: graphql.parser,
      parserOptions: { graphQLConfig: { schema: "schema.graphql" } },
    },
    plugins: { "@graphql-eslint": graphql },
    rules: {
      ...recommended,
      ...graphql.configs["flat/schema-relay"].rules,
      // Every type, field, argument and enum value, not only types and root fields.
      "@graphql-eslint/require-description": [
        "error",
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      "@graphql-eslint/naming-convention": [
        "error",
        {
          ...naming,
          // `RelationType` is the domain's word (the type of a relationship), not a "Type" suffix; the
          // rule's other prefix and suffix bans stay.
          "ObjectTypeDefinition,ObjectTypeExtension": { forbiddenPrefixes: ["Type"] },
        },
      ],
      // `Count.count` and `Policy.policyType` predate the lint; renaming them would break clients.
      // The rule has no exceptions option, so it is off, and a new field is held to it by review.
      "@graphql-eslint/no-typename-prefix": "off",
      // Entity relationships page forward only (`first`, `after`): the edges come oldest first from a
      // keyset read. The top-level connections, made by plugin-relay, have all four arguments.
      "@graphql-eslint/relay-arguments": ["error", { includeBoth: false }],
      "@graphql-eslint/relay-edge-types": [
        "error",
        {
          withEdgeSuffix: true,
          // Plain lists ([Entity!], [String!]) are lists on purpose: bounded, never paged.
          listTypeCanWrapOnlyEdgeType: false,
          // Some connections page values that are not nodes (search hits, counts).
          shouldImplementNode: false,
        },
      ],
      // Records one can fetch again have a global `id: ID!`. Exempt: a connection's pages and edges,
      // a mutation's results and errors, values computed for one request (aggregates, paths,
      // subgraphs, search hits, statistics) and rows reached only through their parent (a source's
      // mentions, a place's location), which have no identity of their own; and RelationType, a
      // closed vocabulary named by its `key` (VAT_REFUND_PARTNER), as relationships cite it.
      "@graphql-eslint/strict-id-in-types": [
        "error",
        {
          acceptedIdNames: ["id"],
          acceptedIdTypes: ["ID"],
          exceptions: {
            suffixes: ["Connection", "Edge", "Success", "Error"],
            types: [
              "Comparison",
              "Count",
              "Degree",
              "DeletedRecord",
              "EntityCount",
              "FieldError",
              "GraphNode",
              "GraphStats",
              "IndicatorSeries",
              "Location",
              "Mention",
              "NearbyPlace",
              "ObservationGroup",
              "PageInfo",
              "Path",
              "PathStep",
              "RelationType",
              "SearchHit",
              "Subgraph",
              "VatRefundPartnership",
            ],
          },
        },
      ],
    },
  },
];
