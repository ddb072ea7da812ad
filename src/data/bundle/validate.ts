// Raw records -> a bundle ready to write. Every row is checked with zod, then every reference is
// resolved: to a row of the bundle or to a row already stored (through the lookup). A row whose
// reference points at a rejected row is rejected too, so what survives is self-consistent and
// can be written even when some rows were turned away (--skip-invalid).
//
// Entities are matched by key, or, for a row without one, by kind and name (any name the entity
// answers to, compared as Alias.normalized: any case, width or accents). A keyless row that
// matches nothing becomes a new entity with a key made from its name.
import type { ZodError } from "zod";
import type { EntityKind } from "../../generated/prisma/enums.js";
import { normalizeName } from "../../names.js";
import { derivedKeys } from "../../names.js";
import { quoteProblem } from "../../writes/rules.js";
import { keyCandidates, parseEntityRef } from "./keys.js";
import type { Lookup, StoredName } from "./lookup.js";
import { where, type Location, type Problem } from "./problems.js";
import type { RawRecord } from "./records.js";
import { rowSchemas, type Bundle, type BundleEntity, type RowOf } from "./schema.js";
import { tableNames, type TableName } from "./tables.js";

export interface ValidationResult {
  bundle: Bundle;
  problems: Problem[];
  /** Rows turned away, per table (their own fault or a cascade). */
  rejected: Record<TableName, number>;
  accepted: Record<TableName, number>;
}

interface Row<T extends TableName> {
  table: T;
  row: RowOf<T>;
  at: Location;
  typed: boolean;
  key: string;
  rejected: boolean;
  /** A keyless entity row that found a stored entity by kind and name. */
  matchedByName?: boolean;
}

type Rows = { [T in TableName]: Row<T>[] };

type Resolved = { key: string; kind?: EntityKind } | { reason: string; cascade?: boolean };

const emptyCounts = () => Object.fromEntries(tableNames.map((table) => [table, 0])) as Record<TableName, number>;

function issueReason(issue: ZodError["issues"][number]): { field: string; reason: string } {
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys;
    return {
      field: [field, keys.join(", ")].filter(Boolean).join("."),
      reason: `unknown field${keys.length > 1 ? "s" : ""}`,
    };
  }
  if (issue.code === "invalid_type" && / received undefined$/.test(issue.message))
    return { field, reason: "required, missing" };
  return { field, reason: issue.message };
}

/**
 * The path of the first string holding a NUL (PostgreSQL text cannot store it), or null. The path is
 * built on the way back from a find, so the clean rows (all but a few) allocate nothing.
 */
function nulPath(value: unknown): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? "" : null;
  const within = (name: string, found: string) => (found ? `${name}.${found}` : name);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i]);
      if (found !== null) return within(String(i), found);
    }
  } else if (value && typeof value === "object") {
    for (const name in value) {
      const found = nulPath((value as Record<string, unknown>)[name]);
      if (found !== null) return within(name, found);
    }
  }
  return null;
}

class Validator {
  readonly problems: Problem[] = [];
  readonly rejected = emptyCounts();
  readonly rows: Rows = Object.fromEntries(tableNames.map((table) => [table, []])) as unknown as Rows;
  /** The first row of each key, per keyed table: what a reference to that key finds in the bundle. */
  private readonly byKey = new Map<TableName, Map<string, Row<TableName>>>();
  /** Keys of rows that failed zod: a reference to one of them is rejected too, not resolved elsewhere. */
  private readonly failed = new Map<TableName, Map<string, Location>>();
  private storedEntities = new Map<string, { kind: EntityKind }>();
  private redirects = new Map<string, { target: string; kind: EntityKind }>();
  private storedNames = new Map<string, StoredName[]>();
  private bundleNames = new Map<string, Set<string>>();
  private storedSources = new Map<string, { kind: string; body: string }>();
  private storedIndicators = new Set<string>();
  private storedTypes = new Set<string>();
  private storedRankings = new Map<string, { source: string }>();

  constructor(private readonly lookup: Lookup) {}

  private reject<T extends TableName>(row: Row<T>, field: string, reason: string, cascade = false): void {
    if (!row.rejected) this.rejected[row.table]++;
    row.rejected = true;
    const shownField = row.typed && row.table === "relationships" && field === "type" ? "relationType" : field;
    this.problems.push({
      file: row.at.file,
      line: row.at.line,
      ...(row.at.index !== undefined ? { index: row.at.index } : {}),
      table: row.table,
      ...(row.key ? { key: row.key } : {}),
      field: shownField,
      reason,
      stage: "reference",
      ...(cascade ? { cascade } : {}),
    });
  }

