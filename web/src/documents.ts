// Every operation the explorer sends. Each is persisted: the build writes their text to a manifest the
// server trusts (scripts/web-build.ts), and the client sends only their hashes (client.ts).
import { graphql } from "./graphql";

/** What a node of the picture needs: its names, kind, and where it is when it is a place. */
export const EntityCard = graphql(`
  fragment EntityCard on Entity {
    id
    key
    kind
    name
    nameZh
    ... on Place {
      location {
        lat
        lon
      }
    }
  }
`);

export const RelationTypesQuery = graphql(`
  query ExplorerRelationTypes {
    relationTypes {
      key
      label
      inverseLabel
      symmetric
    }
  }
`);

export const SearchQuery = graphql(`
  query ExplorerSearch($query: String!) {
    search(query: $query, first: 8) {
      edges {
        node {
          matched
          entity {
            id
            kind
            name
            nameZh
            ... on Place {
              locatedIn {
                name
                nameZh
                kind
              }
            }
          }
        }
      }
    }
  }
`);

const NeighbourEdge = graphql(
  `
    fragment NeighbourEdge on EntityRelationshipEdge {
      direction
      other {
        ...EntityCard
      }
      node {
        id
        type
        certainty
      }
    }
  `,
  [EntityCard],
);

/** One entity's neighbours as of a date: a page of its relationships and its degree per relation type. */
export const NeighboursQuery = graphql(
  `
    query ExplorerNeighbours($id: ID!, $asOf: PartialDate, $first: Int!) {
      node(id: $id) {
        ... on Entity {
          ...EntityCard
          degree {
            type
            direction
            count
          }
          relationships(first: $first, asOf: $asOf) {
            totalCount
            edges {
              ...NeighbourEdge
            }
          }
        }
      }
    }
  `,
  [EntityCard, NeighbourEdge],
);

/** One folded group of a hub's neighbours (a relation type in one direction), a page at a time. */
export const GroupQuery = graphql(
  `
    query ExplorerGroup(
      $id: ID!
      $type: String!
      $direction: Direction!
      $asOf: PartialDate
      $first: Int!
      $after: String
    ) {
      node(id: $id) {
        ... on Entity {
          relationships(type: $type, direction: $direction, asOf: $asOf, first: $first, after: $after) {
            totalCount
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              ...NeighbourEdge
            }
          }
        }
      }
    }
  `,
  [NeighbourEdge],
);

const Provenance = graphql(`
  fragment Provenance on Fact {
    certainty
    quote
    note
    source {
      id
      key
      title
      publisher
      publishedOn
      url
      kind
    }
  }
`);

/** Everything the inspector shows about an entity. */
export const EntityDetailQuery = graphql(
  `
    query ExplorerEntity($id: ID!) {
      node(id: $id) {
        ... on Entity {
          ...EntityCard
          description
          aliases
          ... on Place {
            divisionCode
            divisionType
            locatedIn {
              id
              name
              nameZh
            }
            location {
              quote
              source {
                title
              }
            }
          }
          relationships(first: 100) {
            totalCount
            edges {
              direction
              other {
                id
                name
                nameZh
                kind
              }
              node {
                id
                type
                validFrom
                validFromBound
                validTo
                ...Provenance
              }
            }
          }
          observations {
            id
            period
            periodEnd
            value
            valueMax
            unit
            qualifier
            indicator {
              key
              name
            }
            ...Provenance
          }
          rankings {
            id
            rank
            value
            unit
            ranking {
              name
              period
            }
            ...Provenance
          }
        }
      }
    }
  `,
  [EntityCard, Provenance],
);

/** Everything the inspector shows about a relationship (an edge of the picture). */
export const RelationshipDetailQuery = graphql(
  `
    query ExplorerRelationship($id: ID!) {
      node(id: $id) {
        ... on Relationship {
          id
          type
          validFrom
          validFromBound
          validTo
          relationType {
            label
          }
          from {
            id
            name
            nameZh
          }
          to {
            id
            name
            nameZh
          }
          ...Provenance
        }
      }
    }
  `,
  [Provenance],
);

/** The shortest paths between two entities, each step with its relationship's sentence. */
export const PathsQuery = graphql(
  `
    query ExplorerPaths($from: ID!, $to: ID!, $asOf: PartialDate) {
      paths(from: $from, to: $to, asOf: $asOf, first: 3, maxDepth: 4) {
        length
        steps {
          label
          direction
          distanceKm
          from {
            ...EntityCard
          }
          to {
            ...EntityCard
          }
          relationship {
            id
            type
            certainty
            quote
            source {
              title
            }
          }
        }
      }
    }
  `,
  [EntityCard],
);
