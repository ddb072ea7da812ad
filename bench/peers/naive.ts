// The naive baseline: a plain graphql-yoga server, hand-written SDL for the fields the query mix needs,
// and resolvers that ask Prisma for what each field needs when it needs it: no dataloader, no
// selection merging, no hand-written SQL except where an ORM has no words for it (trigram search and
// the recursive path walk, which run our own statements through $queryRawUnsafe). This is how a
// GraphQL service over Prisma usually starts; it answers the same as ours, with N+1 statements.
//
//   DATABASE_URL=postgresql://... PORT=0 node --import tsx bench/peers/naive.ts
import { createServer } from "node:http";
import { PrismaPg } from "@prisma/adapter-pg";
import { createSchema, createYoga, type YogaInitialContext } from "graphql-yoga";
import pg from "pg";
import { PrismaClient, type Entity, type Relationship } from "../../src/generated/prisma/client.js";
import { normalizeName } from "../../src/names.js";
import { runSearch, type SearchRow } from "./sql.js";
import { servePeerWhenMain } from "./serve.js";
import { findPaths, type RoundRow } from "../../src/reads/paths.js";

const typeDefs = /* GraphQL */ `
  type Query {
    entity(id: ID!): Entity
    entityByName(name: String!): Entity
    cities(first: Int!, after: ID): CityPage!
    neighborhood(id: ID!, depth: Int!, limit: Int!): Subgraph
    paths(from: ID!, to: ID!, maxDepth: Int!, first: Int!): [Path!]
    search(query: String!, first: Int!): SearchResult!
  }
  type Entity {
    key: String!
    kind: String!
    name: String!
    nameZh: String
    cities(first: Int!): [Entity!]!
    outgoing(first: Int!): [Relationship!]!
  }
  type Relationship {
    key: String!
    type: String!
    label: String!
    from: Entity!
    to: Entity!
  }
  type CityPage {
    hasNextPage: Boolean!
    nodes: [Entity!]!
  }
  type Subgraph {
    truncated: Boolean!
    nodes: [GraphNode!]!
    edges: [GraphEdge!]!
  }
  type GraphNode {
    key: String!
    kind: String!
    label: String!
    depth: Int!
  }
  type GraphEdge {
    key: String!
    source: String!
    target: String!
    type: String!
    label: String!
  }
  type Path {
    length: Int!
    steps: [Step!]!
  }
  type Step {
    label: String!
    from: Entity!
    to: Entity!
    relationship: Relationship!
  }
  type SearchResult {
    totalCount: Int!
    totalCountExact: Boolean!
    hits: [Hit!]!
  }
  type Hit {
    score: Float!
    matchedField: String!
    entity: Entity!
  }
`;

interface Ctx {
  prisma: PrismaClient;
}

type NodeRef = { entity: Entity; depth: number };
type StepRef = { relationshipId: number; fromId: number; toId: number };

const entityById = (prisma: PrismaClient, id: number) => prisma.entity.findUnique({ where: { id } });
const relationTypeLabel = async (prisma: PrismaClient, key: string) =>
  (await prisma.relationType.findUnique({ where: { key } }))!.label;