  parse(records: RawRecord[], onProgress?: (done: number, total: number) => void): void {
    for (const [i, record] of records.entries()) {
      if (i % 5000 === 0) onProgress?.(i, records.length);
      const parsed = rowSchemas[record.table].safeParse(record.data);
      const base = {
        file: record.at.file,
        line: record.at.line,
        ...(record.at.index !== undefined ? { index: record.at.index } : {}),
        table: record.table,
      };
      const key = typeof record.data.key === "string" ? { key: record.data.key } : {};
      if (!parsed.success) {
        this.rejected[record.table]++;
        if (typeof record.data.key === "string") this.remember(record.table, record.data.key, record.at);
        for (const issue of parsed.error.issues) {
          const { field, reason } = issueReason(issue);
          const shownField =
            record.typed && record.table === "relationships" && field === "type" ? "relationType" : field;
          this.problems.push({ ...base, ...key, field: shownField, reason, stage: "shape" });
        }
        continue;
      }
      const nul = nulPath(parsed.data);
      if (nul !== null) {
        this.rejected[record.table]++;
        this.problems.push({
          ...base,
          ...key,
          field: nul,
          reason: "contains a NUL character, which PostgreSQL text cannot hold",
          stage: "shape",
        });
        if (typeof record.data.key === "string") this.remember(record.table, record.data.key, record.at);
        continue;
      }
      const row = {
        table: record.table,
        row: parsed.data,
        at: record.at,
        typed: record.typed,
        key: "",
        rejected: false,
      };
      (this.rows[record.table] as Row<TableName>[]).push(row as Row<TableName>);
    }
  }

  private remember(table: TableName, key: string, at: Location): void {
    const keys = this.failed.get(table) ?? new Map<string, Location>();
    if (!keys.has(key)) keys.set(key, at);
    this.failed.set(table, keys);
  }

  private failedAt(table: TableName, key: string): Location | undefined {
    return this.failed.get(table)?.get(key);
  }

  /** Keeps the first row of each key; later ones are rejected as duplicates. */
  private index<T extends TableName>(table: T, keyOf: (row: Row<T>) => string, what = "key"): void {
    const seen = new Map<string, Row<TableName>>();
    this.byKey.set(table, seen);
    for (const row of this.rows[table]) {
      if (row.rejected) continue;
      row.key = keyOf(row);
      const first = seen.get(row.key);
      if (first) this.reject(row, "key", `duplicate ${what} "${row.key}" (first at ${where(first.at)})`);
      else seen.set(row.key, row as Row<TableName>);
    }
  }

  private bundleRow(table: TableName, key: string): Row<TableName> | undefined {
    return this.byKey.get(table)?.get(key);
  }

  private unknown(what: string, key: string): string {
    return `unknown ${what} "${key}"${this.lookup.database ? " (neither in the bundle nor in the database)" : ""}`;
  }

  /** A key of a sources/indicators/relationTypes/rankings row: in the bundle (and not rejected) or stored. */
  private resolveKey(table: TableName, what: string, key: string, stored: (key: string) => boolean): Resolved {
    const row = this.bundleRow(table, key);
    if (row)
      return row.rejected
        ? { reason: `refers to ${what} "${key}", which was rejected (${where(row.at)})`, cascade: true }
        : { key };
    const failed = this.failedAt(table, key);
    if (failed) return { reason: `refers to ${what} "${key}", which was rejected (${where(failed)})`, cascade: true };
    return stored(key) ? { key } : { reason: this.unknown(what, key) };
  }

  private source(key: string): Resolved {
    return this.resolveKey("sources", "source", key, (k) => this.storedSources.has(k));
  }

  private sourceText(key: string): { kind: string; body: string } | undefined {
    const row = this.bundleRow("sources", key) as Row<"sources"> | undefined;
    return row ? row.row : this.storedSources.get(key);
  }

