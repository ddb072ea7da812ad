// Companies, brands and organisations (government bodies, ministries, consulates).
import { builder } from "./builder.js";
import { findEntityNamed } from "../reads/lookups.js";
import { pagesAhead } from "./read-ahead/edge-fields.js";
import { entityVariants } from "../reads/entity-variants.js";
import { EntityOrderInput, entityConnection, entityNodeOptions } from "./entity.js";
import { CityRef, PlaceRef } from "./places.js";
import { PolicyRef } from "./policies.js";
import { linkedField } from "./relationships.js";

export const CompanyRef = builder.prismaNode("Entity", {
  variant: "Company",
  description: "A company: carmaker, supplier, technology firm.",
  ...entityNodeOptions,
  fields: (t) => ({
    headquarters: t.field({
      type: [PlaceRef],
      description: "Where the company is headquartered.",
      ...linkedField({ types: ["HEADQUARTERED_IN"], direction: "OUTGOING" }),
    }),
  }),
});

export const BrandRef = builder.prismaNode("Entity", {
  variant: "Brand",
  description: "A product brand, owned by one or more companies (AITO, owned by Seres).",
  ...entityNodeOptions,
  fields: (t) => ({
    hostCities: t.field({
      type: [CityRef],
      description: "Cities the brand is based in (BASED_IN).",
      ...linkedField({ types: ["BASED_IN", "HEADQUARTERED_IN"], direction: "OUTGOING", otherKinds: ["CITY"] }),
    }),
  }),
});

builder.prismaObjectFields(CompanyRef, (t) => ({
  brands: t.field({
    type: [BrandRef],
    description: "Brands the company owns (BRAND_OF).",
    ...linkedField({ types: ["BRAND_OF"], direction: "INCOMING", otherKinds: ["BRAND"] }),
  }),
  partnerBrands: t.field({
    type: [BrandRef],
    description: "Brands the company develops with their owner (DEVELOPED_WITH): Huawei for AITO.",
    ...linkedField({ types: ["DEVELOPED_WITH"], direction: "BOTH", otherKinds: ["BRAND"] }),
  }),
}));

builder.prismaObjectFields(BrandRef, (t) => ({
  owners: t.field({
    type: [CompanyRef],
    description: "The companies the brand belongs to (BRAND_OF).",
    ...linkedField({ types: ["BRAND_OF"], direction: "OUTGOING", otherKinds: ["COMPANY"] }),
  }),
  partners: t.field({
    type: [CompanyRef],
    description: "Companies the brand is developed with (DEVELOPED_WITH).",
    ...linkedField({ types: ["DEVELOPED_WITH"], direction: "BOTH", otherKinds: ["COMPANY"] }),
  }),
}));

builder.prismaNode("Entity", {
  variant: "Organization",
  ...entityNodeOptions,
  description: "A government body, ministry, consulate or other organisation.",
  fields: (t) => ({
    policiesIssued: t.field({
      description: "Policies the organisation issued (ISSUED_BY).",
      type: [PolicyRef],
      ...linkedField({ types: ["ISSUED_BY"], direction: "INCOMING", otherKinds: ["POLICY"] }),
    }),
  }),
});

builder.queryFields((t) => ({
  company: t.field({
    type: CompanyRef,
    nullable: true,
    description: "A company by name or alias.",
    args: { name: t.arg.string({ description: "A name, alias or key, in any case.", required: true }) },
    resolve: (_parent, { name }, ctx, info) =>
      findEntityNamed(ctx, name, entityVariants.Company, pagesAhead(ctx, info)),
  }),
  companies: t.connection({
    description: "All companies, filtered by name.",
    type: CompanyRef,
    args: {
      nameContains: t.arg.string({
        required: false,
        description: "Only those whose English or Chinese name contains this, in any case.",
      }),
      orderBy: t.arg({ description: "By name (A first) when absent.", type: EntityOrderInput, required: false }),
    },
    resolve: (_parent, args, ctx, info) =>
      entityConnection(ctx, args, { variant: entityVariants.Company, ...args }, info),
  }),
}));
