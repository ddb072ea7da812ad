// Reads the stored graph back as bundle records, table by table, each table ordered by key (byte
// order, COLLATE "C", so PGlite and PostgreSQL give the same order). Rows stream through server
// side cursors a page at a time: one sort per table, constant memory, however large the graph.
// Must run inside a transaction (cursors live in one); the caller opens it.
//
// Records leave out what an import would fill in by itself: null fields, empty properties, keys
// that are the derived ones, an entity's primary name and Chinese name as aliases, a ranking
// entry's source when it is its ranking's. So an export imports back to the same graph and
// exports again to the same text.
import type { Prisma } from "../../generated/prisma/client.js";
import { derivedKeys } from "../../names.js";
import type { TableName } from "./tables.js";

export const pageSize = 5000;

type Json = Record<string, unknown>;

/** A record ready for NDJSON: `type` first, absent fields left out. */
export type BundleRecord = { type: string } & Json;

let cursorSerial = 0;

/** Rows of a query, a page at a time, through a cursor. */
export async function* cursorPages<Row>(tx: Prisma.TransactionClient, sql: string): AsyncGenerator<Row[]> {
  const name = `bundle_export_${++cursorSerial}`;
  await tx.$executeRawUnsafe(`DECLARE ${name} NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM (${sql}) x`);
  try {
    for (;;) {
      const rows = await tx.$queryRawUnsafe<{ j: string }[]>(`FETCH ${pageSize} FROM ${name}`);
      if (rows.length) yield rows.map((row) => JSON.parse(row.j) as Row);
      if (rows.length < pageSize) break;
    }
  } finally {
    await tx.$executeRawUnsafe(`CLOSE ${name}`);
  }
}