  private entity(ref: string): Resolved {
    const parsed = parseEntityRef(ref)!;
    let key: string;
    if ("key" in parsed) key = parsed.key;
    else {
      const found = this.byName(parsed.kind, parsed.name);
      if (found.length === 0)
        return {
          reason: `no ${parsed.kind} named "${parsed.name}"${this.lookup.database ? " in the bundle or the database" : ""}`,
        };
      if (found.length > 1) return { reason: `"${ref}" names several entities (${found.join(", ")}): use a key` };
      key = found[0]!;
    }
    const row = this.bundleRow("entities", key) as Row<"entities"> | undefined;
    if (row) {
      if (row.rejected)
        return { reason: `refers to entity "${key}", which was rejected (${where(row.at)})`, cascade: true };
      return { key, kind: row.row.kind };
    }
    const failed = this.failedAt("entities", key);
    if (failed) return { reason: `refers to entity "${key}", which was rejected (${where(failed)})`, cascade: true };
    const stored = this.storedEntities.get(key);
    if (stored) return { key, kind: stored.kind };
    const redirect = this.redirects.get(key);
    if (redirect) return { key: redirect.target, kind: redirect.kind };
    return { reason: this.unknown("entity", key) };
  }

  /** Keys of the entities of this kind answering to this name: the bundle's and the database's. */
  private byName(kind: EntityKind, name: string): string[] {
    const normalized = normalizeName(name);
    const keys = new Set(this.bundleNames.get(`${kind}|${normalized}`) ?? []);
    const stored = (this.storedNames.get(normalized) ?? []).filter((n) => n.kind === kind);
    // Two stored entities share a name (Taizhou): the one whose primary name it is wins.
    const primary = stored.filter((n) => n.primary);
    for (const n of primary.length ? primary : stored) keys.add(n.key);
    return [...keys];
  }

  /** Checks a reference and rejects the row when it does not resolve; returns the key it found. */
  private need<T extends TableName>(row: Row<T>, field: string, resolved: Resolved): string | null {
    if ("key" in resolved) return resolved.key;
    this.reject(row, field, resolved.reason, resolved.cascade);
    return null;
  }

  private quoted<T extends TableName>(row: Row<T>, field: string, sourceKey: string, quote: string): void {
    const source = this.sourceText(sourceKey);
    const problem = source ? quoteProblem({ key: sourceKey, ...source }, quote) : null;
    if (problem) this.reject(row, field, problem);
  }

  async resolve(): Promise<void> {
    const { rows, lookup } = this;
    this.index("relationTypes", (r) => r.row.key);
    this.index("sources", (r) => r.row.key);
    this.index("indicators", (r) => r.row.key);
    this.index("rankings", (r) => r.row.key);

    // Everything the database must answer, asked once per table.
    const entityRefs: string[] = [
      ...rows.aliases.map((r) => r.row.entity),
      ...rows.rankings.flatMap((r) => [...(r.row.scope ? [r.row.scope] : []), ...r.row.entries.map((e) => e.entity)]),
      ...rows.rankingEntries.map((r) => r.row.entity),
      ...rows.relationships.flatMap((r) => [r.row.from, r.row.to]),
      ...rows.observations.map((r) => r.row.entity),
      ...rows.policyFigures.map((r) => r.row.policy),
    ];
    const refKeys: string[] = [];
    const refNames: string[] = [];
    for (const ref of entityRefs) {
      const parsed = parseEntityRef(ref)!;
      if ("key" in parsed) refKeys.push(parsed.key);
      else refNames.push(normalizeName(parsed.name));
    }
    const keyless = rows.entities.filter((r) => r.row.key === undefined);
    for (const name of await lookup.names([...refNames, ...keyless.map((r) => normalizeName(r.row.name))])) {
      const list = this.storedNames.get(name.normalized) ?? [];
      list.push(name);
      this.storedNames.set(name.normalized, list);
    }

    await this.assignEntityKeys(keyless);
    const storedEntityKeys = [...refKeys, ...rows.entities.map((r) => r.key)];
    this.storedEntities = await lookup.entities(storedEntityKeys);
    // Entities found by name are stored ones too.
    for (const names of this.storedNames.values())
      for (const { key, kind } of names) this.storedEntities.set(key, { kind });
    this.redirects = await lookup.redirects(storedEntityKeys.filter((key) => !this.storedEntities.has(key)));
    this.index("entities", (r) => r.key, "entity");
    for (const row of rows.entities) {
      const { name, nameZh, aliases, kind } = row.row;
      for (const text of [name, nameZh ?? "", ...aliases.map((a) => a.name)]) {
        const normalized = normalizeName(text);
        if (!normalized) continue;
        const slot = `${kind}|${normalized}`;
        const keys = this.bundleNames.get(slot) ?? new Set<string>();
        keys.add(row.key);
        this.bundleNames.set(slot, keys);
      }
    }

    const sourceKeys = [
      ...rows.entities.flatMap((r) => r.row.mentions.map((m) => m.source)),
      ...rows.entities.flatMap((r) => (r.row.location ? [r.row.location.source] : [])),
      ...rows.rankings.map((r) => r.row.source),
      ...rows.rankingEntries.flatMap((r) => (r.row.source ? [r.row.source] : [])),
      ...rows.relationships.map((r) => r.row.source),
      ...rows.observations.map((r) => r.row.source),
      ...rows.policyFigures.map((r) => r.row.source),
    ].filter((key) => !this.bundleRow("sources", key));
    this.storedRankings = await lookup.rankings(
      rows.rankingEntries.map((r) => r.row.ranking).filter((key) => !this.bundleRow("rankings", key)),
    );
    sourceKeys.push(...[...this.storedRankings.values()].map((r) => r.source));
    this.storedSources = await lookup.sources(sourceKeys);
    this.storedIndicators = await lookup.indicators(
      [
        ...rows.observations.map((r) => r.row.indicator),
        ...rows.rankings.flatMap((r) => (r.row.indicator ? [r.row.indicator] : [])),
      ].filter((key) => !this.bundleRow("indicators", key)),
    );
    this.storedTypes = await lookup.relationTypes(
      rows.relationships.map((r) => r.row.type).filter((key) => !this.bundleRow("relationTypes", key)),
    );

    await this.checkEntities();
    this.checkAliases();
    this.checkRankings();
    this.checkRelationships();
    this.checkObservations();
    this.checkPolicyFigures();
  }

