// search(query:): one ranked connection over names, aliases and descriptions of every entity.
import { resolveOffsetConnection } from "@pothos/plugin-relay";
import { builder } from "./builder.js";
import { exactTotalUpTo, searchEntities, type SearchHit } from "../reads/search.js";
import { UserInputError } from "../errors.js";
import { EntityRef } from "./entity.js";
import { EntityKindEnum } from "./enums.js";
import { pageSize } from "./pagination.js";
import { pagesByPosition } from "./cursors.js";

const MatchedFieldEnum = builder.enumType("MatchedField", {
  description: "Which text of an entity a search matched.",
  values: {
    NAME: { description: "Its English or Chinese name." },
    ALIAS: { description: "One of its further names." },
    DESCRIPTION: { description: "Words of its description." },
  } as const,
});

const SearchHitRef = builder.objectRef<SearchHit>("SearchHit").implement({
  description: "An entity matching a search, with how well and where it matched.",
  fields: (t) => ({
    entity: t.field({ description: "The entity found.", type: EntityRef, resolve: (hit) => hit.entity }),
    score: t.exposeFloat("score", { description: "1 for an exact name; lower for prefixes, typos and descriptions." }),
    matched: t.exposeString("matched", { description: "The name, alias or description text that matched." }),
    matchedField: t.expose("matchedField", { description: "Which of its texts matched.", type: MatchedFieldEnum }),
  }),
});

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHitRef,
      extensions: pagesByPosition,
      description:
        'Entities by name, alias or description: English, Chinese or pinyin, spacing and typos forgiven ("Chong qing", "Chongquing", "重庆"). Best first.',
      args: {
        query: t.arg.string({
          description: "What to look for: a name or words, in English, Chinese or pinyin.",
          required: true,
        }),
        kinds: t.arg({ description: "Only entities of these kinds.", type: [EntityKindEnum], required: false }),
      },
      resolve: async (_root, args, ctx) => {
        pageSize(args);
        const text = args.query.trim();
        if (!text || text.length > 200)
          throw new UserInputError("The search query must hold 1 to 200 characters.", "BAD_USER_INPUT");
        let total = 0;
        let exact = true;
        const connection = await resolveOffsetConnection({ args }, async ({ limit, offset }) => {
          const result = await searchEntities(ctx.sql, text, { kinds: args.kinds, limit, offset }, ctx.searchWith);
          total = result.total;
          exact = result.exact;
          return result.hits;
        });
        return { ...connection, totalCount: total, totalCountExact: exact };
      },
    },
    {
      fields: (connection) => ({
        totalCountExact: connection.boolean({
          description: `Whether totalCount is exact: it is up to ${exactTotalUpTo} matches (and further while paging); beyond, the search stops looking once it has enough for the page, and totalCount is a lower bound.`,
          resolve: (page) => (page as { totalCountExact?: boolean }).totalCountExact ?? true,
        }),
      }),
    },
  ),
}));
