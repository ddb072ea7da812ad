// Writes a validated bundle: every row matched by its key, created when missing, updated when a
// field it gives differs, left alone otherwise, so writing the same bundle twice changes nothing
// (and sends no INSERT or UPDATE at all). Aliases and mentions are only ever added. Batched per
// table (see src/writes/bulk-rows.ts); the caller owns the transaction.
import type { Prisma } from "../../generated/prisma/client.js";
import { compactName, normalizeName } from "../../names.js";
import { parsePartialDate, parsePeriod } from "../../partial-date.js";
import { derivedKeys } from "../../names.js";
import type { Bundle } from "./schema.js";
import { bulkTable } from "../../writes/rows.js";
import {
  batchSize,
  copyRows,
  idsByKey,
  insertRows,
  selectByKeys,
  updateRows,
  type Key,
  type StoredRow,
  type TableSpec,
  type Value,
} from "../../writes/bulk-rows.js";
import { noteEmptyTables, wasEmpty, withDeferredIndexes } from "../../writes/bulk-load.js";

export interface TableStats {
  created: number;
  updated: number;
  unchanged: number;
}

export const writeTables = [
  "relationTypes",
  "sources",
  "entities",
  "aliases",
  "policies",
  "indicators",
  "relationships",
  "observations",
  "rankings",
  "rankingEntries",
  "policyFigures",
  "mentions",
] as const;

export type WriteTable = (typeof writeTables)[number];
export type WriteStats = Record<WriteTable, TableStats>;

export interface WriteProgress {
  table: WriteTable;
  done: number;
  total: number;
}

export interface WriteOptions {
  /** Called as each table starts (the seed CLI prints it). */
  onStep?: (table: WriteTable) => void;
  onProgress?: (progress: WriteProgress) => void;
}

type Values = Record<string, Value | undefined>;
interface Wanted {
  key: Key;
  values: Values;
}

const provenance = ["note", "sourceId", "quote", "certainty"] as const;

// The columns a bundle writes, by table; their SQL types and defaults come from src/writes/rows.ts.
const specs = {
  relationTypes: bulkTable("RelationType", {
    key: "key",
    hasId: false,
    columns: ["label", "inverseLabel", "description", "symmetric"],
  }),
  sources: bulkTable("Source", {
    key: "key",
    hasId: true,
    columns: ["kind", "title", "publishedOn", "publishedPrecision", "publisher", "url", "file", "summary", "body"],
  }),
  entities: bulkTable("Entity", {
    key: "key",
    hasId: true,
    touchesUpdatedAt: true,
    columns: [
      "kind",
      "name",
      "nameZh",
      "description",
      "adminLevel",
      "divisionType",
      "divisionCode",
      "properties",
      "latitude",
      "longitude",
      "locationSourceId",
      "locationQuote",
    ],
  }),
  policies: bulkTable("PolicyDetail", {
    key: "entityId",
    hasId: false,
    columns: ["policyType", "officialTitle", "startsOn", "startsPrecision", "endsOn", "endsPrecision"],
  }),
  indicators: bulkTable("Indicator", {
    key: "key",
    hasId: true,
    columns: ["name", "nameZh", "unit", "description"],
  }),
  relationships: bulkTable("Relationship", {
    key: "key",
    hasId: false,
    columns: [
      "typeKey",
      "fromId",
      "toId",
      "validFrom",
      "validFromPrecision",
      "validFromBound",
      "validTo",
      "validToPrecision",
      "properties",
      ...provenance,
    ],
  }),
  observations: bulkTable("Observation", {
    key: "key",
    hasId: false,
    columns: [
      "entityId",
      "indicatorId",
      "period",
      "periodStart",
      "periodEnd",
      "periodBound",
      "value",
      "valueMax",
      "qualifier",
      "unit",
      ...provenance,
    ],
  }),
  rankings: bulkTable("Ranking", {
    key: "key",
    hasId: true,
    columns: [
      "name",
      "topic",
      "indicatorId",
      "period",
      "periodStart",
      "periodEnd",
      "scopeId",
      "note",
      "sourceId",
      "quote",
    ],
  }),
  rankingEntries: bulkTable("RankingEntry", {
    key: "key",
    hasId: false,
    columns: ["rankingId", "entityId", "rank", "value", "unit", ...provenance],
  }),
  policyFigures: bulkTable("PolicyFigure", {
    key: "key",
    hasId: false,
    columns: [
      "policyId",
      "label",
      "kind",
      "value",
      "valueMax",
      "qualifier",
      "unit",
      "dueBy",
      "dueByPrecision",
      ...provenance,
    ],
  }),
};

