// The rows of a bundle, checked with zod before anything is written. The seed (prisma/seed/*.json)
// is a bundle in this shape; an import may also leave out an entity's key (it is then matched by
// kind and name), point at an entity by `KIND:name`, and give aliases and ranking entries as rows
// of their own.
//
// A field a row leaves out keeps what the database holds (a new row gets null or the default);
// an explicit null clears it.
import { z } from "zod";
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
} from "../../generated/prisma/enums.js";
import { parsePartialDate, parsePeriod } from "../../partial-date.js";
import { divisionCode, kebabCase } from "../../names.js";
import { rankProblem, relationshipProblem, valueProblem, type RowProblem } from "../../writes/rules.js";
import { parseEntityRef } from "./keys.js";
import type { TableName } from "./tables.js";

const key = z.string().regex(kebabCase, "a kebab-case key");

/** A rule of src/writes/rules.ts, which mutations keep too, as a zod check. */
const rule =
  <Row>(problemOf: (row: Row) => RowProblem | null) =>
  (row: Row, ctx: z.RefinementCtx) => {
    const problem = problemOf(row);
    if (problem) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  };
/** Facts may carry any key (generated graphs and the API use their own); most derive it. */
const factKey = z.string().min(1).max(500);
const entityRef = z
  .string()
  .refine((text) => parseEntityRef(text) !== null, 'a kebab-case key, or KIND:name (e.g. "CITY:Chongqing")');
const partialDate = z
  .string()
  .refine((text) => parsePartialDate(text) !== null, "a date as YYYY, YYYY-MM or YYYY-MM-DD");
const period = z
  .string()
  .refine((text) => parsePeriod(text) !== null, 'a period as "2025", "2025-H1", "2025-Q3" or "2025-07"');
const properties = z.record(z.string(), z.unknown());
const provenance = { source: key, quote: z.string(), certainty: z.enum(Certainty), note: z.string().nullish() };
const aliasLang = z.enum(["en", "zh", "pinyin"]);

export const sourceRow = z.strictObject({
  key,
  kind: z.enum(SourceKind),
  title: z.string().min(1),
  publishedOn: partialDate.nullish(),
  publisher: z.string().nullish(),
  url: z.url().nullish(),
  file: z.string().nullish(),
  summary: z.string().nullish(),
  body: z.string(),
});

export const relationTypeRow = z.strictObject({
  key: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "an UPPER_SNAKE_CASE key"),
  label: z.string().min(1),
  inverseLabel: z.string().min(1),
  description: z.string(),
  symmetric: z.boolean().default(false),
});

export const entityRow = z.strictObject({
  /** Without a key the entity is matched by kind and name (any of its names, any case). */
  key: key.optional(),
  kind: z.enum(EntityKind),
  name: z.string().min(1),
  nameZh: z.string().nullish(),
  description: z.string().nullish(),
  adminLevel: z.enum(AdminLevel).nullish(),
  divisionType: z.enum(DivisionType).nullish(),
  divisionCode: z.string().regex(divisionCode).nullish(),
  aliases: z.array(z.strictObject({ name: z.string().min(1), lang: aliasLang })).default([]),
  properties: properties.optional(),
  policy: z
    .strictObject({
      policyType: z.enum(PolicyType),
      officialTitle: z.string().nullish(),
      startsOn: partialDate.nullish(),
      endsOn: partialDate.nullish(),
    })
    .nullish(),
  mentions: z.array(z.strictObject({ source: key, quote: z.string().min(1) })).default([]),
  /** Where a place is, in WGS 84 degrees, cited like any fact: the source and its words. */
  location: z
    .strictObject({
      lat: z.number().min(-90).max(90),
      lon: z.number().min(-180).max(180),
      source: key,
      quote: z.string().min(1),
    })
    .nullish(),
});

export const aliasRow = z.strictObject({
  entity: entityRef,
  name: z.string().min(1),
  lang: aliasLang,
  primary: z.boolean().default(false),
});

export const relationshipRow = z
  .strictObject({
    key: factKey.optional(),
    type: relationTypeRow.shape.key,
    from: entityRef,
    to: entityRef,
    validFrom: partialDate.nullish(),
    /** EXACT when absent from a new row: a bound only where the source gives no date (docs/data.md). */
    validFromBound: z.enum(DateBound).optional(),
    validTo: partialDate.nullish(),
    properties: properties.optional(),
    ...provenance,
  })
  .superRefine(rule(relationshipProblem));

