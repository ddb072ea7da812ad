// Large synthetic graphs for benchmarks and load tests. The graph is planned deterministically
// (plan.ts and series.ts), then written by the bulk writer (src/writes/bulk-rows.ts): one
// `INSERT ... SELECT FROM unnest(arrays)` per batch of rows, the same SQL on PGlite and PostgreSQL. One
// REFERENCE source per seed carries every generated fact's provenance and the parameters, so a run
// can tell that the graph it was asked for is already there.
//
// Resumable: each batch commits on its own (a graph of 20 million rows takes many minutes, and one
// transaction would lose them all to an interruption). Tables are written one after the other and each in
// the plan's order, so what a table holds is always a prefix of its rows; a run that finds the source
// still marked incomplete counts each table's rows and continues after them. The source's summary
// becomes the parameters only once the last row is in, so a half-written graph is never taken for a
// finished one. Two runs on the same seed at once cannot duplicate rows: the second fails on the unique keys.
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { join } from "node:path";
import { GenerateOptionsError, GeneratedGraphConflictError } from "../../errors.js";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { compactName, normalizeName } from "../../names.js";
import { entityRow, keyPrefixFor, planGraph, relationTypesUsed, relationshipRow } from "./plan.js";
import type { GraphPlan, GraphSizes } from "./shape.js";
import {
  generatedIndicators,
  indicatorSpecs,
  observationCapacity,
  observationRows,
  type ObservationRow,
} from "./series.js";
import { seedDir } from "../seed.js";
import { rowSchemas } from "../bundle/schema.js";
import { idsByKey, insertRows, type TableSpec, type Value } from "../../writes/bulk-rows.js";
import { bulkTable, checkRow, sourceRow } from "../../writes/rows.js";
import { connectedTransaction } from "../../db/transaction.js";

export type { GraphSizes } from "./shape.js";

/** Bumped whenever the generator's output changes, so an older graph is not taken for the new one. */
export const generatorVersion = 1;

export const generateLimits = {
  entities: 1_000_000,
  relationships: 10_000_000,
  observations: 10_000_000,
  seed: 2_147_483_647,
  /** Relationships per entity, at most (an average degree of 100). */
  relationshipsPerEntity: 50,
} as const;

export interface GenerateOptions extends GraphSizes {
  /** Delete a graph generated earlier with the same seed but other parameters, then generate. */
  replace?: boolean;
  /** Rows per INSERT statement. */
  batchSize?: number;
}

export type GenerateTable = "entities" | "aliases" | "policies" | "relationships" | "observations";

export interface GenerateProgressEvent {
  table: GenerateTable;
  done: number;
  total: number;
}

export interface TableResult {
  table: GenerateTable;
  rows: number;
  seconds: number;
}

export interface GenerateResult {
  /**
   * `reused`: the same graph was already there and nothing was written; `resumed`: an interrupted run's
   * rows were kept and the rest written (`tables` then counts only the rows this run wrote).
   */
  status: "created" | "replaced" | "resumed" | "reused";
  sourceKey: string;
  tables: TableResult[];
  seconds: number;
}

const fmt = (n: number) => n.toLocaleString("en-US");

export function checkGenerateOptions(options: GraphSizes & { batchSize?: number }): string[] {
  const problems: string[] = [];
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`--${name} must be a whole number from ${fmt(min)} to ${fmt(max)}, got ${value}.`);
      return false;
    }
    return true;
  };
  const entitiesOk = whole("entities", options.entities, 1, generateLimits.entities);
  const relationshipsOk = whole("relationships", options.relationships, 0, generateLimits.relationships);
  const observationsOk = whole("observations", options.observations, 0, generateLimits.observations);
  whole("seed", options.seed, 0, generateLimits.seed);
  if (options.batchSize !== undefined) whole("batch-size", options.batchSize, 100, 100_000);
  if (entitiesOk && relationshipsOk && options.relationships > 0) {
    if (options.entities < 2) problems.push("--relationships needs at least 2 entities (--entities 2 or more).");
    else if (options.relationships > options.entities * generateLimits.relationshipsPerEntity) {
      problems.push(
        `--relationships may be at most ${generateLimits.relationshipsPerEntity} x --entities ` +
          `(${fmt(options.entities * generateLimits.relationshipsPerEntity)} for ${fmt(options.entities)} entities), got ${fmt(options.relationships)}.`,
      );
    }
  }
  if (entitiesOk && observationsOk && options.observations > observationCapacity(options.entities)) {
    problems.push(
      `--observations may be at most ${fmt(observationCapacity(options.entities))} for ${fmt(options.entities)} entities ` +
        `(every indicator, every period, for every place and company), got ${fmt(options.observations)}.`,
    );
  }
  return problems;
}

