// The records a bundle may create or change, for the history of an import (src/writes/bulk-history.ts):
// every key the writer will write, derived as it derives them (src/names.ts), in the order records
// depend on each other. Relation types and indicators are vocabulary, not records with a history:
// an import that adds one keeps it when reverted.
import { derivedKeys } from "../../names.js";
import { bulkTarget, type BulkTarget } from "../../writes/bulk-history.js";
import { entityRecord } from "../../writes/records/entity.js";
import { observationRecord } from "../../writes/records/observation.js";
import { policyFigureRecord } from "../../writes/records/policy-figure.js";
import { rankingEntryRecord, rankingRecord } from "../../writes/records/ranking.js";
import { relationshipRecord } from "../../writes/records/relationship.js";
import { sourceRecord } from "../../writes/records/source.js";
import type { Bundle } from "./schema.js";

export function bundleTargets(bundle: Bundle): BulkTarget[] {
  const entries = [
    ...bundle.rankings.flatMap((ranking) =>
      ranking.entries.map((entry) => derivedKeys.rankingEntry({ ranking: ranking.key, entity: entry.entity })),
    ),
    ...(bundle.rankingEntries ?? []).map((row) => row.key ?? derivedKeys.rankingEntry(row)),
  ];
  return [
    bulkTarget(
      sourceRecord,
      bundle.sources.map((row) => row.key),
    ),
    // An entity's record holds its names, the sentences that mention it and a policy's dates.
    bulkTarget(entityRecord, [
      ...bundle.entities.map((row) => row.key),
      ...(bundle.aliases ?? []).map((row) => row.entity),
    ]),
    bulkTarget(
      rankingRecord,
      bundle.rankings.map((row) => row.key),
    ),
    bulkTarget(
      relationshipRecord,
      bundle.relationships.map((row) => row.key ?? derivedKeys.relationship(row)),
    ),
    bulkTarget(
      observationRecord,
      bundle.observations.map((row) => row.key ?? derivedKeys.observation(row)),
    ),
    bulkTarget(rankingEntryRecord, entries),
    bulkTarget(
      policyFigureRecord,
      bundle.policyFigures.map((row) => row.key ?? derivedKeys.policyFigure(row)),
    ),
  ];
}