const resolvers = {
  Query: {
    entity: (_: unknown, { id }: { id: string }, { prisma }: Ctx) => prisma.entity.findUnique({ where: { key: id } }),

    async entityByName(_: unknown, { name }: { name: string }, { prisma }: Ctx) {
      const alias = await prisma.alias.findFirst({
        where: { normalized: normalizeName(name) },
        orderBy: { entityId: "asc" },
      });
      const byKey = await prisma.entity.findUnique({ where: { key: name.trim() } });
      const id = Math.min(alias?.entityId ?? Infinity, byKey?.id ?? Infinity);
      return Number.isFinite(id) ? (id === byKey?.id ? byKey : entityById(prisma, id)) : null;
    },

    async cities(_: unknown, { first, after }: { first: number; after?: string | null }, { prisma }: Ctx) {
      const rows = await prisma.entity.findMany({
        where: { kind: "CITY" },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        ...(after ? { cursor: { key: after }, skip: 1 } : {}),
        take: first + 1,
      });
      return { hasNextPage: rows.length > first, nodes: rows.slice(0, first) };
    },

    async neighborhood(
      _: unknown,
      { id, depth, limit }: { id: string; depth: number; limit: number },
      { prisma }: Ctx,
    ) {
      const start = await prisma.entity.findUnique({ where: { key: id } });
      if (!start) return null;
      const nodes = new Map<number, NodeRef>([[start.id, { entity: start, depth: 0 }]]);
      const edges = new Map<number, Relationship>();
      let frontier = [start.id];
      let truncated = false;
      for (let level = 1; level <= depth && frontier.length; level++) {
        const remaining = limit - edges.size;
        if (remaining <= 0) {
          truncated = true;
          break;
        }
        // One query per frontier entity, as a resolver written per node would do; each brings its
        // lowest-id edges, enough for the lowest `remaining` unseen edges of the whole level.
        const seen = [...edges.keys()];
        const perNode = await Promise.all(
          frontier.map((node) =>
            prisma.relationship.findMany({
              where: { OR: [{ fromId: node }, { toId: node }], id: { notIn: seen } },
              orderBy: { id: "asc" },
              take: remaining + 1,
            }),
          ),
        );
        const level_ = new Map<number, { rel: Relationship; otherId: number }>();
        perNode.forEach((rels, i) => {
          for (const rel of rels) {
            if (!level_.has(rel.id))
              level_.set(rel.id, { rel, otherId: rel.fromId === frontier[i] ? rel.toId : rel.fromId });
          }
        });
        const rows = [...level_.values()].sort((a, b) => a.rel.id - b.rel.id);
        if (rows.length > remaining) {
          truncated = true;
          rows.length = remaining;
        }
        const next: number[] = [];
        for (const { rel, otherId } of rows) {
          edges.set(rel.id, rel);
          if (!nodes.has(otherId) && !next.includes(otherId)) next.push(otherId);
        }
        // The entities reached, one lookup each.
        for (const [i, entity] of (await Promise.all(next.map((other) => entityById(prisma, other)))).entries()) {
          nodes.set(next[i]!, { entity: entity!, depth: level });
        }
        frontier = next;
      }
      return { truncated, nodes: [...nodes.values()], edges: [...edges.values()] };
    },

    async paths(_: unknown, args: { from: string; to: string; maxDepth: number; first: number }, { prisma }: Ctx) {
      const from = await prisma.entity.findUnique({ where: { key: args.from } });
      const to = await prisma.entity.findUnique({ where: { key: args.to } });
      if (!from || !to) return null;
      const found = await findPaths(from.id, to.id, args, (round) => prisma.$queryRaw<RoundRow[]>(round));
      return found.map((path) =>
        path.edges.map(
          (relationshipId, i): StepRef => ({ relationshipId, fromId: path.nodes[i]!, toId: path.nodes[i + 1]! }),
        ),
      );
    },

    async search(_: unknown, { query, first }: { query: string; first: number }, { prisma }: Ctx) {
      const rows = await runSearch(query, first, ({ text, values }) =>
        prisma.$queryRawUnsafe<SearchRow[]>(text, ...values),
      );
      return {
        totalCount: rows[0]?.total ?? 0,
        totalCountExact: rows[0]?.exact ?? true,
        hits: rows.map((row) => ({ ...row, id: row.entity.id })),
      };
    },
  },

  Entity: {
    kind: (e: Entity) => e.kind,
    async cities(e: Entity, { first }: { first: number }, { prisma }: Ctx) {
      const rels = await prisma.relationship.findMany({
        where: { toId: e.id, typeKey: "LOCATED_IN", from: { kind: "CITY" } },
        orderBy: { id: "asc" },
        take: first,
      });
      return Promise.all(rels.map((rel) => entityById(prisma, rel.fromId)));
    },
    outgoing: (e: Entity, { first }: { first: number }, { prisma }: Ctx) =>
      prisma.relationship.findMany({ where: { fromId: e.id }, orderBy: { id: "asc" }, take: first }),
  },

  Relationship: {
    type: (r: Relationship) => r.typeKey,
    label: (r: Relationship, _: unknown, { prisma }: Ctx) => relationTypeLabel(prisma, r.typeKey),
    from: (r: Relationship, _: unknown, { prisma }: Ctx) => entityById(prisma, r.fromId),
    to: (r: Relationship, _: unknown, { prisma }: Ctx) => entityById(prisma, r.toId),
  },

  GraphNode: {
    key: (n: NodeRef) => n.entity.key,
    kind: (n: NodeRef) => n.entity.kind,
    label: (n: NodeRef) => n.entity.name,
  },

  GraphEdge: {
    type: (r: Relationship) => r.typeKey,
    label: (r: Relationship, _: unknown, { prisma }: Ctx) => relationTypeLabel(prisma, r.typeKey),
    source: async (r: Relationship, _: unknown, { prisma }: Ctx) => (await entityById(prisma, r.fromId))!.key,
    target: async (r: Relationship, _: unknown, { prisma }: Ctx) => (await entityById(prisma, r.toId))!.key,
  },

  Path: {
    length: (steps: StepRef[]) => steps.length,
    steps: (steps: StepRef[]) => steps,
  },

  Step: {
    async label(s: StepRef, _: unknown, { prisma }: Ctx) {
      const rel = (await prisma.relationship.findUnique({ where: { id: s.relationshipId }, include: { type: true } }))!;
      return rel.fromId === s.fromId ? rel.type.label : rel.type.inverseLabel;
    },
    from: (s: StepRef, _: unknown, { prisma }: Ctx) => entityById(prisma, s.fromId),
    to: (s: StepRef, _: unknown, { prisma }: Ctx) => entityById(prisma, s.toId),
    relationship: (s: StepRef, _: unknown, { prisma }: Ctx) =>
      prisma.relationship.findUnique({ where: { id: s.relationshipId } }),
  },

  Hit: {
    entity: (h: { id: number }, _: unknown, { prisma }: Ctx) => entityById(prisma, h.id),
  },
};

export function createNaiveServer(databaseUrl: string, poolSize = 10) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const yoga = createYoga<Record<string, never>, Ctx>({
    schema: createSchema<Record<string, never> & YogaInitialContext & Ctx>({ typeDefs, resolvers }),
    context: () => ({ prisma }),
    graphiql: false,
    logging: "warn",
  });
  return {
    yoga,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

servePeerWhenMain(import.meta.url, (databaseUrl, poolSize) => {
  const naive = createNaiveServer(databaseUrl, poolSize);
  return { server: createServer(naive.yoga), path: "/graphql", close: naive.close };
});