export const generatedSourceKey = (seed: number) => `generated-s${seed}`;

/** The parameters as stored on the source row; equal text means the same graph. */
function fingerprint(sizes: GraphSizes): string {
  return `generator=${generatorVersion} entities=${sizes.entities} relationships=${sizes.relationships} observations=${sizes.observations} seed=${sizes.seed}`;
}

/** The summary while rows are still being written: not the fingerprint, so the graph is not reused half-written. */
const incomplete = (summary: string) => `${summary} incomplete`;

function sourceData(sizes: GraphSizes) {
  return checkRow(sourceRow, {
    key: generatedSourceKey(sizes.seed),
    kind: "REFERENCE",
    title: `Synthetic graph (seed ${sizes.seed}): ${fmt(sizes.entities)} entities, ${fmt(sizes.relationships)} relationships, ${fmt(sizes.observations)} observations`,
    publishedOn: null,
    publisher: "npm run graph -- generate",
    url: null,
    file: null,
    summary: fingerprint(sizes),
    body:
      "Synthetic data, not facts: made by the graph generator (src/data/generate/) for benchmarks and load tests. " +
      "Provinces, cities, districts, companies, brands, government bodies and policies with made-up pinyin-like names " +
      "and keys starting with " +
      keyPrefixFor(sizes.seed) +
      ". " +
      "Each city lies in a province, each district in a city, each company is headquartered in a city, each brand belongs " +
      "to a company, each body governs a place and each policy is issued by a body; the other relationships (policies " +
      "applying to places, places and bodies participating in policies, companies based in places, brands co-developed " +
      "with companies, twin cities, ...) join endpoints drawn by power law, so a few hubs have very many edges and most " +
      "entities few. Relationship dates and observation values (GDP, GDP growth, population, quarterly retail sales " +
      "growth, company revenue) are random but reproducible: the same seed and sizes give the same rows.",
  });
}

export async function generateGraph(
  prisma: PrismaClient,
  options: GenerateOptions,
  onProgress?: (event: GenerateProgressEvent) => void,
): Promise<GenerateResult> {
  const problems = checkGenerateOptions(options);
  if (problems.length) throw new GenerateOptionsError(problems);
  const sizes: GraphSizes = {
    entities: options.entities,
    relationships: options.relationships,
    observations: options.observations,
    seed: options.seed,
  };
  const started = performance.now();
  const source = sourceData(sizes);
  const finished = source.summary!;
  const existing = await prisma.source.findUnique({ where: { key: source.key }, select: { id: true, summary: true } });
  if (existing?.summary === finished) return { status: "reused", sourceKey: source.key, tables: [], seconds: 0 };
  const resuming = existing?.summary === incomplete(finished);
  if (existing && !resuming && !options.replace) {
    throw new GeneratedGraphConflictError(
      `The database already holds a generated graph with seed ${sizes.seed} and other parameters (${existing.summary ?? "unknown"}). ` +
        `Use --replace to delete it and generate this one, or pick another --seed.`,
    );
  }
  const plan = planGraph(sizes);
  const [relationTypes, indicators] = await Promise.all([
    readSeedRows("relationTypes", "relation-types.json"),
    readSeedRows("indicators", "indicators.json"),
  ]);
  const sourceId = resuming
    ? existing.id
    : await prisma.$transaction(
        async (tx) => {
          if (existing) await deleteGenerated(tx, existing.id, sizes.seed);
          const { id } = await tx.source.create({
            data: { ...source, summary: incomplete(finished) },
            select: { id: true },
          });
          await ensureRelationTypes(tx, relationTypes);
          return id;
        },
        { timeout: 3600_000, maxWait: 60_000 },
      );
  // Outside the transaction above, so that a resumed run finds the ids the same way a fresh one does.
  const indicatorIds = await prisma.$transaction((tx) => ensureIndicators(tx, indicators));
  const writer = new Writer(prisma, plan, sourceId, options.batchSize ?? 10_000, onProgress);
  const tables = await writer.writeAll(indicatorIds, resuming);
  await prisma.source.update({ where: { id: sourceId }, data: { summary: finished }, select: { id: true } });
  return {
    status: resuming ? "resumed" : existing ? "replaced" : "created",
    sourceKey: source.key,
    tables,
    seconds: (performance.now() - started) / 1000,
  };
}

