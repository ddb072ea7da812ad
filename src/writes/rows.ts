// One row schema per written table, shared by every writer: a mutation's record kind checks the
// snapshot it writes with it, a bundle (import, seed) composes its rows from the same fields and
// rules, ingest checks the source and mentions it writes, and the generator's output is held to it
// by a test. A row here is the record as written, with other records named by key (its snapshot in
// the history); the rules of rules.ts are attached, so each writer refuses the same row with the
// same message. Below the schemas, each table's columns and their SQL types, checked against
// Prisma's model types, from which the bulk writer's table specs are built.
import { z } from "zod";
import type {
  Alias,
  Change,
  Entity,
  EntityRedirect,
  Indicator,
  Mention,
  Observation,
  PolicyDetail,
  PolicyFigure,
  Ranking,
  RankingEntry,
  RelationType,
  Relationship,
  Source,
} from "../generated/prisma/client.js";
import type * as enums from "../generated/prisma/enums.js";
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
import { ValidationError } from "../errors.js";
import { divisionCode, kebabCase } from "../names.js";
import { parsePartialDate, parsePeriod } from "../partial-date.js";
import type { Column, ColumnType, TableSpec, Value } from "./bulk-rows.js";
import { policyProblem, rankProblem, relationshipProblem, valueProblem, type RowProblem } from "./rules.js";

// ---------------------------------------------------------------------------------------------
// Fields

export const key = z.string().regex(kebabCase, "a kebab-case key");
/** Facts may carry any key (generated graphs and the API use their own); most derive it. */
export const factKey = z.string().min(1).max(500);
const relationTypeKey = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "an UPPER_SNAKE_CASE key");
const partialDate = z
  .string()
  .refine((text) => parsePartialDate(text) !== null, "a date as YYYY, YYYY-MM or YYYY-MM-DD");
const period = z
  .string()
  .refine((text) => parsePeriod(text) !== null, 'a period as "2025", "2025-H1", "2025-Q3" or "2025-07"');
/** A JSON object (a `properties` column). */
const properties = z.record(z.string(), z.json());
const aliasLang = z.enum(["en", "zh", "pinyin"]);
const rankMessage = "A rank is a whole number from 1.";
const provenance = {
  note: z.string().nullable(),
  source: key,
  quote: z.string(),
  certainty: z.enum(Certainty),
};

/** A rule of rules.ts as a zod check, reported on the field it names. */
const rule =
  <Row>(problemOf: (row: Row) => RowProblem | null) =>
  (row: Row, ctx: z.RefinementCtx) => {
    const problem = problemOf(row);
    if (problem) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  };

export const policyRule = rule(policyProblem);
export const relationshipRule = rule(relationshipProblem);
export const valueRule = rule(valueProblem);
export const rankRule = rule((entry: { rank?: number | null; certainty: Certainty }) => {
  const problem = rankProblem(entry);
  return problem ? { path: ["rank"], message: problem } : null;
});

// ---------------------------------------------------------------------------------------------
// Rows. `xxxFields` is the shape, for a bundle to compose (it loosens what a file may leave out);
// `xxxRow` the row as written, with its rules.

export const sourceFields = {
  key,
  kind: z.enum(SourceKind),
  title: z.string().min(1),
  publishedOn: partialDate.nullable(),
  publisher: z.string().nullable(),
  url: z.url().nullable(),
  file: z.string().nullable(),
  summary: z.string().nullable(),
  body: z.string(),
};
export const sourceRow = z.strictObject(sourceFields);
export type SourceRow = z.output<typeof sourceRow>;

export const relationTypeFields = {
  key: relationTypeKey,
  label: z.string().min(1),
  inverseLabel: z.string().min(1),
  description: z.string(),
  symmetric: z.boolean(),
};
const relationTypeRow = z.strictObject(relationTypeFields);

export const indicatorFields = {
  key,
  name: z.string().min(1),
  nameZh: z.string().nullable(),
  unit: z.string().min(1),
  description: z.string().nullable(),
};
const indicatorRow = z.strictObject(indicatorFields);

/** A name of an entity, as the entity's row holds it. */
export const entityAliasFields = { name: z.string().min(1), lang: aliasLang, primary: z.boolean() };
const entityAlias = z.strictObject(entityAliasFields);
export type EntityAlias = z.output<typeof entityAlias>;
export const aliasFields = { entity: key, ...entityAliasFields };
/** One name of an entity as a record of its own (`addAlias`). */
export const aliasRow = z.strictObject(aliasFields);
export type AliasRow = z.output<typeof aliasRow>;

