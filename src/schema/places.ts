// Places: countries, provincial-level units, cities, districts and economic regions. A municipality
// (Chongqing) is a CITY of provincial level, so it answers both as a City and as a Province.
import { builder } from "./builder.js";
import { findEntityNamed } from "../reads/lookups.js";
import type { Prisma } from "../generated/prisma/client.js";
import { partialDate } from "../partial-date.js";
import { AdminLevelEnum, DateBoundEnum, DivisionTypeEnum, includePossibleArg } from "./enums.js";
import { entityVariants } from "../reads/entity-variants.js";
import { EntityOrderInput, entityConnection, entityNodeOptions, EntityRef } from "./entity.js";
import { typeNameOfKind } from "./type-names.js";
import { pageConnection, rowPage } from "./pagination.js";
import { readsParent, rowShapeAt } from "./read-ahead/row-selection.js";
import { RankingEntryRef } from "./rankings.js";
import { edgeField, edgeQuery, pagesAhead, type EdgeFieldPlan } from "./read-ahead/edge-fields.js";
import { PolicyRef } from "./policies.js";
import { linkedField, loadEdges, RelationshipRef, unexposedEdge } from "./relationships.js";

export const PlaceRef = builder.prismaInterface("Entity", {
  variant: "Place",
  interfaces: [builder.nodeInterfaceRef(), EntityRef],
  description: "A place: country, provincial-level unit, city, district or economic region.",
  resolveType: (entity) => typeNameOfKind[entity.kind],
  fields: (t) => ({
    adminLevel: t.expose("adminLevel", {
      type: AdminLevelEnum,
      nullable: true,
      description: "Its level in the administrative hierarchy; null for a region that is not a division.",
    }),
    divisionType: t.expose("divisionType", {
      type: DivisionTypeEnum,
      nullable: true,
      description: "Its legal type as an administrative division; null for a region that is not one.",
    }),
    divisionCode: t.exposeString("divisionCode", {
      nullable: true,
      description: "Official division code (GB/T 2260).",
    }),
  }),
});

builder.prismaNode("Entity", {
  variant: "Country",
  description: "A country: China, the root of the place hierarchy.",
  ...entityNodeOptions,
  interfaces: [EntityRef, PlaceRef],
  fields: () => ({}),
});
export const ProvinceRef = builder.prismaNode("Entity", {
  variant: "Province",
  ...entityNodeOptions,
  interfaces: [EntityRef, PlaceRef],
  description: "A provincial-level unit: province, autonomous region or direct-administered municipality.",
  fields: () => ({}),
});
export const CityRef = builder.prismaNode("Entity", {
  variant: "City",
  ...entityNodeOptions,
  interfaces: [EntityRef, PlaceRef],
  description: "A city; Chongqing, a direct-administered municipality, is also a Province.",
  fields: (t) => ({
    autoRankings: t.field({
      ...readsParent("id"),
      type: [RankingEntryRef],
      description: "The auto-industry ranking entries this city appears in.",
      resolve: (city, _args, ctx) => ctx.loaders.entityRankingEntries(city.id, "auto"),
    }),
  }),
});
builder.prismaNode("Entity", {
  variant: "District",
  description: "A county-level division: a district, county, county-level city or banner.",
  ...entityNodeOptions,
  interfaces: [EntityRef, PlaceRef],
  fields: () => ({}),
});
builder.prismaNode("Entity", {
  variant: "Region",
  ...entityNodeOptions,
  interfaces: [EntityRef, PlaceRef],
  description: "An economic region, new area or zone (the Chengdu–Chongqing economic circle, Liangjiang New Area).",
  fields: () => ({}),
});

type EntityRow = Prisma.EntityGetPayload<object>;
type RelationshipRow = Prisma.RelationshipGetPayload<object>;

const VatRefundPartnershipRef = builder
  .objectRef<RelationshipRow & { partner: EntityRow }>("VatRefundPartnership")
  .implement({
    description: "A cross-provincial immediate VAT refund arrangement between two provincial-level units.",
    fields: (t) => ({
      partner: t.field({
        type: ProvinceRef,
        description: "The province the city refunds VAT with.",
        resolve: (link) => link.partner,
      }),
      since: t.field({
        type: "PartialDate",
        nullable: true,
        description:
          "When the arrangement began, at the precision the source gives; a bound rather than the date where `sinceBound` says so.",
        resolve: (link) => partialDate(link.validFrom, link.validFromPrecision),
      }),
      sinceBound: t.expose("validFromBound", {
        type: DateBoundEnum,
        description:
          "EXACT when the source dates the arrangement; NOT_BEFORE or NOT_AFTER when `since` only bounds it.",
      }),
      relationship: t.field({
        type: RelationshipRef,
        description: "The relationship itself, with its source, quote and certainty.",
        resolve: (link) => link,
      }),
    }),
  });

builder.prismaInterfaceFields(PlaceRef, (t) => ({
  locatedIn: t.field({
    type: [PlaceRef],
    description: "The places this one lies in (LOCATED_IN / PART_OF).",
    ...linkedField({
      types: ["LOCATED_IN", "PART_OF"],
      direction: "OUTGOING",
      otherKinds: ["COUNTRY", "PROVINCE", "CITY", "DISTRICT", "REGION"],
    }),
  }),
  policies: t.field({
    type: [PolicyRef],
    description: "Policies this place issued, takes part in, or that apply to it.",
    ...linkedField({
      types: ["ISSUED_BY", "APPLIES_TO", "PARTICIPATES_IN"],
      direction: "BOTH",
      otherKinds: ["POLICY"],
    }),
  }),
}));

