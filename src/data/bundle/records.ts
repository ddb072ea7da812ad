// A record as read from any format, before zod sees it: which table it belongs to, its fields,
// and where it came from. Typed records (NDJSON lines, elements of a JSON array of records) name
// their table in `type`; rows of a per-table file (entities.csv, relation-types.json) take the
// file's table.
import type { Location, Problem } from "./problems.js";
import { recordTypeList, tableOfRecordType, type TableName } from "./tables.js";

export interface RawRecord {
  table: TableName;
  data: Record<string, unknown>;
  at: Location;
  /** Came with a `type`: a relationship's own type was then spelt `relationType`. */
  typed: boolean;
}

export type RecordSink = { records: RawRecord[]; problems: Problem[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readProblem(at: Location, reason: string, field = ""): Problem {
  return {
    file: at.file,
    line: at.line,
    ...(at.index !== undefined ? { index: at.index } : {}),
    field,
    reason,
    stage: "read",
  };
}

/**
 * Files this record to its table. A per-table file's rows need no `type`; there a `type` that is
 * not a record type is the row's own field (a relationship's type in relationships.ndjson).
 */
export function addRecord(sink: RecordSink, value: unknown, at: Location, fileTable: TableName | null): void {
  if (!isPlainObject(value)) {
    sink.problems.push(
      readProblem(
        at,
        `a record must be a JSON object, not ${Array.isArray(value) ? "an array" : typeof value === "object" ? "null" : typeof value}`,
      ),
    );
    return;
  }
  const type = value.type;
  const typedTable = typeof type === "string" ? tableOfRecordType(type) : null;
  if (typedTable) {
    const { type: _type, ...rest } = value;
    if (typedTable === "relationships" && "relationType" in rest) {
      const { relationType, ...fields } = rest;
      sink.records.push({ table: typedTable, data: { ...fields, type: relationType }, at, typed: true });
    } else sink.records.push({ table: typedTable, data: rest, at, typed: true });
    return;
  }
  if (fileTable) {
    sink.records.push({ table: fileTable, data: value, at, typed: false });
    return;
  }
  sink.problems.push(
    readProblem(
      at,
      type === undefined
        ? `no "type" (one of ${recordTypeList.join(", ")})`
        : `unknown record type ${JSON.stringify(type)} (one of ${recordTypeList.join(", ")})`,
      "type",
    ),
  );
}