export const mentionFields = { source: key, quote: z.string().min(1) };
/** A sentence of a source naming an entity: part of the entity's row, written alone by ingest. */
export const mentionRow = z.strictObject(mentionFields);
export type MentionRow = z.output<typeof mentionRow>;

export const policyFields = {
  policyType: z.enum(PolicyType),
  officialTitle: z.string().nullable(),
  startsOn: partialDate.nullable(),
  endsOn: partialDate.nullable(),
};
const policy = z.strictObject(policyFields);
export type PolicyRow = z.output<typeof policy>;

/** Where a place is, in WGS 84 degrees, cited like any fact: the source and its words. */
export const locationFields = {
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  source: key,
  quote: z.string().min(1),
};
const location = z.strictObject(locationFields);
export type LocationRow = z.output<typeof location>;

export const entityFields = {
  key,
  kind: z.enum(EntityKind),
  name: z.string().min(1),
  nameZh: z.string().nullable(),
  description: z.string().nullable(),
  adminLevel: z.enum(AdminLevel).nullable(),
  divisionType: z.enum(DivisionType).nullable(),
  divisionCode: z.string().regex(divisionCode, "a six-digit GB/T 2260 code").nullable(),
  properties,
  aliases: z.array(entityAlias),
  mentions: z.array(mentionRow),
  policy: policy.nullable(),
  /** Absent from snapshots recorded before places had positions: the stored location stays. */
  location: location.nullable().optional(),
};
/** An entity with what it owns: its names, the sentences that mention it, a policy's details, its place. */
export const entityRow = z.strictObject(entityFields).superRefine(policyRule);
export type EntityRow = z.output<typeof entityRow>;

export const relationshipFields = {
  key: factKey,
  type: z.string().min(1),
  from: key,
  to: key,
  validFrom: partialDate.nullable(),
  /** Absent from changes recorded before bounds existed: EXACT. */
  validFromBound: z.enum(DateBound).optional(),
  validTo: partialDate.nullable(),
  properties,
  ...provenance,
};
export const relationshipRow = z.strictObject(relationshipFields).superRefine(relationshipRule);
export type RelationshipRow = z.output<typeof relationshipRow>;

export const observationFields = {
  key: factKey,
  entity: key,
  indicator: key,
  period,
  /** Absent from changes recorded before bounds existed: EXACT. */
  periodBound: z.enum(DateBound).optional(),
  value: z.number().nullable(),
  valueMax: z.number().nullable(),
  qualifier: z.enum(Qualifier),
  unit: z.string().min(1),
  ...provenance,
};
export const observationRow = z.strictObject(observationFields).superRefine(valueRule);
export type ObservationRow = z.output<typeof observationRow>;

export const rankingFields = {
  key,
  name: z.string().min(1),
  topic: z.string().min(1),
  indicator: key.nullable(),
  period,
  scope: key.nullable(),
  note: z.string().nullable(),
  source: key,
  quote: z.string(),
};
export const rankingRow = z.strictObject(rankingFields);
export type RankingRow = z.output<typeof rankingRow>;

export const rankingEntryFields = {
  key: factKey,
  ranking: key,
  entity: key,
  rank: z.number().int(rankMessage).min(1, rankMessage).nullable(),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  ...provenance,
};
export const rankingEntryRow = z.strictObject(rankingEntryFields).superRefine(rankRule);
export type RankingEntryRow = z.output<typeof rankingEntryRow>;

export const policyFigureFields = {
  key: factKey,
  policy: key,
  label: z.string().min(1),
  kind: z.enum(FigureKind),
  value: z.number().nullable(),
  valueMax: z.number().nullable(),
  qualifier: z.enum(Qualifier),
  unit: z.string().nullable(),
  dueBy: partialDate.nullable(),
  ...provenance,
};
export const policyFigureRow = z.strictObject(policyFigureFields).superRefine(valueRule);
export type PolicyFigureRow = z.output<typeof policyFigureRow>;

export const redirectRow = z.strictObject({ key, target: key });
export type RedirectRow = z.output<typeof redirectRow>;

/** The row checked against its schema; every problem at once, as a ValidationError on the row's fields. */
export function checkRow<T>(schema: z.ZodType<T>, row: unknown): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  );
}

// ---------------------------------------------------------------------------------------------
// Columns. Every column of every table the writers fill, with its SQL type for the bulk writer
// (src/writes/bulk-rows.ts). `satisfies` holds each list to Prisma's model: a column missing, extra
// or of another type (an enum of another name, a number sent as text) fails the type check.