export const indicatorRow = z.strictObject({
  key,
  name: z.string().min(1),
  nameZh: z.string().nullish(),
  unit: z.string().min(1),
  description: z.string().nullish(),
});

export const observationRow = z
  .strictObject({
    key: factKey.optional(),
    entity: entityRef,
    indicator: key,
    period,
    value: z.number().nullish(),
    valueMax: z.number().nullish(),
    qualifier: z.enum(Qualifier).default("EXACT"),
    unit: z.string().min(1),
    ...provenance,
  })
  .superRefine(rule(valueProblem));

const rankingEntryFields = {
  entity: entityRef,
  rank: z.number().int().positive().nullish(),
  value: z.number().nullish(),
  unit: z.string().nullish(),
  note: z.string().nullish(),
  quote: z.string(),
  certainty: z.enum(Certainty),
};

/** The rank-words rule (src/writes/rules.ts), reported on the entry's `rank`. */
const keepsRankWords = (entry: { rank?: number | null; certainty: Certainty }, context: z.RefinementCtx) => {
  const problem = rankProblem(entry);
  if (problem) context.addIssue({ code: "custom", path: ["rank"], message: problem });
};

export const rankingRow = z.strictObject({
  key,
  name: z.string().min(1),
  topic: z.string().min(1),
  indicator: key.nullish(),
  period,
  scope: entityRef.nullish(),
  note: z.string().nullish(),
  source: key,
  quote: z.string(),
  /** Entries cite the ranking's source. They may also come as rankingEntry rows of their own. */
  entries: z.array(z.strictObject(rankingEntryFields).superRefine(keepsRankWords)).default([]),
});

export const rankingEntryRow = z
  .strictObject({
    key: factKey.optional(),
    ranking: key,
    /** Defaults to the ranking's source. */
    source: key.optional(),
    ...rankingEntryFields,
  })
  .superRefine(keepsRankWords);

export const policyFigureRow = z
  .strictObject({
    key: factKey.optional(),
    policy: entityRef,
    label: z.string().min(1),
    kind: z.enum(FigureKind),
    value: z.number().nullish(),
    valueMax: z.number().nullish(),
    qualifier: z.enum(Qualifier).default("EXACT"),
    unit: z.string().nullish(),
    dueBy: partialDate.nullish(),
    ...provenance,
  })
  .superRefine(rule(valueProblem));

export const rowSchemas = {
  relationTypes: relationTypeRow,
  sources: sourceRow,
  indicators: indicatorRow,
  entities: entityRow,
  aliases: aliasRow,
  rankings: rankingRow,
  rankingEntries: rankingEntryRow,
  relationships: relationshipRow,
  observations: observationRow,
  policyFigures: policyFigureRow,
} as const satisfies Record<TableName, z.ZodType>;

export type RowOf<T extends TableName> = z.output<(typeof rowSchemas)[T]>;

export type SourceRow = RowOf<"sources">;
export type RelationTypeRow = RowOf<"relationTypes">;
export type EntityRow = RowOf<"entities">;
export type AliasRow = RowOf<"aliases">;
export type RelationshipRow = RowOf<"relationships">;
export type IndicatorRow = RowOf<"indicators">;
export type ObservationRow = RowOf<"observations">;
export type RankingRow = RowOf<"rankings">;
export type RankingEntryRow = RowOf<"rankingEntries">;
export type PolicyFigureRow = RowOf<"policyFigures">;

/** An entity ready to write: its key is known (given, matched or made up). */
export type BundleEntity = Omit<EntityRow, "key"> & {
  key: string;
  /** Matched by kind and name: the name found it, so it is not written over the stored one. */
  matchedByName?: boolean;
};

/**
 * A validated bundle, every reference a key: what the writer takes. The seed is one; aliases and
 * ranking entries of their own are optional because the seed nests them.
 */
export interface Bundle {
  sources: SourceRow[];
  relationTypes: RelationTypeRow[];
  entities: BundleEntity[];
  relationships: RelationshipRow[];
  indicators: IndicatorRow[];
  observations: ObservationRow[];
  rankings: RankingRow[];
  policyFigures: PolicyFigureRow[];
  aliases?: AliasRow[];
  rankingEntries?: RankingEntryRow[];
}