/** Drops null, undefined, empty objects and empty arrays: what an import reads as "not given". */
export function compact(record: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** A date column and its precision as the partial date a bundle writes ("2025", "2025-07", "2025-07-25"). */
export function partial(date: string | null, precision: string | null): string | null {
  if (!date) return null;
  return precision === "YEAR" ? date.slice(0, 4) : precision === "MONTH" ? date.slice(0, 7) : date.slice(0, 10);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Row counts per table, for progress totals. */
export async function tableCounts(tx: Prisma.TransactionClient): Promise<Record<TableName, number>> {
  const [row] = await tx.$queryRawUnsafe<Record<TableName, number>[]>(`
    SELECT (SELECT count(*) FROM "RelationType")::int AS "relationTypes", (SELECT count(*) FROM "Source")::int AS sources,
      (SELECT count(*) FROM "Indicator")::int AS indicators, (SELECT count(*) FROM "Entity")::int AS entities,
      (SELECT count(*) FROM "Alias")::int AS aliases, (SELECT count(*) FROM "Ranking")::int AS rankings,
      (SELECT count(*) FROM "RankingEntry")::int AS "rankingEntries", (SELECT count(*) FROM "Relationship")::int AS relationships,
      (SELECT count(*) FROM "Observation")::int AS observations, (SELECT count(*) FROM "PolicyFigure")::int AS "policyFigures"`);
  return row!;
}

const C = `COLLATE "C"`;

/** Every table of the graph as bundle records, in import order; `onPage` reports rows read per table. */
export async function* dumpRecords(
  tx: Prisma.TransactionClient,
  onPage?: (table: TableName, rows: number) => void,
): AsyncGenerator<BundleRecord[]> {
  const tables: [TableName, string, (row: Json) => Json][] = [
    [
      "relationTypes",
      `SELECT key, label, "inverseLabel", description, "symmetric" FROM "RelationType" ORDER BY key ${C}`,
      (r) => ({ type: "relationType", ...r }),
    ],
    [
      "sources",
      `SELECT key, kind, title, "publishedOn", "publishedPrecision", publisher, url, file, summary, body FROM "Source" ORDER BY key ${C}`,
      ({ publishedOn, publishedPrecision, ...r }) =>
        compact({
          type: "source",
          key: r.key,
          kind: r.kind,
          title: r.title,
          publishedOn: partial(publishedOn as string | null, publishedPrecision as string | null),
          publisher: r.publisher,
          url: r.url,
          file: r.file,
          summary: r.summary,
          body: r.body,
        }),
    ],
    [
      "indicators",
      `SELECT key, name, "nameZh", unit, description FROM "Indicator" ORDER BY key ${C}`,
      (r) => compact({ type: "indicator", ...r }),
    ],
  ];
  for (const [table, sql, shape] of tables) {
    for await (const rows of cursorPages<Json>(tx, sql)) {
      onPage?.(table, rows.length);
      yield rows.map((row) => shape(row) as BundleRecord);
    }
  }
  yield* entities(tx, onPage);
  yield* aliases(tx, onPage);
  yield* facts(tx, onPage);
}

async function* entities(
  tx: Prisma.TransactionClient,
  onPage?: (table: TableName, rows: number) => void,
): AsyncGenerator<BundleRecord[]> {
  const sql = `
    SELECT e.id, e.key, e.kind, e.name, e."nameZh", e.description, e."adminLevel", e."divisionType", e."divisionCode", e.properties,
      e.latitude, e.longitude, ls.key AS "locationSource", e."locationQuote",
      p."entityId" IS NOT NULL AS "hasPolicy", p."policyType", p."officialTitle", p."startsOn", p."startsPrecision", p."endsOn", p."endsPrecision"
    FROM "Entity" e LEFT JOIN "PolicyDetail" p ON p."entityId" = e.id LEFT JOIN "Source" ls ON ls.id = e."locationSourceId"
    ORDER BY e.key ${C}`;
  for await (const rows of cursorPages<Json>(tx, sql)) {
    onPage?.("entities", rows.length);
    const ids = rows.map((row) => row.id as number);
    const mentions = await tx.$queryRaw<{ entityId: number; source: string; quote: string }[]>`
      SELECT m."entityId", s.key AS source, m.quote FROM "Mention" m JOIN "Source" s ON s.id = m."sourceId" WHERE m."entityId" = ANY(${ids}::int[])`;
    const byEntity = new Map<number, { source: string; quote: string }[]>();
    for (const { entityId, source, quote } of mentions) {
      const list = byEntity.get(entityId) ?? [];
      list.push({ source, quote });
      byEntity.set(entityId, list);
    }
    yield rows.map(
      (r) =>
        compact({
          type: "entity",
          key: r.key,
          kind: r.kind,
          name: r.name,
          nameZh: r.nameZh,
          description: r.description,
          adminLevel: r.adminLevel,
          divisionType: r.divisionType,
          divisionCode: r.divisionCode,
          properties: r.properties,
          location:
            r.latitude === null
              ? undefined
              : { lat: r.latitude, lon: r.longitude, source: r.locationSource, quote: r.locationQuote },
          policy: r.hasPolicy
            ? compact({
                policyType: r.policyType,
                officialTitle: r.officialTitle,
                startsOn: partial(r.startsOn as string | null, r.startsPrecision as string | null),
                endsOn: partial(r.endsOn as string | null, r.endsPrecision as string | null),
              })
            : null,
          mentions: (byEntity.get(r.id as number) ?? []).sort(
            (a, b) => byText(a.source, b.source) || byText(a.quote, b.quote),
          ),
        }) as BundleRecord,
    );
  }
}

async function* aliases(
  tx: Prisma.TransactionClient,
  onPage?: (table: TableName, rows: number) => void,
): AsyncGenerator<BundleRecord[]> {
  const sql = `
    SELECT e.key AS entity, e.name AS "entityName", e."nameZh" AS "entityNameZh", a.name, a.lang, a."primary"
    FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId" ORDER BY e.key ${C}, a.normalized ${C}, a.id`;
  for await (const rows of cursorPages<Json>(tx, sql)) {
    onPage?.("aliases", rows.length);
    // The names an import gives an entity by itself (its name and Chinese name, primary) are not repeated.
    const implied = (r: Json) =>
      r.primary === true &&
      ((r.lang === "en" && r.name === r.entityName) || (r.lang === "zh" && r.name === r.entityNameZh));
    yield rows
      .filter((r) => !implied(r))
      .map(
        (r) =>
          compact({
            type: "alias",
            entity: r.entity,
            name: r.name,
            lang: r.lang,
            primary: r.primary === true ? true : null,
          }) as BundleRecord,
      );
  }
}

async function* facts(
  tx: Prisma.TransactionClient,
  onPage?: (table: TableName, rows: number) => void,
): AsyncGenerator<BundleRecord[]> {
  const provenance = `s.key AS source, t.quote, t.certainty::text AS certainty, t.note`;
  const queries: [TableName, string, (r: Json) => Json][] = [
    [
      "rankings",
      `SELECT t.key, t.name, t.topic, i.key AS indicator, t.period, sc.key AS scope, t.note, s.key AS source, t.quote
       FROM "Ranking" t JOIN "Source" s ON s.id = t."sourceId" LEFT JOIN "Indicator" i ON i.id = t."indicatorId"
       LEFT JOIN "Entity" sc ON sc.id = t."scopeId" ORDER BY t.key ${C}`,
      (r) => compact({ type: "ranking", ...r }),
    ],
    [
      "rankingEntries",
      `SELECT t.key, r.key AS ranking, e.key AS entity, t.rank, t.value, t.unit, rs.key AS "rankingSource", ${provenance}
       FROM "RankingEntry" t JOIN "Ranking" r ON r.id = t."rankingId" JOIN "Source" rs ON rs.id = r."sourceId"
       JOIN "Entity" e ON e.id = t."entityId" JOIN "Source" s ON s.id = t."sourceId" ORDER BY t.key ${C}`,
      (r) =>
        compact({
          type: "rankingEntry",
          key: r.key === derivedKeys.rankingEntry(r as { ranking: string; entity: string }) ? null : r.key,
          ranking: r.ranking,
          entity: r.entity,
          rank: r.rank,
          value: r.value,
          unit: r.unit,
          note: r.note,
          source: r.source === r.rankingSource ? null : r.source,
          quote: r.quote,
          certainty: r.certainty,
        }),
    ],
    [
      "relationships",
      `SELECT t.key, t."typeKey" AS type, f.key AS "from", o.key AS "to", t."validFrom", t."validFromPrecision", t."validFromBound"::text AS "validFromBound", t."validTo", t."validToPrecision",
         t.properties, ${provenance}
       FROM "Relationship" t JOIN "Entity" f ON f.id = t."fromId" JOIN "Entity" o ON o.id = t."toId" JOIN "Source" s ON s.id = t."sourceId"
       ORDER BY t.key ${C}`,
      (r) =>
        compact({
          type: "relationship",
          key:
            r.key === derivedKeys.relationship(r as { type: string; from: string; to: string; source: string })
              ? null
              : r.key,
          relationType: r.type,
          from: r.from,
          to: r.to,
          validFrom: partial(r.validFrom as string | null, r.validFromPrecision as string | null),
          validFromBound: r.validFromBound === "EXACT" ? null : r.validFromBound,
          validTo: partial(r.validTo as string | null, r.validToPrecision as string | null),
          properties: r.properties,
          note: r.note,
          source: r.source,
          quote: r.quote,
          certainty: r.certainty,
        }),
    ],
    [
      "observations",
      `SELECT t.key, e.key AS entity, i.key AS indicator, t.period, t."periodBound"::text AS "periodBound", t.value, t."valueMax", t.qualifier, t.unit, ${provenance}
       FROM "Observation" t JOIN "Entity" e ON e.id = t."entityId" JOIN "Indicator" i ON i.id = t."indicatorId" JOIN "Source" s ON s.id = t."sourceId"
       ORDER BY t.key ${C}`,
      (r) =>
        compact({
          type: "observation",
          key:
            r.key ===
            derivedKeys.observation(r as { entity: string; indicator: string; period: string; source: string })
              ? null
              : r.key,
          entity: r.entity,
          indicator: r.indicator,
          period: r.period,
          periodBound: r.periodBound === "EXACT" ? null : r.periodBound,
          value: r.value,
          valueMax: r.valueMax,
          qualifier: r.qualifier,
          unit: r.unit,
          note: r.note,
          source: r.source,
          quote: r.quote,
          certainty: r.certainty,
        }),
    ],
    [
      "policyFigures",
      `SELECT t.key, p.key AS policy, t.label, t.kind, t.value, t."valueMax", t.qualifier, t.unit, t."dueBy", t."dueByPrecision", ${provenance}
       FROM "PolicyFigure" t JOIN "Entity" p ON p.id = t."policyId" JOIN "Source" s ON s.id = t."sourceId" ORDER BY t.key ${C}`,
      (r) =>
        compact({
          type: "policyFigure",
          key: r.key === derivedKeys.policyFigure(r as { policy: string; label: string }) ? null : r.key,
          policy: r.policy,
          label: r.label,
          kind: r.kind,
          value: r.value,
          valueMax: r.valueMax,
          qualifier: r.qualifier,
          unit: r.unit,
          dueBy: partial(r.dueBy as string | null, r.dueByPrecision as string | null),
          note: r.note,
          source: r.source,
          quote: r.quote,
          certainty: r.certainty,
        }),
    ],
  ];
  for (const [table, sql, shape] of queries) {
    for await (const rows of cursorPages<Json>(tx, sql)) {
      onPage?.(table, rows.length);
      yield rows.map((row) => shape(row) as BundleRecord);
    }
  }
}