/** The enum of the schema whose values are exactly V's, by name. */
type EnumName<V> = {
  [N in keyof typeof enums]: [V] extends [(typeof enums)[N][keyof (typeof enums)[N]]]
    ? [(typeof enums)[N][keyof (typeof enums)[N]]] extends [V]
      ? N
      : never
    : never;
}[keyof typeof enums];

type SqlTypeOf<V> = [V] extends [number]
  ? "int" | "float8"
  : [V] extends [boolean]
    ? "boolean"
    : [V] extends [Date]
      ? "date"
      : [V] extends [string[]]
        ? "text[]"
        : [V] extends [string]
          ? string extends V
            ? "text" | "uuid"
            : `"${EnumName<V>}"`
          : "jsonb";

/** Every column of model M but its serial id and the timestamps the database sets. */
type ColumnsOf<M, Omitted extends keyof M = never> = {
  [K in Exclude<keyof M, "id" | "createdAt" | "updatedAt" | Omitted>]-?: SqlTypeOf<NonNullable<M[K]>>;
};

const columnTypes = {
  Source: {
    key: "text",
    kind: '"SourceKind"',
    title: "text",
    publishedOn: "date",
    publishedPrecision: '"DatePrecision"',
    publisher: "text",
    url: "text",
    file: "text",
    summary: "text",
    body: "text",
  },
  RelationType: { key: "text", label: "text", inverseLabel: "text", description: "text", symmetric: "boolean" },
  Indicator: { key: "text", name: "text", nameZh: "text", unit: "text", description: "text" },
  Entity: {
    key: "text",
    kind: '"EntityKind"',
    name: "text",
    nameZh: "text",
    description: "text",
    adminLevel: '"AdminLevel"',
    divisionType: '"DivisionType"',
    divisionCode: "text",
    properties: "jsonb",
    latitude: "float8",
    longitude: "float8",
    locationSourceId: "int",
    locationQuote: "text",
  },
  Alias: {
    entityId: "int",
    name: "text",
    normalized: "text",
    compact: "text",
    lang: "text",
    primary: "boolean",
  },
  Mention: { entityId: "int", sourceId: "int", quote: "text" },
  PolicyDetail: {
    entityId: "int",
    policyType: '"PolicyType"',
    officialTitle: "text",
    startsOn: "date",
    startsPrecision: '"DatePrecision"',
    endsOn: "date",
    endsPrecision: '"DatePrecision"',
  },
  Relationship: {
    key: "text",
    typeKey: "text",
    fromId: "int",
    toId: "int",
    validFrom: "date",
    validFromPrecision: '"DatePrecision"',
    validFromBound: '"DateBound"',
    validTo: "date",
    validToPrecision: '"DatePrecision"',
    properties: "jsonb",
    note: "text",
    sourceId: "int",
    quote: "text",
    certainty: '"Certainty"',
  },
  Observation: {
    key: "text",
    entityId: "int",
    indicatorId: "int",
    period: "text",
    periodStart: "date",
    periodEnd: "date",
    periodBound: '"DateBound"',
    value: "float8",
    valueMax: "float8",
    qualifier: '"Qualifier"',
    unit: "text",
    note: "text",
    sourceId: "int",
    quote: "text",
    certainty: '"Certainty"',
  },
  Ranking: {
    key: "text",
    name: "text",
    topic: "text",
    indicatorId: "int",
    period: "text",
    periodStart: "date",
    periodEnd: "date",
    scopeId: "int",
    note: "text",
    sourceId: "int",
    quote: "text",
  },
  RankingEntry: {
    key: "text",
    rankingId: "int",
    entityId: "int",
    rank: "int",
    value: "float8",
    unit: "text",
    note: "text",
    sourceId: "int",
    quote: "text",
    certainty: '"Certainty"',
  },
  PolicyFigure: {
    key: "text",
    policyId: "int",
    label: "text",
    kind: '"FigureKind"',
    value: "float8",
    valueMax: "float8",
    qualifier: '"Qualifier"',
    unit: "text",
    dueBy: "date",
    dueByPrecision: '"DatePrecision"',
    note: "text",
    sourceId: "int",
    quote: "text",
    certainty: '"Certainty"',
  },
  EntityRedirect: { key: "text", targetId: "int" },
  Change: {
    actor: "text",
    operation: "text",
    batch: "uuid",
    action: '"ChangeAction"',
    targetType: "text",
    targetKey: "text",
    entityKeys: "text[]",
    before: "jsonb",
    after: "jsonb",
    revertOfId: "int",
  },
} as const satisfies {
  Source: ColumnsOf<Source>;
  RelationType: ColumnsOf<RelationType>;
  Indicator: ColumnsOf<Indicator>;
  Entity: ColumnsOf<Entity>;
  Alias: ColumnsOf<Alias>;
  Mention: ColumnsOf<Mention>;
  PolicyDetail: ColumnsOf<PolicyDetail>;
  Relationship: ColumnsOf<Relationship>;
  Observation: ColumnsOf<Observation>;
  Ranking: ColumnsOf<Ranking>;
  RankingEntry: ColumnsOf<RankingEntry>;
  PolicyFigure: ColumnsOf<PolicyFigure>;
  EntityRedirect: ColumnsOf<EntityRedirect>;
  Change: ColumnsOf<Change, "at">;
};

