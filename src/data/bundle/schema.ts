// The rows of a bundle, checked with zod before anything is written. The seed (prisma/seed/*.json)
// is a bundle in this shape; an import may also leave out an entity's key (it is then matched by
// kind and name), point at an entity by `KIND:name`, and give aliases and ranking entries as rows
// of their own.
//
// A field a row leaves out keeps what the database holds (a new row gets null or the default);
// an explicit null clears it.
import { z } from "zod";
import {
  aliasFields,
  entityAliasFields,
  entityFields,
  factKey,
  indicatorFields,
  key,
  locationFields,
  mentionFields,
  observationFields,
  policyFields,
  policyFigureFields,
  policyRule,
  rankingEntryFields,
  rankingFields,
  rankRule,
  relationshipFields,
  relationshipRule,
  relationTypeFields,
  sourceFields,
  valueRule,
} from "../../writes/rows.js";
import { parseEntityRef } from "./keys.js";
import type { TableName } from "./tables.js";

// Every row is a row of src/writes/rows.ts, with its fields and rules, loosened where a file may say
// less: a nullable field may be left out (the stored value stays), a fact's key may be left out (it is
// derived), an entity may be named as `KIND:name`, and defaults fill what a new row needs.

/** The fields of `shape` named, made optional: a row may leave them out. */
function leavable<S extends z.core.$ZodLooseShape, K extends keyof S & string>(
  shape: S,
  ...names: K[]
): Omit<S, K> & { [N in K]: z.ZodOptional<S[N]> } {
  const loosened: Record<string, z.ZodType> = { ...shape };
  for (const name of names) loosened[name] = (shape[name] as z.ZodType).optional();
  return loosened as Omit<S, K> & { [N in K]: z.ZodOptional<S[N]> };
}

const entityRef = z
  .string()
  .refine((text) => parseEntityRef(text) !== null, 'a kebab-case key, or KIND:name (e.g. "CITY:Chongqing")');

const sourceRow = z.strictObject(leavable(sourceFields, "publishedOn", "publisher", "url", "file", "summary"));

const relationTypeRow = z.strictObject({
  ...relationTypeFields,
  symmetric: relationTypeFields.symmetric.default(false),
});

const entityRow = z
  .strictObject({
    ...leavable(entityFields, "nameZh", "description", "adminLevel", "divisionType", "divisionCode", "properties"),
    /** Without a key the entity is matched by kind and name (any of its names, any case). */
    key: key.optional(),
    aliases: z.array(z.strictObject({ name: entityAliasFields.name, lang: entityAliasFields.lang })).default([]),
    policy: z.strictObject(leavable(policyFields, "officialTitle", "startsOn", "endsOn")).nullish(),
    mentions: z.array(z.strictObject(mentionFields)).default([]),
    location: z.strictObject(locationFields).nullish(),
  })
  .superRefine(policyRule);

const aliasRow = z.strictObject({ ...aliasFields, entity: entityRef, primary: aliasFields.primary.default(false) });

const relationshipRow = z
  .strictObject({
    ...leavable(relationshipFields, "validFrom", "validTo", "properties", "note"),
    key: factKey.optional(),
    type: relationTypeFields.key,
    from: entityRef,
    to: entityRef,
  })
  .superRefine(relationshipRule);

const indicatorRow = z.strictObject(leavable(indicatorFields, "nameZh", "description"));

const observationRow = z
  .strictObject({
    ...leavable(observationFields, "value", "valueMax", "note"),
    key: factKey.optional(),
    entity: entityRef,
    qualifier: observationFields.qualifier.default("EXACT"),
  })
  .superRefine(valueRule);

const { key: _key, ranking: _ranking, source: _source, ...entryFields } = rankingEntryFields;
/** An entry of a ranking's `entries`: it cites the ranking's source, and its key is derived. */
const nestedEntry = z
  .strictObject({ ...leavable(entryFields, "rank", "value", "unit", "note"), entity: entityRef })
  .superRefine(rankRule);

const rankingRow = z.strictObject({
  ...leavable(rankingFields, "indicator", "note"),
  scope: entityRef.nullish(),
  /** Entries cite the ranking's source. They may also come as rankingEntry rows of their own. */
  entries: z.array(nestedEntry).default([]),
});

const rankingEntryRow = z
  .strictObject({
    ...leavable(rankingEntryFields, "rank", "value", "unit", "note"),
    key: factKey.optional(),
    /** Defaults to the ranking's source. */
    source: rankingEntryFields.source.optional(),
    entity: entityRef,
  })
  .superRefine(rankRule);

const policyFigureRow = z
  .strictObject({
    ...leavable(policyFigureFields, "value", "valueMax", "unit", "dueBy", "note"),
    key: factKey.optional(),
    policy: entityRef,
    qualifier: policyFigureFields.qualifier.default("EXACT"),
  })
  .superRefine(valueRule);

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
