// GraphQL enums generated from the Prisma enums, so the two can never disagree.
import { builder } from "./builder.js";
import {
  AdminLevel,
  Certainty,
  DateBound,
  DivisionType,
  EntityKind,
  FigureKind,
  PolicyType,
  Qualifier,
  SourceKind,
} from "../generated/prisma/enums.js";

export const EntityKindEnum = builder.enumType(EntityKind, {
  name: "EntityKind",
  description: "What an entity is; each kind is also an object type implementing Entity.",
  values: {
    COUNTRY: { description: "A country (China): type Country." },
    PROVINCE: { description: "A provincial-level division: province, autonomous region, municipality or SAR." },
    CITY: { description: "A prefecture-level city, or a municipality such as Chongqing: type City." },
    DISTRICT: { description: "A county-level division: district, county, county-level city, banner: type District." },
    REGION: { description: "A region that is not a division, such as an economic circle: type Place." },
    COMPANY: { description: "A company: type Company." },
    BRAND: { description: "A product brand, owned by companies: type Brand." },
    ORGANIZATION: { description: "A government body or other organisation that issues policies: type Organization." },
    POLICY: { description: "A policy, plan or scheme: type Policy." },
  },
});
export const AdminLevelEnum = builder.enumType(AdminLevel, {
  name: "AdminLevel",
  description: "The level of China's administrative hierarchy a place sits at.",
  values: {
    COUNTRY: { description: "The country itself." },
    PROVINCIAL: { description: "Provinces, autonomous regions, municipalities and SARs." },
    PREFECTURAL: { description: "Prefecture-level cities, autonomous prefectures, prefectures and leagues." },
    COUNTY: { description: "Districts, counties, county-level cities and banners." },
  },
});
export const DivisionTypeEnum = builder.enumType(DivisionType, {
  name: "DivisionType",
  description: "The legal type of an administrative division (行政区划类型), as the division-code table names it.",
  values: {
    PROVINCE: { description: "省: a province." },
    AUTONOMOUS_REGION: { description: "自治区: an autonomous region (Tibet, Xinjiang, ...)." },
    MUNICIPALITY: { description: "直辖市: a municipality under the central government (Beijing, Chongqing, ...)." },
    SPECIAL_ADMINISTRATIVE_REGION: { description: "特别行政区: Hong Kong or Macau." },
    PREFECTURE_LEVEL_CITY: { description: "地级市: a prefecture-level city." },
    AUTONOMOUS_PREFECTURE: { description: "自治州: an autonomous prefecture." },
    PREFECTURE: { description: "地区: a prefecture." },
    LEAGUE: { description: "盟: a league (Inner Mongolia)." },
    DISTRICT: { description: "市辖区: a district of a city." },
    NEW_AREA: { description: "新区: a state-level new area (Liangjiang, Pudong, ...)." },
    COUNTY: { description: "县: a county." },
    AUTONOMOUS_COUNTY: { description: "自治县: an autonomous county." },
    COUNTY_LEVEL_CITY: { description: "县级市: a county-level city." },
    BANNER: { description: "旗: a banner (Inner Mongolia)." },
    AUTONOMOUS_BANNER: { description: "自治旗: an autonomous banner." },
    SPECIAL_DISTRICT: { description: "特区: a special district." },
    FORESTRY_DISTRICT: { description: "林区: a forestry district (Shennongjia)." },
  },
});
export const PolicyTypeEnum = builder.enumType(PolicyType, {
  name: "PolicyType",
  description: "What kind of instrument a policy is.",
  values: {
    SUBSIDY: { description: "Money paid towards purchases or production (a trade-in subsidy, ...)." },
    TAX_REFUND: { description: "A tax refunded or waived (the VAT refund scheme, ...)." },
    ACTION_PLAN: { description: "A plan of actions and targets issued by a government." },
    GRANT_PROGRAMME: { description: "Grants awarded to applicants." },
    NATIONAL_STRATEGY: { description: "A national strategy (the Chengdu-Chongqing economic circle, ...)." },
  },
});
export const DateBoundEnum = builder.enumType(DateBound, {
  name: "DateBound",
  description:
    "What a date claims, as Wikidata's earliest and latest-date qualifiers do: the date itself, or a bound on a date the source does not give.",
  values: {
    EXACT: { description: "The source gives this date (at its precision)." },
    NOT_BEFORE: {
      description:
        "The source gives no date, only an earlier event this came after: the date is the earliest it can be. The source's publication date, when known, is the latest.",
    },
    NOT_AFTER: { description: "The source gives no date, only that this had happened by then: the latest it can be." },
  },
});

/** `includePossible` beside every `asOf`: what `asOf` answers, and what the argument adds. */
export const includePossibleArg = {
  defaultValue: false,
  description:
    "With asOf: also what may have been valid that day, a start bounded (validFromBound NOT_BEFORE or NOT_AFTER) but not certainly before it.",
} as const;
export const CertaintyEnum = builder.enumType(Certainty, {
  name: "Certainty",
  description: "How firmly the source supports a fact.",
  values: {
    STATED: { description: "Stated outright, as a figure or a plain fact." },
    STATED_LOOSELY: { description: "Stated in vague words, kept in the fact's note; no number was made up." },
    INFERRED: { description: "Follows from the text without being said; the note says how." },
  },
});
export const SourceKindEnum = builder.enumType(SourceKind, {
  name: "SourceKind",
  description: "What a source is, which decides what its facts must quote.",
  values: {
    ARTICLE: { description: "An article with a body: every fact citing it quotes one of its sentences verbatim." },
    REFERENCE: { description: "A reference table (division codes, a gazetteer): its facts may quote nothing." },
  },
});
export const QualifierEnum = builder.enumType(Qualifier, {
  name: "Qualifier",
  description: "How a figure relates to its value, as the source words it.",
  values: {
    EXACT: { description: "The value itself." },
    MORE_THAN: { description: "More than the value." },
    AT_LEAST: { description: "The value or more." },
    UP_TO: { description: "At most the value." },
    ABOUT: { description: "Roughly the value." },
    RANGE: { description: "Between the value and valueMax." },
  },
});
export const FigureKindEnum = builder.enumType(FigureKind, {
  name: "FigureKind",
  description: "What a policy's figure measures.",
  values: {
    AMOUNT: { description: "Money or quantity the policy commits (a subsidy per car, a fund's size)." },
    TARGET: { description: "A goal the policy sets." },
    OUTCOME: { description: "A result reported for the policy." },
  },
});

export const SortOrderEnum = builder.enumType("SortOrder", {
  description: "Which way a list is sorted.",
  values: { ASC: { description: "Smallest (or A) first." }, DESC: { description: "Largest (or Z) first." } } as const,
});