async function deleteGenerated(tx: Prisma.TransactionClient, sourceId: number, seed: number): Promise<void> {
  await tx.$executeRaw`DELETE FROM "Relationship" WHERE "sourceId" = ${sourceId}`;
  await tx.$executeRaw`DELETE FROM "Observation" WHERE "sourceId" = ${sourceId}`;
  // Aliases, policy details and anything else hanging off the entities go with them (ON DELETE CASCADE).
  await tx.$executeRaw`DELETE FROM "Entity" WHERE key LIKE ${`${keyPrefixFor(seed)}%`}`;
  await tx.$executeRaw`DELETE FROM "Source" WHERE id = ${sourceId}`;
}

/** A table of the seed, each row checked as the seed's own rows are (src/data/bundle/schema.ts). */
async function readSeedRows<T extends "relationTypes" | "indicators">(table: T, file: string) {
  const rows: unknown = JSON.parse(await readFile(join(seedDir, file), "utf8"));
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array`);
  return rows.map((row) => rowSchemas[table].parse(row) as z.output<(typeof rowSchemas)[T]>);
}

type RelationTypeRow = Awaited<ReturnType<typeof readSeedRows<"relationTypes">>>[number];
type IndicatorRow = Awaited<ReturnType<typeof readSeedRows<"indicators">>>[number];

/** The relation types the generator uses, as the seed defines them, in case the database was never seeded. */
async function ensureRelationTypes(tx: Prisma.TransactionClient, seedTypes: RelationTypeRow[]): Promise<void> {
  const wanted = relationTypesUsed.map((key) => {
    const row = seedTypes.find((type) => type.key === key);
    if (!row) throw new Error(`Relation type ${key} is missing from prisma/seed/relation-types.json.`);
    return row;
  });
  await tx.$executeRaw`
    INSERT INTO "RelationType" ("key", "label", "inverseLabel", "description", "symmetric")
    SELECT * FROM unnest(${wanted.map((r) => r.key)}::text[], ${wanted.map((r) => r.label)}::text[],
      ${wanted.map((r) => r.inverseLabel)}::text[], ${wanted.map((r) => r.description)}::text[],
      ${wanted.map((r) => r.symmetric)}::boolean[])
    ON CONFLICT ("key") DO NOTHING`;
}

interface IndicatorRef {
  id: number;
  unit: string;
}

/** gdp and gdp-growth as the seed defines them, plus the generator's own gen-* indicators; never changes existing ones. */
async function ensureIndicators(
  tx: Prisma.TransactionClient,
  seedIndicators: IndicatorRow[],
): Promise<Map<string, IndicatorRef>> {
  const rows = indicatorSpecs.map(({ key }) => {
    const row =
      seedIndicators.find((i) => i.key === key) ??
      generatedIndicators.map((i) => rowSchemas.indicators.parse(i)).find((i) => i.key === key);
    if (!row) throw new Error(`Indicator ${key} is missing from prisma/seed/indicators.json.`);
    return { ...row, nameZh: row.nameZh ?? null, description: row.description ?? null };
  });
  await tx.$executeRaw`
    INSERT INTO "Indicator" ("key", "name", "nameZh", "unit", "description")
    SELECT * FROM unnest(${rows.map((r) => r.key)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.nameZh)}::text[],
      ${rows.map((r) => r.unit)}::text[], ${rows.map((r) => r.description)}::text[])
    ON CONFLICT ("key") DO NOTHING`;
  const found = await tx.indicator.findMany({
    where: { key: { in: rows.map((r) => r.key) } },
    select: { id: true, key: true, unit: true },
  });
  return new Map(found.map((i) => [i.key, { id: i.id, unit: i.unit }]));
}

/**
 * The tables the generator fills, for the bulk writer (src/writes/bulk-rows.ts), their columns typed by
 * src/writes/rows.ts. Every generated fact has the same provenance (the generated source, a note
 * saying so, INFERRED), sent once per statement.
 *
 * The rows are not checked against the row schemas one by one: the generator writes up to millions of
 * rows, and what it writes is fixed by its code, not by its input. tests/writes/rows.test.ts reads a
 * sample of a generated graph back as its record kinds read it and checks every row with the schemas.
 */
function generatedTables(note: string, sourceId: number) {
  const provenance: ["note" | "sourceId" | "quote" | "certainty", Value][] = [
    ["note", note],
    ["sourceId", sourceId],
    ["quote", ""],
    ["certainty", "INFERRED"],
  ];
  return {
    entities: bulkTable("Entity", {
      key: "key",
      hasId: true,
      touchesUpdatedAt: true,
      columns: ["kind", "name", "adminLevel", "divisionType"],
    }),
    aliases: bulkTable("Alias", {
      key: "entityId",
      hasId: false,
      columns: ["name", "normalized", "compact", ["lang", "en"], ["primary", true]],
    }),
    policies: bulkTable("PolicyDetail", {
      key: "entityId",
      hasId: false,
      columns: ["policyType", "startsOn", ["startsPrecision", "YEAR"]],
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
        "validTo",
        "validToPrecision",
        "properties",
        ...provenance,
      ],
    }),
    observations: bulkTable("Observation", {
      key: "key",
      hasId: false,
      columns: ["entityId", "indicatorId", "period", "periodStart", "periodEnd", "value", "unit", ...provenance],
    }),
  } satisfies Record<GenerateTable, TableSpec>;
}

/**
 * Writes the plan table by table, in batches that commit one by one, timing each table. On a resumed run
 * each table first counts the rows it already holds (a prefix of the plan's, see the top of the file) and
 * skips them.
 */
class Writer {
  private readonly ids: Int32Array;
  private readonly specs: ReturnType<typeof generatedTables>;
  /** Set when a table fails, so that the tables written beside it stop too. */
  private stopped = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly plan: GraphPlan,
    private readonly sourceId: number,
    private readonly batchSize: number,
    private readonly onProgress?: (event: GenerateProgressEvent) => void,
  ) {
    this.ids = new Int32Array(plan.sizes.entities);
    this.specs = generatedTables(
      `Synthetic: made by the graph generator with seed ${plan.sizes.seed}; not a real fact.`,
      sourceId,
    );
  }

  async writeAll(indicators: Map<string, IndicatorRef>, resuming: boolean): Promise<TableResult[]> {
    const { sizes, counts } = this.plan;
    const policies = counts[counts.length - 1]!;
    const policyStart = this.plan.kindStart[counts.length - 1]!;
    const stored = resuming ? await this.storedRows() : null;
    const skip = (table: GenerateTable) => stored?.[table] ?? 0;
    // Entities written by the interrupted run: their ids, read back by key, for the rows that point to them.
    if (skip("entities")) await this.readIds(skip("entities"));
    const entities = await this.table(
      "entities",
      sizes.entities,
      skip("entities"),
      this.range(0, sizes.entities),
      (tx, batch) => this.entities(tx, batch),
    );
    // The other tables only need the entities' ids: they are written side by side, each on its own
    // connection, so that one table's rows are drawn while another's are inserted (both ends of the
    // wire work at once). Each table still commits its batches in order, so it stays a prefix.
    // When one fails (or its progress callback throws: an interruption), the others stop at their next
    // batch, and the error is thrown once none is still writing.
    const settled = await Promise.allSettled([
      (async () => [
        await this.table("aliases", sizes.entities, skip("aliases"), this.range(0, sizes.entities), (tx, batch) =>
          this.aliases(tx, batch),
        ),
        await this.table(
          "policies",
          policies,
          skip("policies"),
          this.range(policyStart, policyStart + policies),
          (tx, batch) => this.policies(tx, batch),
        ),
      ])(),
      this.table(
        "relationships",
        sizes.relationships,
        skip("relationships"),
        this.range(0, sizes.relationships),
        (tx, batch) => this.relationships(tx, batch),
      ).then((result) => [result]),
      this.table("observations", sizes.observations, skip("observations"), observationRows(this.plan), (tx, batch) =>
        this.observations(tx, batch, indicators),
      ).then((result) => [result]),
    ]);
    const failure = settled.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
    return [entities, ...settled.flatMap((result) => (result.status === "fulfilled" ? result.value : []))];
  }

  /** Rows of this graph already in each table (every one a prefix of the plan's rows). */
  private async storedRows(): Promise<Record<GenerateTable, number>> {
    const like = `${this.plan.keyPrefix}%`;
    const [row] = await this.db.$queryRaw<Record<GenerateTable, number>[]>`
      SELECT (SELECT count(*) FROM "Entity" WHERE key LIKE ${like})::int AS entities,
        (SELECT count(*) FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId" WHERE e.key LIKE ${like})::int AS aliases,
        (SELECT count(*) FROM "PolicyDetail" p JOIN "Entity" e ON e.id = p."entityId" WHERE e.key LIKE ${like})::int AS policies,
        (SELECT count(*) FROM "Relationship" WHERE "sourceId" = ${this.sourceId})::int AS relationships,
        (SELECT count(*) FROM "Observation" WHERE "sourceId" = ${this.sourceId})::int AS observations`;
    return row!;
  }

  private async readIds(entities: number): Promise<void> {
    const keys = Array.from({ length: entities }, (_, i) => entityRow(this.plan, i).key);
    const ids = await idsByKey(this.db, "Entity", keys);
    for (const [i, key] of keys.entries()) this.ids[i] = ids.get(key)!;
  }

  private *range(from: number, to: number): Generator<number> {
    for (let i = from; i < to; i++) yield i;
  }

  /** Writes `rows` after the first `skip` (already stored by an interrupted run). */
  private async table<Row>(
    table: GenerateTable,
    total: number,
    skip: number,
    rows: Iterable<Row>,
    write: (tx: Prisma.TransactionClient, batch: Row[]) => Promise<void>,
  ): Promise<TableResult> {
    const started = performance.now();
    let done = skip;
    let batch: Row[] = [];
    const flush = async () => {
      if (this.stopped) throw new Error(`Stopped writing ${table}: another table failed.`);
      // Each batch commits on its own (a resumed run continues after the last), through the bulk writer's COPY.
      const rows = batch;
      await connectedTransaction(this.db, (tx) => write(tx, rows), { timeout: 600_000, maxWait: 60_000 });
      done += batch.length;
      batch = [];
      this.onProgress?.({ table, done, total });
    };
    let seen = 0;
    try {
      this.onProgress?.({ table, done, total });
      for (const row of rows) {
        // The plan's rows are drawn in order (observations from one stream), so skipped ones are still drawn.
        if (seen++ < skip) continue;
        batch.push(row);
        if (batch.length >= this.batchSize) await flush();
      }
      if (batch.length) await flush();
    } catch (error) {
      this.stopped = true;
      throw error;
    }
    return { table, rows: done - skip, seconds: (performance.now() - started) / 1000 };
  }

  private async entities(tx: Prisma.TransactionClient, indexes: number[]): Promise<void> {
    const rows = indexes.map((i) => entityRow(this.plan, i));
    const ids = await insertRows(
      tx,
      this.specs.entities,
      rows.map(({ key, kind, name, adminLevel, divisionType }) => ({
        key,
        values: { kind, name, adminLevel, divisionType },
      })),
    );
    for (const [n, row] of rows.entries()) this.ids[indexes[n]!] = ids.get(row.key)!;
  }

  private async aliases(tx: Prisma.TransactionClient, indexes: number[]): Promise<void> {
    await insertRows(
      tx,
      this.specs.aliases,
      indexes.map((i) => {
        const { name } = entityRow(this.plan, i);
        return { key: this.ids[i]!, values: { name, normalized: normalizeName(name), compact: compactName(name) } };
      }),
    );
  }

  private async policies(tx: Prisma.TransactionClient, indexes: number[]): Promise<void> {
    await insertRows(
      tx,
      this.specs.policies,
      indexes.map((i) => {
        const row = entityRow(this.plan, i);
        return { key: this.ids[i]!, values: { policyType: row.policyType, startsOn: `${row.startsYear}-01-01` } };
      }),
    );
  }

  private async relationships(tx: Prisma.TransactionClient, indexes: number[]): Promise<void> {
    await insertRows(
      tx,
      this.specs.relationships,
      indexes.map((i) => {
        const r = relationshipRow(this.plan, i);
        return {
          key: r.key,
          values: {
            typeKey: r.type,
            fromId: this.ids[r.from]!,
            toId: this.ids[r.to]!,
            validFrom: r.validFrom,
            validFromPrecision: r.validFromPrecision,
            validTo: r.validTo,
            validToPrecision: r.validToPrecision,
            properties: r.properties === null ? null : (JSON.parse(r.properties) as Value),
          },
        };
      }),
    );
  }

  private async observations(
    tx: Prisma.TransactionClient,
    rows: ObservationRow[],
    indicators: Map<string, IndicatorRef>,
  ): Promise<void> {
    await insertRows(
      tx,
      this.specs.observations,
      rows.map((r) => {
        const indicator = indicators.get(r.indicator)!;
        return {
          key: r.key,
          values: {
            entityId: this.ids[r.entity]!,
            indicatorId: indicator.id,
            period: r.period,
            periodStart: r.periodStart,
            periodEnd: r.periodEnd,
            value: r.value,
            unit: indicator.unit,
          },
        };
      }),
    );
  }
}