  /** Keys for rows without one: the stored entity of that kind and name, else a new key from the name. */
  private async assignEntityKeys(keyless: Row<"entities">[]): Promise<void> {
    const taken = new Set(this.rows.entities.flatMap((r) => (r.row.key ? [r.row.key] : [])));
    const explicitNames = new Map<string, string>();
    for (const row of this.rows.entities) {
      if (!row.row.key) continue;
      row.key = row.row.key;
      for (const text of [row.row.name, row.row.nameZh ?? "", ...row.row.aliases.map((a) => a.name)]) {
        const normalized = normalizeName(text);
        if (normalized && !explicitNames.has(`${row.row.kind}|${normalized}`))
          explicitNames.set(`${row.row.kind}|${normalized}`, row.row.key);
      }
    }
    const fresh: { row: Row<"entities">; candidates: Generator<string>; candidate: string }[] = [];
    const newByName = new Map<string, string>();
    for (const row of keyless) {
      const { kind, name } = row.row;
      const normalized = normalizeName(name);
      const stored = (this.storedNames.get(normalized) ?? []).filter((n) => n.kind === kind);
      const primary = stored.filter((n) => n.primary);
      const storedKeys = [...new Set((primary.length ? primary : stored).map((n) => n.key))];
      if (storedKeys.length > 1) {
        this.reject(
          row,
          "name",
          `${kind} "${name}" matches several stored entities (${storedKeys.join(", ")}): give a key`,
        );
        continue;
      }
      if (storedKeys.length === 1) {
        row.key = storedKeys[0]!;
        row.matchedByName = true;
        continue;
      }
      // A keyed row of the bundle with this name is the same entity (and so a duplicate); so is a
      // second keyless row of a new entity, which takes the new key once it is chosen.
      const sameInBundle = explicitNames.get(`${kind}|${normalized}`);
      if (sameInBundle) {
        row.key = sameInBundle;
        continue;
      }
      if (newByName.has(`${kind}|${normalized}`)) continue;
      const candidates = keyCandidates(kind, name);
      fresh.push({ row, candidates, candidate: candidates.next().value! });
      newByName.set(`${kind}|${normalized}`, "");
    }
    // New keys must be free in the bundle and in the database (stored or redirected): ask in rounds.
    let open = fresh;
    while (open.length) {
      const asked = open.map((f) => f.candidate);
      const stored = await this.lookup.entities(asked);
      const redirected = await this.lookup.redirects(asked.filter((key) => !stored.has(key)));
      const next: typeof open = [];
      for (const item of open) {
        if (taken.has(item.candidate) || stored.has(item.candidate) || redirected.has(item.candidate)) {
          item.candidate = item.candidates.next().value!;
          next.push(item);
        } else {
          taken.add(item.candidate);
          item.row.key = item.candidate;
          newByName.set(`${item.row.row.kind}|${normalizeName(item.row.row.name)}`, item.candidate);
        }
      }
      open = next;
    }
    // Keyless duplicates of a new entity take its key (and are then reported as duplicates).
    for (const row of keyless) {
      if (row.key || row.rejected) continue;
      row.key = newByName.get(`${row.row.kind}|${normalizeName(row.row.name)}`) ?? "";
    }
  }

