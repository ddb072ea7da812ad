// The kinds of entity the graph generator makes, how many of each, and what they are called.
import type { AdminLevel, DivisionType, EntityKind, PolicyType } from "../../generated/prisma/enums.js";

export interface KindSpec {
  kind: EntityKind;
  slug: string;
  /** Share of the entities that are not provinces. */
  share: number;
  adminLevel: AdminLevel | null;
  divisionType: DivisionType | null;
  /** Name endings, one picked per entity; a policy's ending also fixes its policy type. */
  styles: readonly string[];
}

export const policyStyles: readonly [string, PolicyType][] = [
  ["Car Purchase Subsidy", "SUBSIDY"],
  ["Consumption Voucher Subsidy", "SUBSIDY"],
  ["Cross-Provincial VAT Refund Scheme", "TAX_REFUND"],
  ["Industrial AI Action Plan", "ACTION_PLAN"],
  ["Smart Manufacturing Action Plan", "ACTION_PLAN"],
  ["Innovation Grant Programme", "GRANT_PROGRAMME"],
  ["Regional Development Strategy", "NATIONAL_STRATEGY"],
];

export const kindSpecs: readonly KindSpec[] = [
  {
    kind: "PROVINCE",
    slug: "province",
    share: 0,
    adminLevel: "PROVINCIAL",
    divisionType: "PROVINCE",
    styles: ["Province"],
  },
  {
    kind: "CITY",
    slug: "city",
    share: 0.12,
    adminLevel: "PREFECTURAL",
    divisionType: "PREFECTURE_LEVEL_CITY",
    styles: ["City"],
  },
  {
    kind: "DISTRICT",
    slug: "district",
    share: 0.25,
    adminLevel: "COUNTY",
    divisionType: "DISTRICT",
    styles: ["District"],
  },
  {
    kind: "COMPANY",
    slug: "company",
    share: 0.28,
    adminLevel: null,
    divisionType: null,
    styles: [
      "Motors",
      "Technology",
      "Holdings",
      "Electronics",
      "Logistics",
      "Energy",
      "Pharmaceutical",
      "Steel",
      "Semiconductor",
      "Foods",
      "Construction",
      "Chemical",
    ],
  },
  {
    kind: "BRAND",
    slug: "brand",
    share: 0.12,
    adminLevel: null,
    divisionType: null,
    styles: ["Auto", "Smart", "Mobile", "Home", "Green", "Air"],
  },
  {
    kind: "ORGANIZATION",
    slug: "organization",
    share: 0.08,
    adminLevel: null,
    divisionType: null,
    styles: [
      "Development and Reform Commission",
      "Bureau of Commerce",
      "Bureau of Economy and Information Technology",
      "Finance Bureau",
      "Science and Technology Bureau",
      "Industry Association",
    ],
  },
  {
    kind: "POLICY",
    slug: "policy",
    share: 0.15,
    adminLevel: null,
    divisionType: null,
    styles: policyStyles.map(([style]) => style),
  },
];

export const K = { province: 0, city: 1, district: 2, company: 3, brand: 4, organization: 5, policy: 6 } as const;

/** Entities per kind: about sqrt(n)/8 provinces (40 for 100,000), the rest by share, cities take the remainder. */
export function kindCounts(entities: number): number[] {
  const provinces = Math.max(1, Math.min(200, Math.round(Math.sqrt(entities) / 8)));
  const rest = Math.max(0, entities - provinces);
  const counts = kindSpecs.map((spec) => Math.floor(rest * spec.share));
  counts[K.province] = Math.min(provinces, entities);
  counts[K.city]! += entities - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/** The pools relationships and indicators draw places from. */
export const place = [K.province, K.city] as const;
export const anyPlace = [K.province, K.city, K.district] as const;

/** The kind (index into kindSpecs) of a global entity index, given where each kind starts. */
export function kindAt(kindStart: readonly number[], index: number): number {
  let kind = 0;
  while (kind + 1 < kindStart.length && index >= kindStart[kind + 1]!) kind++;
  return kind;
}
