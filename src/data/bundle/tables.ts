// The tables of a bundle and the names they go by: a per-table file (`relation-types.json`,
// `ranking-entries.csv`), a key of a JSON object of tables (`relationTypes`), or the `type` of a
// typed record (`"relationType"`). One list, so every format agrees on them.

export const tableNames = [
  "relationTypes",
  "sources",
  "indicators",
  "entities",
  "aliases",
  "rankings",
  "rankingEntries",
  "relationships",
  "observations",
  "policyFigures",
] as const;

export type TableName = (typeof tableNames)[number];

/** The `type` of a typed record (NDJSON line, element of a JSON array of records). */
export const recordTypes: Record<TableName, string> = {
  relationTypes: "relationType",
  sources: "source",
  indicators: "indicator",
  entities: "entity",
  aliases: "alias",
  rankings: "ranking",
  rankingEntries: "rankingEntry",
  relationships: "relationship",
  observations: "observation",
  policyFigures: "policyFigure",
};

/** The seed layout's file stem for each table (`relation-types` for `relation-types.json`). */
export const fileStems: Record<TableName, string> = {
  relationTypes: "relation-types",
  sources: "sources",
  indicators: "indicators",
  entities: "entities",
  aliases: "aliases",
  rankings: "rankings",
  rankingEntries: "ranking-entries",
  relationships: "relationships",
  observations: "observations",
  policyFigures: "policy-figures",
};

// Spelling-insensitive: "relation-types", "relation_types", "relationTypes" and "relationtypes" all name one table.
const fold = (name: string) => name.toLowerCase().replace(/[-_\s]/g, "");
const byFolded = new Map<string, TableName>();
for (const table of tableNames) {
  byFolded.set(fold(table), table);
  byFolded.set(fold(fileStems[table]), table);
}
const byRecordType = new Map<string, TableName>(tableNames.map((table) => [recordTypes[table], table]));

/** The table a file stem or object key names, or null. */
export function tableOfName(name: string): TableName | null {
  return byFolded.get(fold(name)) ?? null;
}

/** The table of a typed record's `type`, or null. */
export function tableOfRecordType(type: string): TableName | null {
  return byRecordType.get(type) ?? null;
}

export const recordTypeList = tableNames.map((table) => recordTypes[table]);