type Table = keyof typeof columnTypes;
type ColumnName<T extends Table> = keyof (typeof columnTypes)[T] & string;

/** The database's defaults (prisma/schema.prisma's @default) for columns a new row may leave out. */
const columnDefaults: { [T in Table]?: { [C in ColumnName<T>]?: Value } } = {
  RelationType: { symmetric: false },
  Entity: { properties: {} },
  Alias: { compact: "", primary: false },
  Relationship: { validFromBound: "EXACT", properties: {} },
  Observation: { periodBound: "EXACT", qualifier: "EXACT" },
  PolicyFigure: { qualifier: "EXACT" },
};

/** A column of `table` by name: its SQL type from the list above, the database's default, or one value for every row. */
function columnOf<T extends Table>(table: T, name: ColumnName<T>, fixed?: Value): Column {
  const types: Record<string, ColumnType> = columnTypes[table];
  const defaults: Record<string, Value | undefined> = columnDefaults[table] ?? {};
  return {
    name,
    type: types[name]!,
    ...(defaults[name] !== undefined ? { default: defaults[name] } : {}),
    ...(fixed !== undefined ? { fixed } : {}),
  };
}

/**
 * A bulk table spec of `table`, keyed by `key`, writing `columns` (a name, or a name and the one value
 * every row takes). The key column is left out of `columns`.
 */
export function bulkTable<T extends Table>(
  table: T,
  spec: {
    key: ColumnName<T>;
    columns: (ColumnName<T> | [ColumnName<T>, Value])[];
    hasId: boolean;
    touchesUpdatedAt?: boolean;
  },
): TableSpec {
  return {
    table,
    key: columnOf(table, spec.key),
    columns: spec.columns.map((entry) =>
      typeof entry === "string" ? columnOf(table, entry) : columnOf(table, entry[0], entry[1]),
    ),
    hasId: spec.hasId,
    ...(spec.touchesUpdatedAt ? { touchesUpdatedAt: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Rows against Prisma's models: a field a row shares with its table's model (same name) must carry
// a value the model's column takes. Dates are the exception, named here: a row holds a partial date
// as text ("2025-07"), the table a date and its precision.

type Shared<R, M, Except extends string> = Exclude<Extract<keyof R, keyof M>, Except>;
/** A field a row may leave out (an older snapshot) is compared by the value it holds when given. */
type Fits<R, M, Except extends string = never> = [{ [K in Shared<R, M, Except>]-?: Exclude<R[K], undefined> }] extends [
  Pick<M, Shared<R, M, Except>>,
]
  ? true
  : false;
type Holds<T extends true> = T;

// biome-ignore lint/correctness/noUnusedVariables: a check for the type checker, which nothing else uses.
type RowsFitTheirTables = [
  Holds<Fits<SourceRow, Source, "publishedOn">>,
  Holds<Fits<z.output<typeof relationTypeRow>, RelationType>>,
  Holds<Fits<z.output<typeof indicatorRow>, Indicator>>,
  Holds<Fits<EntityRow, Entity>>,
  Holds<Fits<AliasRow, Alias>>,
  Holds<Fits<MentionRow, Mention>>,
  Holds<Fits<PolicyRow, PolicyDetail, "startsOn" | "endsOn">>,
  Holds<Fits<RelationshipRow, Relationship, "validFrom" | "validTo">>,
  Holds<Fits<ObservationRow, Observation>>,
  Holds<Fits<RankingRow, Ranking>>,
  Holds<Fits<RankingEntryRow, RankingEntry>>,
  Holds<Fits<PolicyFigureRow, PolicyFigure, "dueBy">>,
  Holds<Fits<RedirectRow, EntityRedirect>>,
];