  private async checkEntities(): Promise<void> {
    const rows = this.rows.entities;
    const codes = rows.flatMap((r) => (r.row.divisionCode && !r.rejected ? [r.row.divisionCode] : []));
    const holders = await this.lookup.divisionCodes(codes);
    const codeInBundle = new Map<string, Row<"entities">>();
    for (const row of rows) {
      if (row.rejected) continue;
      if (row.row.key) {
        const redirect = this.redirects.get(row.row.key);
        if (redirect && !this.storedEntities.has(row.row.key))
          this.reject(row, "key", `"${row.row.key}" was merged into "${redirect.target}": use that key`);
      }
      const code = row.row.divisionCode;
      if (code) {
        const first = codeInBundle.get(code);
        const holder = holders.get(code);
        if (first && first.key !== row.key)
          this.reject(
            row,
            "divisionCode",
            `division code ${code} is also given to "${first.key}" (${where(first.at)})`,
          );
        else if (holder && holder !== row.key)
          this.reject(row, "divisionCode", `division code ${code} belongs to the stored entity "${holder}"`);
        else codeInBundle.set(code, row);
      }
      row.row.mentions.forEach((mention, i) => {
        if (this.need(row, `mentions.${i}.source`, this.source(mention.source)))
          this.quoted(row, `mentions.${i}.quote`, mention.source, mention.quote);
      });
      const location = row.row.location;
      if (location && this.need(row, "location.source", this.source(location.source)))
        this.quoted(row, "location.quote", location.source, location.quote);
    }
  }

  private checkAliases(): void {
    for (const row of this.rows.aliases) {
      const entity = this.need(row, "entity", this.entity(row.row.entity));
      if (entity) row.row = { ...row.row, entity };
      row.key = `${entity ?? row.row.entity}/${normalizeName(row.row.name)}`;
    }
  }

  private checkRankings(): void {
    const entryKeys = new Map<string, Location>();
    const claim = (row: Row<"rankings"> | Row<"rankingEntries">, field: string, key: string, pair: string): boolean => {
      for (const id of [key, pair]) {
        const first = entryKeys.get(id);
        if (first) {
          this.reject(row, field, `duplicate ranking entry "${id}" (first at ${where(first)})`);
          return false;
        }
      }
      entryKeys.set(key, row.at);
      entryKeys.set(pair, row.at);
      return true;
    };
    for (const row of this.rows.rankings) {
      if (row.rejected) continue;
      const { indicator, scope, source, quote, entries } = row.row;
      if (indicator)
        this.need(
          row,
          "indicator",
          this.resolveKey("indicators", "indicator", indicator, (k) => this.storedIndicators.has(k)),
        );
      const scopeKey = scope ? this.need(row, "scope", this.entity(scope)) : scope;
      const sourceOk = this.need(row, "source", this.source(source));
      if (sourceOk) this.quoted(row, "quote", source, quote);
      const resolvedEntries = entries.map((entry, i) => {
        const entity = this.need(row, `entries.${i}.entity`, this.entity(entry.entity));
        if (sourceOk) this.quoted(row, `entries.${i}.quote`, source, entry.quote);
        if (entity)
          claim(
            row,
            `entries.${i}.entity`,
            derivedKeys.rankingEntry({ ranking: row.key, entity }),
            `${row.key}|${entity}`,
          );
        return { ...entry, entity: entity ?? entry.entity };
      });
      row.row = { ...row.row, scope: scopeKey, entries: resolvedEntries };
    }
    for (const row of this.rows.rankingEntries) {
      const { ranking } = row.row;
      const rankingRow = this.bundleRow("rankings", ranking) as Row<"rankings"> | undefined;
      const rankingOk = this.need(
        row,
        "ranking",
        this.resolveKey("rankings", "ranking", ranking, (k) => this.storedRankings.has(k)),
      );
      const entity = this.need(row, "entity", this.entity(row.row.entity));
      const source = row.row.source ?? rankingRow?.row.source ?? this.storedRankings.get(ranking)?.source;
      row.key = row.row.key ?? (entity ? derivedKeys.rankingEntry({ ranking, entity }) : "");
      if (source && this.need(row, "source", this.source(source))) this.quoted(row, "quote", source, row.row.quote);
      if (rankingOk && entity && !row.rejected)
        claim(row, row.row.key ? "key" : "entity", row.key, `${ranking}|${entity}`);
      row.row = { ...row.row, entity: entity ?? row.row.entity, ...(source ? { source } : {}) };
    }
  }