const citiesOfProvince = {
  types: ["LOCATED_IN"],
  direction: "INCOMING",
  otherKinds: ["CITY"],
  distinctOthers: true,
} as const;
interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * A province's cities, a page at a time, in the order of their LOCATED_IN relationships: forwards
 * with `first`/`after`, backwards with `last`/`before`; a cursor names the relationship.
 */
const citiesPlan: EdgeFieldPlan<PageArgs> = {
  query: (args, selection) => {
    const { limit, backward, cursorId } = rowPage(args);
    return {
      ...citiesOfProvince,
      limit,
      ...(backward ? { beforeId: cursorId ?? 2_147_483_647 } : { afterId: cursorId ?? null }),
      shapes: { relationship: unexposedEdge, other: rowShapeAt(selection, ["edges", "node"], "Entity") },
    };
  },
  farEnds: ["edges", "node"],
};

builder.prismaObjectFields(ProvinceRef, (t) => ({
  cities: t.connection({
    ...edgeField(citiesPlan),
    type: CityRef,
    description: "Prefecture-level cities in this province.",
    resolve: async (province, args, ctx, info) => {
      const query = edgeQuery(citiesPlan, args, info);
      const page = await loadEdges(ctx, province.id, query);
      const edges = page.edges.map((edge) => ({ id: edge.relationship.id, node: edge.other }));
      return {
        ...pageConnection(edges, rowPage(args), page.hasNextPage),
        totalCount: () => ctx.loaders.edgeCount(province.id, query),
      };
    },
  }),
}));

const provinceOfCity = linkedField({ types: ["LOCATED_IN"], direction: "OUTGOING", otherKinds: ["PROVINCE"] });

builder.prismaObjectFields(CityRef, (t) => ({
  province: t.field({
    ...provinceOfCity,
    // One entity, not a list: nothing to ask the first few of.
    args: {},
    type: ProvinceRef,
    nullable: true,
    description: "The province the city lies in; null for a municipality, which is one.",
    resolve: async (...field) => (await provinceOfCity.resolve(...field))[0] ?? null,
  }),
  vatRefundPartners: t.field({
    type: [VatRefundPartnershipRef],
    description:
      "Provincial-level units this city refunds VAT with under the cross-provincial immediate VAT refund scheme.",
    args: {
      asOf: t.arg({
        type: "PartialDate",
        required: false,
        description: "Only partnerships certainly in force on that day (see includePossible).",
      }),
      includePossible: t.arg.boolean(includePossibleArg),
    },
    resolve: async (city, args, ctx) => {
      const page = await loadEdges(ctx, city.id, {
        types: ["VAT_REFUND_PARTNER"],
        direction: "BOTH",
        asOf: args.asOf?.date ?? null,
        ...(args.asOf && args.includePossible ? { asOfPossible: true } : {}),
        limit: null,
      });
      return page.edges.map((edge) => ({ ...edge.relationship, partner: edge.other }));
    },
  }),
}));

builder.queryFields((t) => ({
  city: t.field({
    type: CityRef,
    nullable: true,
    description: "A city by name or alias, any case, English or Chinese.",
    args: { name: t.arg.string({ required: true, description: "A name, alias or key, in any case." }) },
    resolve: (_parent, { name }, ctx, info) => findEntityNamed(ctx, name, entityVariants.City, pagesAhead(ctx, info)),
  }),
  province: t.field({
    type: ProvinceRef,
    nullable: true,
    description: "A provincial-level unit (province, autonomous region or municipality) by name or alias.",
    args: { name: t.arg.string({ required: true, description: "A name, alias or key, in any case." }) },
    resolve: (_parent, { name }, ctx, info) =>
      findEntityNamed(ctx, name, entityVariants.Province, pagesAhead(ctx, info)),
  }),
  cities: t.connection({
    type: CityRef,
    description: "Cities, filtered by name and province.",
    args: {
      nameContains: t.arg.string({
        required: false,
        description: "Only those whose English or Chinese name contains this, in any case.",
      }),
      province: t.arg.string({ required: false, description: "Name or alias of the province the cities lie in." }),
      orderBy: t.arg({ type: EntityOrderInput, required: false, description: "By name (A first) when absent." }),
    },
    resolve: (_parent, args, ctx, info) => entityConnection(ctx, args, { variant: entityVariants.City, ...args }, info),
  }),
  provinces: t.connection({
    type: ProvinceRef,
    description: "Provincial-level units, municipalities included.",
    args: {
      nameContains: t.arg.string({
        required: false,
        description: "Only those whose English or Chinese name contains this, in any case.",
      }),
      orderBy: t.arg({ type: EntityOrderInput, required: false, description: "By name (A first) when absent." }),
    },
    resolve: (_parent, args, ctx, info) =>
      entityConnection(ctx, args, { variant: entityVariants.Province, ...args }, info),
  }),
}));