/** A stable text form for change detection: object keys sorted (jsonb reorders them). */
function comparable(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** A partial date field as its two columns; undefined (left out) stays undefined for both. */
function dateColumns(text: string | null | undefined, date: string, precision: string): Values {
  if (text === undefined) return {};
  const parsed = text === null ? null : parsePartialDate(text);
  return { [date]: parsed ? parsed.date.toISOString().slice(0, 10) : null, [precision]: parsed?.precision ?? null };
}

/** A location as its four columns; undefined (left out) keeps the stored one, null clears it. */
function locationColumns(location: Bundle["entities"][number]["location"], sourceId: (key: string) => number): Values {
  if (location === undefined) return {};
  return {
    latitude: location?.lat ?? null,
    longitude: location?.lon ?? null,
    locationSourceId: location ? sourceId(location.source) : null,
    locationQuote: location?.quote ?? null,
  };
}

function periodColumns(text: string): Values {
  const period = parsePeriod(text);
  if (!period) throw new Error(`Not a period: "${text}"`);
  return {
    period: text,
    periodStart: period.start.toISOString().slice(0, 10),
    periodEnd: period.end.toISOString().slice(0, 10),
  };
}

function* batchesOf<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
}

class Writer {
  readonly stats = Object.fromEntries(
    writeTables.map((table) => [table, { created: 0, updated: 0, unchanged: 0 }]),
  ) as WriteStats;
  private readonly ids = {
    sources: new Map<string, number>(),
    entities: new Map<string, number>(),
    indicators: new Map<string, number>(),
    rankings: new Map<string, number>(),
  };

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly options: WriteOptions,
  ) {}

  private progress(table: WriteTable, done: number, total: number): void {
    this.options.onProgress?.({ table, done, total });
  }

  /** Creates, updates or leaves each wanted row; records the id of every key for later references. */
  private async sync(table: keyof typeof specs, wanted: Wanted[], ids?: Map<string, number>): Promise<void> {
    this.options.onStep?.(table);
    const spec: TableSpec = specs[table];
    this.progress(table, 0, wanted.length);
    // A table empty before this write holds none of the keys: validation let no key through twice.
    const firstLoad = wasEmpty(this.tx, spec.table);
    await withDeferredIndexes(this.tx, spec.table, wanted.length, () =>
      this.syncBatches(table, spec, wanted, firstLoad, ids),
    );
  }

  private async syncBatches(
    table: keyof typeof specs,
    spec: TableSpec,
    wanted: Wanted[],
    firstLoad: boolean,
    ids?: Map<string, number>,
  ): Promise<void> {
    const stats = this.stats[table];
    if (firstLoad && !spec.hasId && !spec.touchesUpdatedAt) {
      // Every row is new and none has an id to hand back: one COPY, its batches made as it goes.
      let done = 0;
      await copyRows(this.tx, spec, batchesOf(wanted), (rows) => {
        done += rows;
        stats.created += rows;
        this.progress(table, done, wanted.length);
      });
      return;
    }
    for (let i = 0; i < wanted.length; i += batchSize) {
      const chunk = wanted.slice(i, i + batchSize);
      const stored = firstLoad
        ? new Map<Key, StoredRow>()
        : await selectByKeys(
            this.tx,
            spec,
            chunk.map((row) => row.key),
          );
      const creates: Wanted[] = [];
      const updates: Wanted[] = [];
      for (const row of chunk) {
        const current = stored.get(row.key);
        if (!current) {
          creates.push(row);
          continue;
        }
        if (ids && current.id !== null) ids.set(String(row.key), current.id);
        const changed = spec.columns.some(
          ({ name }) =>
            row.values[name] !== undefined && comparable(current.values[name]) !== comparable(row.values[name]),
        );
        if (!changed) {
          stats.unchanged++;
          continue;
        }
        // A field the row leaves out keeps its stored value.
        const merged: Values = {};
        for (const { name } of spec.columns)
          merged[name] = row.values[name] !== undefined ? row.values[name] : (current.values[name] as Value);
        updates.push({ key: row.key, values: merged });
      }
      const created = await insertRows(this.tx, spec, creates);
      if (ids) for (const [key, id] of created) ids.set(String(key), id);
      await updateRows(this.tx, spec, updates);
      stats.created += creates.length;
      stats.updated += updates.length;
      this.progress(table, Math.min(i + batchSize, wanted.length), wanted.length);
    }
  }

  /** Ids for keys the bundle refers to but does not carry; a key found nowhere is a bug upstream. */
  private async need(kind: keyof Writer["ids"], table: string, keys: Iterable<string>): Promise<void> {
    const map = this.ids[kind];
    const missing = [...new Set(keys)].filter((key) => !map.has(key));
    if (!missing.length) return;
    for (const [key, id] of await idsByKey(this.tx, table, missing)) map.set(key, id);
    const unknown = missing.find((key) => !map.has(key));
    if (unknown !== undefined) throw new Error(`Cannot write the bundle: unknown ${table} "${unknown}".`);
  }

  private id(kind: keyof Writer["ids"], key: string): number {
    return this.ids[kind].get(key)!;
  }

  async write(bundle: Bundle): Promise<WriteStats> {
    const { tx } = this;
    // Before any row goes in: which tables this write loads first (src/writes/bulk-load.ts).
    await noteEmptyTables(tx, [...Object.values(specs).map((spec) => spec.table), "Alias", "Mention"]);
    await this.sync(
      "relationTypes",
      bundle.relationTypes.map(({ key, ...row }) => ({ key, values: row })),
    );
    await this.sync(
      "sources",
      bundle.sources.map(({ key, publishedOn, ...row }) => ({
        key,
        values: { ...row, ...dateColumns(publishedOn, "publishedOn", "publishedPrecision") },
      })),
      this.ids.sources,
    );
    await this.need(
      "sources",
      "Source",
      bundle.entities.flatMap((e) => (e.location ? [e.location.source] : [])),
    );
    await this.sync(
      "entities",
      bundle.entities.map((e) => ({
        key: e.key,
        values: {
          kind: e.kind,
          // Matched by this name: it found the entity and is not written over the stored name.
          name: e.matchedByName ? undefined : e.name,
          nameZh: e.nameZh,
          description: e.description,
          adminLevel: e.adminLevel,
          divisionType: e.divisionType,
          divisionCode: e.divisionCode,
          properties: e.properties,
          ...locationColumns(e.location, (key) => this.id("sources", key)),
        },
      })),
      this.ids.entities,
    );
    await this.aliases(bundle);
    await this.need(
      "entities",
      "Entity",
      bundle.entities.map((e) => e.key),
    );
    await this.sync(
      "policies",
      bundle.entities.flatMap((e) =>
        e.policy
          ? [
              {
                key: this.id("entities", e.key),
                values: {
                  policyType: e.policy.policyType,
                  officialTitle: e.policy.officialTitle,
                  ...dateColumns(e.policy.startsOn, "startsOn", "startsPrecision"),
                  ...dateColumns(e.policy.endsOn, "endsOn", "endsPrecision"),
                },
              },
            ]
          : [],
      ),
    );
    await this.sync(
      "indicators",
      bundle.indicators.map(({ key, ...row }) => ({ key, values: row })),
      this.ids.indicators,
    );

    const entries = [
      ...bundle.rankings.flatMap((ranking) =>
        ranking.entries.map((entry) => ({ ...entry, ranking: ranking.key, source: ranking.source, key: undefined })),
      ),
      ...(bundle.rankingEntries ?? []),
    ];
    await this.need("entities", "Entity", [
      ...bundle.relationships.flatMap((r) => [r.from, r.to]),
      ...bundle.observations.map((o) => o.entity),
      ...bundle.rankings.flatMap((r) => (r.scope ? [r.scope] : [])),
      ...entries.map((e) => e.entity),
      ...bundle.policyFigures.map((f) => f.policy),
    ]);
    await this.need("sources", "Source", [
      ...bundle.relationships.map((r) => r.source),
      ...bundle.observations.map((o) => o.source),
      ...bundle.rankings.map((r) => r.source),
      ...entries.flatMap((e) => (e.source ? [e.source] : [])),
      ...bundle.policyFigures.map((f) => f.source),
      ...bundle.entities.flatMap((e) => e.mentions.map((m) => m.source)),
    ]);
    await this.need("indicators", "Indicator", [
      ...bundle.observations.map((o) => o.indicator),
      ...bundle.rankings.flatMap((r) => (r.indicator ? [r.indicator] : [])),
    ]);
    const provenance = (row: { source: string; quote: string; certainty: string; note?: string | null }) => ({
      sourceId: this.id("sources", row.source),
      quote: row.quote,
      certainty: row.certainty,
      note: row.note,
    });

    await this.sync(
      "relationships",
      bundle.relationships.map((r) => ({
        key: r.key ?? derivedKeys.relationship(r),
        values: {
          typeKey: r.type,
          fromId: this.id("entities", r.from),
          toId: this.id("entities", r.to),
          ...dateColumns(r.validFrom, "validFrom", "validFromPrecision"),
          // A date cleared takes its bound with it: no bound is left qualifying nothing.
          ...(r.validFromBound !== undefined || r.validFrom === null
            ? { validFromBound: r.validFromBound ?? "EXACT" }
            : {}),
          ...dateColumns(r.validTo, "validTo", "validToPrecision"),
          properties: r.properties,
          ...provenance(r),
        },
      })),
    );
    await this.sync(
      "observations",
      bundle.observations.map((o) => ({
        key: o.key ?? derivedKeys.observation(o),
        values: {
          entityId: this.id("entities", o.entity),
          indicatorId: this.id("indicators", o.indicator),
          ...periodColumns(o.period),
          // The period is always restated, so its bound is too: a row without one is EXACT.
          periodBound: o.periodBound ?? "EXACT",
          value: o.value,
          valueMax: o.valueMax,
          qualifier: o.qualifier,
          unit: o.unit,
          ...provenance(o),
        },
      })),
    );
    await this.sync(
      "rankings",
      bundle.rankings.map((r) => ({
        key: r.key,
        values: {
          name: r.name,
          topic: r.topic,
          indicatorId:
            r.indicator === undefined ? undefined : r.indicator === null ? null : this.id("indicators", r.indicator),
          ...periodColumns(r.period),
          scopeId: r.scope === undefined ? undefined : r.scope === null ? null : this.id("entities", r.scope),
          note: r.note,
          sourceId: this.id("sources", r.source),
          quote: r.quote,
        },
      })),
      this.ids.rankings,
    );
    await this.need(
      "rankings",
      "Ranking",
      entries.map((e) => e.ranking),
    );
    // An entry without a source of its own cites its ranking's.
    const rankingSources = new Map(bundle.rankings.map((r) => [r.key, this.id("sources", r.source)]));
    const unsourced = entries
      .filter((e) => !e.source && !rankingSources.has(e.ranking))
      .map((e) => this.id("rankings", e.ranking));
    if (unsourced.length) {
      const rows = await tx.ranking.findMany({
        where: { id: { in: [...new Set(unsourced)] } },
        select: { key: true, sourceId: true },
      });
      for (const row of rows) rankingSources.set(row.key, row.sourceId);
    }
    await this.sync(
      "rankingEntries",
      entries.map((e) => ({
        key: e.key ?? derivedKeys.rankingEntry(e),
        values: {
          rankingId: this.id("rankings", e.ranking),
          entityId: this.id("entities", e.entity),
          rank: e.rank,
          value: e.value,
          unit: e.unit,
          note: e.note,
          sourceId: e.source ? this.id("sources", e.source) : rankingSources.get(e.ranking)!,
          quote: e.quote,
          certainty: e.certainty,
        },
      })),
    );
    await this.sync(
      "policyFigures",
      bundle.policyFigures.map((f) => ({
        key: f.key ?? derivedKeys.policyFigure(f),
        values: {
          policyId: this.id("entities", f.policy),
          label: f.label,
          kind: f.kind,
          value: f.value,
          valueMax: f.valueMax,
          qualifier: f.qualifier,
          unit: f.unit,
          ...dateColumns(f.dueBy, "dueBy", "dueByPrecision"),
          ...provenance(f),
        },
      })),
    );
    await this.mentions(bundle);
    return this.stats;
  }

  /** Names are only added: a name an entity answers to already (any case) is left as it is. */
  private async aliases(bundle: Bundle): Promise<void> {
    this.options.onStep?.("aliases");
    await this.need(
      "entities",
      "Entity",
      (bundle.aliases ?? []).map((a) => a.entity),
    );
    const wanted = new Map<
      string,
      { entityId: number; name: string; normalized: string; lang: string; primary: boolean }
    >();
    const want = (entityKey: string, name: string, lang: string, primary: boolean) => {
      const entityId = this.id("entities", entityKey);
      const normalized = normalizeName(name);
      const id = `${entityId}|${normalized}`;
      if (normalized && !wanted.has(id)) wanted.set(id, { entityId, name, normalized, lang, primary });
    };
    for (const entity of bundle.entities) {
      if (!entity.matchedByName) want(entity.key, entity.name, "en", true);
      if (entity.nameZh) want(entity.key, entity.nameZh, "zh", true);
      for (const alias of entity.aliases) want(entity.key, alias.name, alias.lang, false);
    }
    for (const alias of bundle.aliases ?? []) want(alias.entity, alias.name, alias.lang, alias.primary);
    await this.addOnly(
      "aliases",
      [...wanted.values()],
      (rows) => rows.map((a) => `${a.entityId}|${a.normalized}`),
      async (entityIds) => {
        const stored = await this.tx.$queryRaw<{ entityId: number; normalized: string }[]>`
        SELECT "entityId", normalized FROM "Alias" WHERE "entityId" = ANY(${entityIds}::int[])`;
        return stored.map((a) => `${a.entityId}|${a.normalized}`);
      },
      async (rows) => {
        await this.tx.$executeRaw`
        INSERT INTO "Alias" ("entityId", "name", "normalized", "compact", "lang", "primary")
        SELECT e, n, nn, c, l, p::boolean
        FROM unnest(${rows.map((a) => a.entityId)}::int[], ${rows.map((a) => a.name)}::text[], ${rows.map((a) => a.normalized)}::text[],
          ${rows.map((a) => compactName(a.name))}::text[], ${rows.map((a) => a.lang)}::text[], ${rows.map((a) => String(a.primary))}::text[])
          AS u(e, n, nn, c, l, p)
        ON CONFLICT ("entityId", "normalized") DO NOTHING`;
      },
    );
  }

  private async mentions(bundle: Bundle): Promise<void> {
    this.options.onStep?.("mentions");
    const wanted = new Map<string, { entityId: number; sourceId: number; quote: string }>();
    for (const entity of bundle.entities) {
      for (const mention of entity.mentions) {
        const row = {
          entityId: this.id("entities", entity.key),
          sourceId: this.id("sources", mention.source),
          quote: mention.quote,
        };
        wanted.set(`${row.entityId}|${row.sourceId}|${row.quote}`, row);
      }
    }
    await this.addOnly(
      "mentions",
      [...wanted.values()],
      (rows) => rows.map((m) => `${m.entityId}|${m.sourceId}|${m.quote}`),
      async (entityIds) => {
        const stored = await this.tx.$queryRaw<{ entityId: number; sourceId: number; quote: string }[]>`
        SELECT "entityId", "sourceId", quote FROM "Mention" WHERE "entityId" = ANY(${entityIds}::int[])`;
        return stored.map((m) => `${m.entityId}|${m.sourceId}|${m.quote}`);
      },
      async (rows) => {
        await this.tx.$executeRaw`
        INSERT INTO "Mention" ("entityId", "sourceId", "quote")
        SELECT * FROM unnest(${rows.map((m) => m.entityId)}::int[], ${rows.map((m) => m.sourceId)}::int[], ${rows.map((m) => m.quote)}::text[])
        ON CONFLICT ("entityId", "sourceId", "quote") DO NOTHING`;
      },
    );
  }

  /** Rows owned by an entity that are created when missing and otherwise left alone. */
  private async addOnly<Row extends { entityId: number }>(
    table: "aliases" | "mentions",
    wanted: Row[],
    idsOf: (rows: Row[]) => string[],
    storedIds: (entityIds: number[]) => Promise<string[]>,
    insert: (rows: Row[]) => Promise<void>,
  ): Promise<void> {
    const stats = this.stats[table];
    this.progress(table, 0, wanted.length);
    const name = table === "aliases" ? "Alias" : "Mention";
    // Rows are deduplicated above, so a table empty before this write holds none of them.
    const firstLoad = wasEmpty(this.tx, name);
    // Batches by entity, so each batch's stored rows come in one query.
    const entityIds = [...new Set(wanted.map((row) => row.entityId))];
    const byEntity = new Map<number, Row[]>();
    for (const row of wanted) {
      const list = byEntity.get(row.entityId);
      if (list) list.push(row);
      else byEntity.set(row.entityId, [row]);
    }
    let done = 0;
    await withDeferredIndexes(this.tx, name, wanted.length, async () => {
      for (let i = 0; i < entityIds.length; i += batchSize) {
        const batchIds = entityIds.slice(i, i + batchSize);
        const rows = batchIds.flatMap((id) => byEntity.get(id)!);
        const stored = new Set(firstLoad ? [] : await storedIds(batchIds));
        const ids = idsOf(rows);
        const fresh = rows.filter((_row, k) => !stored.has(ids[k]!));
        if (fresh.length) await insert(fresh);
        stats.created += fresh.length;
        stats.unchanged += rows.length - fresh.length;
        done += rows.length;
        this.progress(table, done, wanted.length);
      }
    });
  }
}

export async function writeBundle(
  tx: Prisma.TransactionClient,
  bundle: Bundle,
  options: WriteOptions = {},
): Promise<WriteStats> {
  return new Writer(tx, options).write(bundle);
}