  /** Rejects a fact whose key another row took first. */
  private unique<T extends TableName>(rows: Row<T>[], explicit: (row: Row<T>) => boolean): void {
    const seen = new Map<string, Row<T>>();
    for (const row of rows) {
      if (row.rejected) continue;
      const first = seen.get(row.key);
      if (first)
        this.reject(
          row,
          explicit(row) ? "key" : "",
          `duplicate of the row at ${where(first.at)} (both are "${row.key}")`,
        );
      else seen.set(row.key, row);
    }
  }

  private checkRelationships(): void {
    for (const row of this.rows.relationships) {
      const r = row.row;
      this.need(
        row,
        "type",
        this.resolveKey("relationTypes", "relation type", r.type, (k) => this.storedTypes.has(k)),
      );
      const from = this.need(row, "from", this.entity(r.from));
      const to = this.need(row, "to", this.entity(r.to));
      if (from && from === to) this.reject(row, "to", "an entity related to itself");
      if (this.need(row, "source", this.source(r.source))) this.quoted(row, "quote", r.source, r.quote);
      row.row = { ...r, from: from ?? r.from, to: to ?? r.to };
      row.key = r.key ?? derivedKeys.relationship(row.row);
    }
    this.unique(this.rows.relationships, (row) => row.row.key !== undefined);
  }

  private checkObservations(): void {
    for (const row of this.rows.observations) {
      const r = row.row;
      const entity = this.need(row, "entity", this.entity(r.entity));
      this.need(
        row,
        "indicator",
        this.resolveKey("indicators", "indicator", r.indicator, (k) => this.storedIndicators.has(k)),
      );
      if (this.need(row, "source", this.source(r.source))) this.quoted(row, "quote", r.source, r.quote);
      row.row = { ...r, entity: entity ?? r.entity };
      row.key = r.key ?? derivedKeys.observation(row.row);
    }
    this.unique(this.rows.observations, (row) => row.row.key !== undefined);
  }

  private checkPolicyFigures(): void {
    for (const row of this.rows.policyFigures) {
      const r = row.row;
      const resolved = this.entity(r.policy);
      const policy = this.need(row, "policy", resolved);
      if (policy && "kind" in resolved && resolved.kind !== "POLICY")
        this.reject(row, "policy", `"${policy}" is a ${resolved.kind}, not a POLICY`);
      if (this.need(row, "source", this.source(r.source))) this.quoted(row, "quote", r.source, r.quote);
      row.row = { ...r, policy: policy ?? r.policy };
      row.key = r.key ?? derivedKeys.policyFigure(row.row);
    }
    this.unique(this.rows.policyFigures, (row) => row.row.key !== undefined);
  }

  result(): ValidationResult {
    const ok = <T extends TableName>(table: T) => this.rows[table].filter((r) => !r.rejected);
    const accepted = emptyCounts();
    for (const table of tableNames) accepted[table] = ok(table).length;
    const entities: BundleEntity[] = ok("entities").map((r) => {
      const { key: _key, ...row } = r.row;
      return { ...row, key: r.key, ...(r.matchedByName ? { matchedByName: true } : {}) };
    });
    return {
      bundle: {
        relationTypes: ok("relationTypes").map((r) => r.row),
        sources: ok("sources").map((r) => r.row),
        indicators: ok("indicators").map((r) => r.row),
        entities,
        aliases: ok("aliases").map((r) => r.row),
        rankings: ok("rankings").map((r) => r.row),
        rankingEntries: ok("rankingEntries").map((r) => r.row),
        relationships: ok("relationships").map((r) => r.row),
        observations: ok("observations").map((r) => r.row),
        policyFigures: ok("policyFigures").map((r) => r.row),
      },
      problems: this.problems,
      rejected: this.rejected,
      accepted,
    };
  }
}

/** Validates raw records against the bundle itself and, through the lookup, the database. */
export async function validateRecords(
  records: RawRecord[],
  lookup: Lookup,
  onProgress?: (done: number, total: number) => void,
): Promise<ValidationResult> {
  const validator = new Validator(lookup);
  validator.parse(records, onProgress);
  onProgress?.(records.length, records.length);
  await validator.resolve();
  return validator.result();
}
