// Every record kind by its history type name, for reverts that only know the name.
import type { RecordKind, Snapshot } from "../record.js";
import { aliasRecord } from "./alias.js";
import { entityRecord } from "./entity.js";
import { observationRecord } from "./observation.js";
import { policyFigureRecord } from "./policy-figure.js";
import { rankingEntryRecord, rankingRecord } from "./ranking.js";
import { redirectRecord } from "./redirect.js";
import { relationshipRecord } from "./relationship.js";
import { sourceRecord } from "./source.js";

const kinds = [
  aliasRecord,
  entityRecord,
  observationRecord,
  policyFigureRecord,
  rankingEntryRecord,
  rankingRecord,
  redirectRecord,
  relationshipRecord,
  sourceRecord,
];

const byType = new Map<string, RecordKind<Snapshot>>(kinds.map((kind) => [kind.type, kind as RecordKind<Snapshot>]));

export function recordKind(type: string): RecordKind<Snapshot> | undefined {
  return byType.get(type);
}
