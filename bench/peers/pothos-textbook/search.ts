// Search: our search statement through $queryRawUnsafe (trigram similarity and the rest of its
// matching have no Prisma expression), then each hit's entity through prismaField, whose findUnique
// calls Prisma batches into one statement.
import { runSearch, type SearchRow } from "../sql.js";
import { builder } from "./builder.js";

interface HitShape {
  entityId: number;
  score: number;
  matchedField: string;
}

const Hit = builder.objectRef<HitShape>("SearchHit").implement({
  fields: (t) => ({
    score: t.exposeFloat("score"),
    matchedField: t.exposeString("matchedField"),
    entity: t.prismaField({
      type: "Entity",
      resolve: (query, hit, _args, { prisma }) =>
        prisma.entity.findUniqueOrThrow({ ...query, where: { id: hit.entityId } }),
    }),
  }),
});

const SearchResult = builder
  .objectRef<{ totalCount: number; totalCountExact: boolean; hits: HitShape[] }>("SearchResult")
  .implement({
    fields: (t) => ({
      totalCount: t.exposeInt("totalCount"),
      totalCountExact: t.exposeBoolean("totalCountExact"),
      hits: t.expose("hits", { type: [Hit] }),
    }),
  });

builder.queryField("search", (t) =>
  t.field({
    type: SearchResult,
    args: { query: t.arg.string({ required: true }), first: t.arg.int({ required: true }) },
    resolve: async (_root, { query, first }, { prisma }) => {
      const rows = await runSearch(query, first, ({ text, values }) =>
        prisma.$queryRawUnsafe<SearchRow[]>(text, ...values),
      );
      return {
        totalCount: rows[0]?.total ?? 0,
        totalCountExact: rows[0]?.exact ?? true,
        hits: rows.map((row) => ({ entityId: row.entity.id, score: row.score, matchedField: row.matchedField })),
      };
    },
  }),
);
