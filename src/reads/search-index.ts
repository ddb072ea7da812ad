// The per-replica search index: every alias in this process's memory, so that search's ways of
// matching (src/reads/search.ts) find their candidates here instead of through pg_trgm's trigram
// indexes, whose common trigrams ("… City") cost more than the whole goal of a search. It proposes
// each way's k best aliases, chosen exactly as the way's SQL would choose them (pg_trgm's measures
// reproduced in trigrams.ts), and scores every matching alias of the entities proposed as the
// statement's SQL would score it. The one search statement then reads those aliases' names, the
// description way, ranks, counts and builds the page. So the page, scores and matched texts are the
// documented ranking's (tests/reads/search-index.test.ts holds the two to one answer).
//
// Never stale: writers of `Alias` (and of an entity's kind) log what they changed in "SearchChange",
// in their own transaction (prisma/migrations/20261207170000_search_change_log). Every search
// statement also counts the log rows its snapshot sees that this index has not applied; when there
// are any, the answer is dropped, the index reads those rows and the aliases they name, and the
// search runs again. Rows are tracked by transaction id: `horizon` is the oldest transaction still
// running when the index last looked (everything older is applied), `applied` the rows of
// transactions from the horizon on already read.
//
// Built on the first search (a server that never searches holds nothing), rebuilt from the database
// when it has missed more than it can apply row by row, or has not looked for an hour.
import { Prisma } from "../generated/prisma/client.js";
import { originOf, type SqlReader, type Table } from "../db/sql-reader.js";
import {
  type CharClasses,
  innerTrigram,
  similarityOf,
  similarityThreshold,
  trigramSequence,
  unknownChars,
  wordSimilarity,
  wordSimilarityThreshold,
} from "./trigrams.js";

/** Aliases changed since the index was built that it keeps beside its arrays; beyond, it is rebuilt. */
const maxExtra = 5_000;
/** An index that has not looked for changes in this long is rebuilt (the log keeps a day). */
const maxIdleMs = 60 * 60 * 1000;

const threshold = Math.fround(similarityThreshold);
const wordThreshold = Math.fround(wordSimilarityThreshold);

export type Way = "same" | "prefix" | "typo" | "words" | "substring";

export interface Proposals {
  /**
   * Per way that proposed anything: how many aliases, how many entities, and whether it left matches
   * out (the statement's proof reads these).
   */
  ways: { way: Way[]; proposals: number[]; entities: number[]; filled: boolean[] };
  /**
   * Every alias of the proposed entities that matches the query, with its score, computed as the
   * search statement's measures would compute it: the statement ranks these instead of running
   * pg_trgm's functions over each proposed entity's aliases.
   */
  scored: { aliasIds: number[]; scores: number[] };
  /** When a way left matches out: entities known to match, up to k, for the count's lower bound (else 0). */
  atLeast: number;
}

/** What a search statement reports of the log, for `SearchIndex.settle`. */
export interface Freshness {
  unseen: number;
  horizon: string;
}

interface AliasRow {
  id: number;
  entityId: number;
  normalized: string;
  compact: string;
  kind: string;
}

/**
 * Posting lists, sorted slots per key, all in one typed array: one array per key (35,000 keys on
 * the 100k graph) cost an ArrayBuffer each. The common keys' lists are also kept as bitmaps over the
 * slots: whether a candidate is in "cit" (12,000 slots) is then one bit, not a binary search or a
 * read of the whole list.
 */
class Postings<K extends number | string> {
  constructor(
    private readonly ids: Map<K, number>,
    private readonly starts: Int32Array,
    private readonly slots: Int32Array,
    /** Per key id, the offset of its bitmap in `bits` (in 32-bit words), or -1. */
    private readonly bitmapAt: Int32Array,
    private readonly bits: Uint32Array,
    /** The length of each bitmap, in 32-bit words. */
    private readonly words: number,
  ) {}
  get(key: K): Int32Array {
    const id = this.ids.get(key);
    return id === undefined ? empty : this.slots.subarray(this.starts[id]!, this.starts[id + 1]!);
  }
  /** The key's list as a bitmap over the base slots, when it is a common key's. */
  bitmap(key: K): Uint32Array | null {
    const id = this.ids.get(key);
    const at = id === undefined ? -1 : this.bitmapAt[id]!;
    return at < 0 ? null : this.bits.subarray(at, at + this.words);
  }
}

/**
 * A list of at least this share of the slots is also kept as a bitmap: the bitmap then costs at most
 * half the list's own memory.
 */
const bitmapShare = 1 / 16;

/**
 * Builds posting lists: every (key, slot) pair into two flat typed arrays, then one array of lists.
 * Sized from an estimate and grown by half, and one builder alive at a time: the build's peak, not
 * the index, set the server's resident memory (glibc keeps what it once held).
 */
class PostingsBuilder<K extends number | string> {
  private ids = new Map<K, number>();
  private counts: number[] = [];
  private keys: Int32Array;
  private slots: Int32Array;
  private length = 0;
  constructor(estimate: number) {
    this.keys = new Int32Array(Math.max(estimate, 1024));
    this.slots = new Int32Array(Math.max(estimate, 1024));
  }
  /** Adds a slot to a key's list; slots come in ascending order, each key once per slot. */
  add(key: K, slot: number) {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.counts.length));
      this.counts.push(0);
    }
    this.counts[id]!++;
    if (this.length === this.keys.length) {
      const size = Math.ceil(this.length * 1.5);
      const keys = new Int32Array(size);
      keys.set(this.keys);
      this.keys = keys;
      const slots = new Int32Array(size);
      slots.set(this.slots);
      this.slots = slots;
    }
    this.keys[this.length] = id;
    this.slots[this.length++] = slot;
  }
  /** The lists, over `size` base slots (a list of `bitmapShare` of them gets a bitmap too). */
  build(size: number): Postings<K> {
    const starts = new Int32Array(this.counts.length + 1);
    for (let id = 0; id < this.counts.length; id++) starts[id + 1] = starts[id]! + this.counts[id]!;
    const filled = starts.slice(0, -1);
    const slots = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) slots[filled[this.keys[i]!]!++] = this.slots[i]!;
    const words = (size + 31) >>> 5;
    const bitmapAt = new Int32Array(this.counts.length).fill(-1);
    let bitmaps = 0;
    for (let id = 0; id < this.counts.length; id++)
      if (this.counts[id]! >= Math.max(size * bitmapShare, 64)) bitmapAt[id] = words * bitmaps++;
    const bits = new Uint32Array(words * bitmaps);
    for (let id = 0; id < this.counts.length; id++) {
      const at = bitmapAt[id]!;
      if (at < 0) continue;
      for (let i = starts[id]!; i < starts[id + 1]!; i++) bits[at + (slots[i]! >>> 5)]! |= 1 << (slots[i]! & 31);
    }
    return new Postings(this.ids, starts, slots, bitmapAt, bits, words);
  }
}

const empty = new Int32Array(0);

/**
 * The compact trigrams' lists are kept per length of the alias (its count of unique trigrams, b), in
 * these bands by their least b: similarity s / (a + b - s) >= 0.3 needs more shared trigrams of a
 * longer alias, so a long alias must be in more of the query's lists, and fewer of them are read
 * whole to find it (on the 100k graph, a typo search reads a quarter to a ninth of the entries).
 */
const lengthBands = [0, 9, 13, 17, 21];

const bandOf = (b: number) => {
  let band = lengthBands.length - 1;
  while (lengthBands[band]! > b) band--;
  return band;
};

/** A compact trigram's key in one band's lists. */
const bandKey = (trigram: number, band: number) => trigram * 8 + band;

const beyondAscii = /[^\x00-\x7f]/;

/** Aliases indexed between two turns of the event loop while the index is built (about 50 ms). */
const fillChunk = 8_192;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A binary search's cost, in entries of a list read in order (branches it cannot predict, ~14 steps). */
const probeCost = 16;

/** The first place in `sorted[0, end)` (ascending) whose value is not below `value`. */
function lowerBound(sorted: Int32Array, value: number, end = sorted.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a sorted list holds the slot. */
function contains(list: Int32Array, slot: number): boolean {
  const at = lowerBound(list, slot);
  return at < list.length && list[at] === slot;
}

/** The aliases, in arrays by slot; slots in order of entity (then alias id), as each way's ties are broken. */
class Snapshot {
  readonly size: number;
  readonly ids: Int32Array;
  readonly entityIds: Int32Array;
  readonly kinds: Uint8Array;
  readonly alive: Uint8Array;
  readonly normalized: string[];
  readonly compact: string[];
  /** Unique trigrams of `compact`, per slot: similarity's denominator. */
  readonly compactCounts: Uint16Array;
  /** Every trigram of `normalized` in order, all slots end to end (word_similarity reads them). */
  private sequences = empty;
  private sequenceStarts = empty;
  private readonly extraSequences = new Map<number, Int32Array>();
  // Filled by `fill`, before the snapshot serves.
  /** By `bandKey`: each compact trigram's slots in each band of lengths. */
  compactPostings!: Postings<number>;
  normalizedPostings!: Postings<number>;
  /** Single characters beyond ASCII, for substrings of one or two such characters. */
  chars!: Postings<string>;
  /** Slots sorted by `normalized` (code units), for the same name and prefixes. */
  byName = empty;
  /** The base slots' alias ids in ascending order, and the slot of each: found by binary search. */
  private readonly sortedIds: Int32Array;
  private readonly slotsBySortedId: Int32Array;
  /** Slots of aliases appended since the build, by alias id. */
  private readonly extraSlotOf = new Map<number, number>();
  /** Slots added since the build (changed aliases): looked at one by one by every way. */
  readonly extra: number[] = [];
  private readonly capacity: number;

  constructor(
    rows: AliasRow[],
    readonly kindCodes: Map<string, number>,
    readonly classes: CharClasses,
  ) {
    rows.sort((a, b) => a.entityId - b.entityId || a.id - b.id);
    const size = rows.length;
    this.size = size;
    this.capacity = size + maxExtra;
    this.ids = new Int32Array(this.capacity);
    this.entityIds = new Int32Array(this.capacity);
    this.kinds = new Uint8Array(this.capacity);
    this.alive = new Uint8Array(this.capacity);
    this.compactCounts = new Uint16Array(this.capacity);
    this.normalized = new Array(size);
    this.compact = new Array(size);
    for (let slot = 0; slot < size; slot++) this.set(slot, rows[slot]!);
    this.slotsBySortedId = Int32Array.from({ length: size }, (_, slot) => slot).sort(
      (a, b) => this.ids[a]! - this.ids[b]!,
    );
    this.sortedIds = this.slotsBySortedId.map((slot) => this.ids[slot]!);
  }

  /**
   * Builds the lists, pausing every `fillChunk` slots: the caller lets the event loop turn at each
   * pause, so requests (and `/ready`) are answered while a large index is built, not after seconds.
   */
  *fill(): Generator<void> {
    const size = this.size;
    const classes = this.classes;
    // One kind of list at a time, each builder sized for it, so the build's peak holds one.
    const compactPostings = new PostingsBuilder<number>(size * 14);
    for (let slot = 0; slot < size; slot++) {
      if (slot % fillChunk === fillChunk - 1) yield;
      const unique = new Set(trigramSequence(this.compact[slot]!, classes));
      this.compactCounts[slot] = unique.size;
      const band = bandOf(unique.size);
      for (const t of unique) compactPostings.add(bandKey(t, band), slot);
    }
    this.compactPostings = compactPostings.build(size);

    this.sequences = new Int32Array(size * 16);
    this.sequenceStarts = new Int32Array(size + 1);
    let used = 0;
    const normalizedPostings = new PostingsBuilder<number>(size * 14);
    for (let slot = 0; slot < size; slot++) {
      if (slot % fillChunk === fillChunk - 1) yield;
      const sequence = trigramSequence(this.normalized[slot]!, classes);
      for (const t of new Set(sequence)) normalizedPostings.add(t, slot);
      this.sequenceStarts[slot] = used;
      if (used + sequence.length > this.sequences.length) {
        const grown = new Int32Array(Math.max(Math.ceil(this.sequences.length * 1.5), used + sequence.length));
        grown.set(this.sequences);
        this.sequences = grown;
      }
      this.sequences.set(sequence, used);
      used += sequence.length;
    }
    this.sequenceStarts[size] = used;
    this.sequences = this.sequences.slice(0, used);
    this.normalizedPostings = normalizedPostings.build(size);
    yield;

    const chars = new PostingsBuilder<string>(size);
    for (let slot = 0; slot < size; slot++) {
      const name = this.normalized[slot]!;
      if (!beyondAscii.test(name)) continue;
      for (const ch of new Set(name)) if (ch.charCodeAt(0) >= 0x80) chars.add(ch, slot);
    }
    this.chars = chars.build(size);
    yield;
    this.byName = Int32Array.from({ length: size }, (_, i) => i).sort((a, b) => {
      const x = this.normalized[a]!;
      const y = this.normalized[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  /** The trigrams of a slot's `normalized`, in order. */
  sequenceOf(slot: number): Int32Array {
    return slot < this.size
      ? this.sequences.subarray(this.sequenceStarts[slot]!, this.sequenceStarts[slot + 1]!)
      : this.extraSequences.get(slot)!;
  }

  private set(slot: number, row: AliasRow) {
    this.ids[slot] = row.id;
    this.entityIds[slot] = row.entityId;
    let code = this.kindCodes.get(row.kind);
    if (code === undefined) this.kindCodes.set(row.kind, (code = this.kindCodes.size + 1));
    this.kinds[slot] = code;
    this.alive[slot] = 1;
    this.normalized[slot] = row.normalized;
    this.compact[slot] = row.compact;
  }

  /** Whether the changed aliases still fit beside the arrays. */
  canApply(count: number) {
    return this.size + this.extra.length + count <= this.capacity;
  }

  remove(aliasId: number) {
    const extra = this.extraSlotOf.get(aliasId);
    if (extra !== undefined) {
      this.alive[extra] = 0;
      this.extraSlotOf.delete(aliasId);
      return;
    }
    // A base slot already removed stays so; its alias, if appended again, is an extra slot.
    const at = lowerBound(this.sortedIds, aliasId);
    if (at < this.size && this.sortedIds[at] === aliasId) this.alive[this.slotsBySortedId[at]!] = 0;
  }

  append(row: AliasRow) {
    const slot = this.size + this.extra.length;
    this.set(slot, row);
    this.extraSlotOf.set(row.id, slot);
    this.compactCounts[slot] = new Set(trigramSequence(row.compact, this.classes)).size;
    this.extraSequences.set(slot, Int32Array.from(trigramSequence(row.normalized, this.classes)));
    this.extra.push(slot);
  }
}

/**
 * Upper bounds of the trigrams each slot shares with a query, left by one way's count for another's
 * ordering: the words way's count bounds the typo way's word similarity without a lookup per slot.
 */
class SharedBounds {
  private readonly values: Uint16Array;
  private readonly slots: Int32Array;
  private count = 0;
  /** The bound of every slot the count did not reach. */
  private unseen = 0;
  constructor(capacity: number) {
    this.values = new Uint16Array(capacity);
    this.slots = new Int32Array(capacity);
  }
  reset(unseen: number) {
    for (let i = 0; i < this.count; i++) this.values[this.slots[i]!] = 0;
    this.count = 0;
    this.unseen = unseen;
  }
  /** A counted slot's bound (at least one: it was found in a list). */
  set(slot: number, bound: number) {
    this.values[slot] = bound;
    this.slots[this.count++] = slot;
  }
  get(slot: number): number {
    return this.values[slot] || this.unseen;
  }
}

interface Ranked {
  slot: number;
  measure: number;
}

const byMeasureThenEntity = (entityIds: Int32Array) => (a: Ranked, b: Ranked) =>
  b.measure - a.measure || entityIds[a.slot]! - entityIds[b.slot]!;

export class SearchIndex {
  private snapshot: Snapshot | null = null;
  private loading: Promise<void> | null = null;
  private catching: Promise<void> | null = null;
  private horizon = 0n;
  /** Log rows of transactions from the horizon on, already applied: id -> transaction id. */
  private applied = new Map<string, bigint>();
  private checkedAt = 0;
  private readonly classes: CharClasses = new Map();
  private readonly kindCodes = new Map<string, number>();
  // Scratch counters, one per slot, reused by every search (zeroed after use).
  private counters = new Uint16Array(0);
  private touched = new Int32Array(0);
  private wordBounds = new SharedBounds(0);

  /** Loads the index if it is not there (or has not looked for changes in an hour), and knows every character of the query. */
  async prepare(sql: SqlReader, texts: string[]): Promise<void> {
    // Built with the database's own reader: a build serves every request after the one that asked,
    // so that request's deadline does not cut it short.
    if (!this.snapshot || Date.now() - this.checkedAt > maxIdleMs) await this.load(originOf(sql));
    const unknown = unknownChars(this.classes, texts);
    if (unknown.length) await this.learnChars(sql, unknown);
  }

  /** The log's state to send with a search statement: rows at or after `horizon` not in `applied` are unseen. */
  mark(): { horizon: string; applied: string[] } {
    return { horizon: this.horizon.toString(), applied: [...this.applied.keys()] };
  }

  /** After a search statement: true when the index was current for it; otherwise it catches up first. */
  async settle(sql: SqlReader, freshness: Freshness): Promise<boolean> {
    if (freshness.unseen === 0) {
      this.advance(BigInt(freshness.horizon));
      return true;
    }
    // One catch-up at a time: searches that found the same changes wait for it.
    this.catching ??= this.catchUp(originOf(sql)).finally(() => {
      this.catching = null;
    });
    await this.catching;
    return false;
  }

  /** Memory the index holds, roughly: for the operator's figures, not for decisions. */
  get aliasCount(): number {
    return this.snapshot ? this.snapshot.size + this.snapshot.extra.length : 0;
  }

  private advance(horizon: bigint) {
    this.checkedAt = Date.now();
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    for (const [id, xid] of this.applied) if (xid < horizon) this.applied.delete(id);
  }

  private load(sql: SqlReader): Promise<void> {
    this.loading ??= this.build(sql).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async build(sql: SqlReader): Promise<void> {
    // The aliases, and the log rows of transactions the snapshot already sees from its horizon on:
    // one statement, so both are of one snapshot.
    let table: Table | null = await sql.table(Prisma.sql`
      SELECT a.id, a."entityId", a.normalized, a.compact, e.kind::text AS kind
      FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId"
      UNION ALL
      SELECT NULL, NULL, c.id::text, c.xid::text, '~change' FROM "SearchChange" c
      WHERE c.xid >= pg_snapshot_xmin(pg_current_snapshot())
      UNION ALL
      SELECT NULL, NULL, pg_snapshot_xmin(pg_current_snapshot())::text, NULL, '~horizon'`);
    const rows: AliasRow[] = [];
    const applied = new Map<string, bigint>();
    let horizon = 0n;
    for (const [id, entityId, normalized, compact, kind] of table.rows as [
      number | null,
      number | null,
      string,
      string,
      string,
    ][]) {
      if (kind === "~change") applied.set(normalized, BigInt(compact));
      else if (kind === "~horizon") horizon = BigInt(normalized);
      else rows.push({ id: id!, entityId: entityId!, normalized, compact, kind });
    }
    // Its rows' arrays are garbage from here: the build's peak, not the index, sets what the server keeps.
    table = null;
    await this.learnChars(
      sql,
      unknownChars(
        this.classes,
        (function* () {
          for (const row of rows) yield* [row.normalized, row.compact];
        })(),
      ),
    );
    const snapshot = new Snapshot(rows, this.kindCodes, this.classes);
    for (const _ of snapshot.fill()) await nextTurn();
    this.snapshot = snapshot;
    this.counters = new Uint16Array(this.snapshot.ids.length);
    this.touched = new Int32Array(this.snapshot.ids.length);
    this.wordBounds = new SharedBounds(this.snapshot.ids.length);
    this.horizon = horizon;
    this.applied = applied;
    this.checkedAt = Date.now();
  }

  private async learnChars(sql: SqlReader, chars: string[]) {
    await readCharClasses(sql, chars, this.classes);
  }

  private async catchUp(sql: SqlReader): Promise<void> {
    if (this.loading) return this.loading;
    const mark = this.mark();
    const [found] = await sql.query<{
      changes: { id: string; xid: string; reload: boolean; aliasIds: number[] | null }[];
      size: number;
      aliases: AliasRow[] | null;
      horizon: string;
    }>(Prisma.sql`
      WITH changes AS (
        SELECT id, xid, "aliasIds", "entityIds", reload FROM "SearchChange"
        WHERE xid >= ${mark.horizon}::xid8 AND NOT (id = ANY(${mark.applied}::bigint[]))
      ),
      size AS (
        SELECT coalesce(sum(coalesce(cardinality("aliasIds"), 0) + coalesce(cardinality("entityIds"), 0)), 0)::int
          + CASE WHEN bool_or(reload) THEN ${maxExtra + 1} ELSE 0 END AS size
        FROM changes
      )
      SELECT
        (SELECT coalesce(json_agg(json_build_object('id', id::text, 'xid', xid::text, 'reload', reload,
          'aliasIds', "aliasIds")), '[]') FROM changes) AS changes,
        (SELECT size FROM size) AS size,
        CASE WHEN (SELECT size FROM size) <= ${maxExtra} THEN (
          SELECT json_agg(json_build_object('id', a.id, 'entityId', a."entityId", 'normalized', a.normalized,
            'compact', a.compact, 'kind', e.kind))
          FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId"
          WHERE a.id IN (SELECT unnest("aliasIds") FROM changes)
            OR a."entityId" IN (SELECT unnest("entityIds") FROM changes)
        ) END AS aliases,
        pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`);
    const snapshot = this.snapshot;
    const aliases = found!.aliases ?? [];
    if (!snapshot || found!.size > maxExtra || !snapshot.canApply(aliases.length)) return this.load(sql);
    await this.learnChars(
      sql,
      unknownChars(
        this.classes,
        aliases.flatMap((row) => [row.normalized, row.compact]),
      ),
    );
    if (this.snapshot !== snapshot) return;
    for (const change of found!.changes) for (const id of change.aliasIds ?? []) snapshot.remove(id);
    for (const row of aliases) snapshot.remove(row.id);
    for (const row of aliases) snapshot.append(row);
    for (const change of found!.changes) this.applied.set(change.id, BigInt(change.xid));
    this.advance(BigInt(found!.horizon));
  }

  /**
   * Each way's proposals for the query, in the order the statement's own ways choose them through
   * PostgreSQL's indexes (the first four by their measure then by entity, substrings by entity).
   * When every way has fewer than k matches, all of them, as the statement would; otherwise each
   * way's first matches naming `end` entities (the page's end), which is all the page's proof needs,
   * and `atLeast` for the count. Call `prepare` first.
   */
  propose(q: string, c: string, kinds: readonly string[] | null, k: number, end: number): Proposals {
    const s = this.snapshot!;
    const kindSet = kinds ? new Set(kinds.map((kind) => s.kindCodes.get(kind) ?? -1)) : null;
    const ok = (slot: number) => s.alive[slot] === 1 && (!kindSet || kindSet.has(s.kinds[slot]!));
    const ways: Proposals["ways"] = { way: [], proposals: [], entities: [], filled: [] };
    const proposed = new Set<number>();
    const entitiesOf = (slots: number[]) => new Set(slots.map((slot) => s.entityIds[slot]!)).size;
    const push = (way: Way, slots: number[], filled: boolean) => {
      if (!slots.length) return;
      const entities = new Set(slots.map((slot) => s.entityIds[slot]!));
      for (const entity of entities) proposed.add(entity);
      ways.way.push(way);
      ways.proposals.push(slots.length);
      ways.entities.push(entities.size);
      ways.filled.push(filled);
    };
    const byEntity = (slots: number[]) => slots.sort((a, b) => s.entityIds[a]! - s.entityIds[b]! || a - b).slice(0, k);

    // The same name and prefixes: a range of the names in order.
    const same: number[] = [];
    const prefix: number[] = [];
    let lo = 0;
    let hi = s.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.normalized[s.byName[mid]!]! < q) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < s.size; i++) {
      const slot = s.byName[i]!;
      const name = s.normalized[slot]!;
      if (!name.startsWith(q)) break;
      if (!ok(slot)) continue;
      prefix.push(slot);
      if (name === q) same.push(slot);
    }
    for (const slot of s.extra) {
      if (!ok(slot)) continue;
      const name = s.normalized[slot]!;
      if (name.startsWith(q)) prefix.push(slot);
      if (name === q) same.push(slot);
    }

    // Typo and words: shared trigrams counted over the posting lists, then pg_trgm's measures.
    // `compact % c` needs similarity 0.3, so at least 0.3 x |c's trigrams| shared (similarity is at
    // most shared / |c's|); `q <% normalized` needs 0.6 of q's. An alias sharing that many shares one
    // of the rarest |trigrams| - that + 1: only those posting lists are read whole, the common ones
    // ("cit", "ity") are probed for the candidates alone.
    const qWords = [...new Set(trigramSequence(q, this.classes))];
    const cTrigrams = [...new Set(trigramSequence(c, this.classes))];
    const typo: { slot: number; bound: number; similarity: number }[] = [];
    const wordCandidates: { slot: number; bound: number }[] = [];
    // An upper bound of word_similarity: the name's shared trigrams over the query's.
    const wordsBound = (shared: number) => (qWords.length ? Math.fround(shared / qWords.length) : 0);
    const considerTypo = (slot: number, compactShared: number, normalizedShared: number) => {
      if (!ok(slot)) return;
      const sim = similarityOf(compactShared, cTrigrams.length, s.compactCounts[slot]!);
      if (sim < threshold) return;
      const bound = Math.max(s.compact[slot] === c ? 0.97 : 0, sim * 0.9, wordsBound(normalizedShared) * 0.85);
      typo.push({ slot, similarity: sim, bound });
    };
    const considerWords = (slot: number, normalizedShared: number) => {
      if (!ok(slot)) return;
      const bound = wordsBound(normalizedShared);
      if (bound >= wordThreshold) wordCandidates.push({ slot, bound });
    };
    // The words way's count first: what it leaves in `wordBounds` bounds the typo way's word
    // similarity (an upper bound orders the candidates as well as the count would).
    const wordBounds = this.wordBounds;
    const wordsShared = this.shared(
      s.normalizedPostings,
      qWords,
      Math.ceil(0.5999 * qWords.length),
      undefined,
      wordBounds,
    );
    for (let i = 0; i < wordsShared.slots.length; i++) considerWords(wordsShared.slots[i]!, wordsShared.counts[i]!);
    // With the alias's own count b too: similarity s / (a + b - s) >= 0.3 needs s >= 0.3 (a + b) / 1.3.
    const typoShared: { slots: number[]; counts: number[] } = { slots: [], counts: [] };
    const a = cTrigrams.length;
    for (let band = 0; band < lengthBands.length; band++) {
      const least = lengthBands[band]!;
      const most = band + 1 < lengthBands.length ? lengthBands[band + 1]! - 1 : Number.POSITIVE_INFINITY;
      const min = Math.max(Math.ceil(0.2999 * a), Math.ceil((0.2999 * (a + least)) / 1.3));
      // None can match: it cannot share more than its b, and past a / 0.3 even all of a is too few.
      if (most < min || least * 0.2999 > a) continue;
      const found = this.shared(
        s.compactPostings,
        cTrigrams.map((t) => bandKey(t, band)),
        min,
        (slot) => Math.ceil((0.2999 * (a + s.compactCounts[slot]!)) / 1.3),
      );
      // One by one: spread into push, a large band's thousands of candidates overflow the call stack.
      for (let i = 0; i < found.slots.length; i++) {
        typoShared.slots.push(found.slots[i]!);
        typoShared.counts.push(found.counts[i]!);
      }
    }
    for (let i = 0; i < typoShared.slots.length; i++) {
      const slot = typoShared.slots[i]!;
      considerTypo(slot, typoShared.counts[i]!, wordBounds.get(slot));
    }
    for (const slot of s.extra) {
      const compactSet = new Set(trigramSequence(s.compact[slot]!, this.classes));
      const normalizedSet = new Set(s.sequenceOf(slot));
      const normalizedShared = qWords.filter((t) => normalizedSet.has(t)).length;
      const compactShared = cTrigrams.filter((t) => compactSet.has(t)).length;
      if (compactShared) considerTypo(slot, compactShared, normalizedShared);
      if (normalizedShared) considerWords(slot, normalizedShared);
    }
    const qSet = new Set(qWords);
    const wordCache = new Map<number, number>();
    const words = (slot: number) => {
      let value = wordCache.get(slot);
      if (value === undefined) wordCache.set(slot, (value = wordSimilarity(qSet, s.sequenceOf(slot))));
      return value;
    };

    // Each way's matches in its order, as far as asked: the typo and words ways rank lazily (word
    // similarity only while a candidate's bound can still place it).
    const typoMeasure = (candidate: { slot: number; similarity: number }) =>
      Math.max(s.compact[candidate.slot] === c ? 0.97 : 0, candidate.similarity * 0.9, words(candidate.slot) * 0.85);
    const wordsMeasure = (candidate: { slot: number }) => {
      const value = words(candidate.slot);
      return value >= wordThreshold ? value : -1;
    };
    const byBound = (a: { slot: number; bound: number }, b: { slot: number; bound: number }) =>
      b.bound - a.bound || s.entityIds[a.slot]! - s.entityIds[b.slot]!;
    typo.sort(byBound);
    wordCandidates.sort(byBound);
    const sameSlots = byEntity(same);
    const prefixSlots = byEntity(prefix);
    const substringSlots = this.substrings(s, q, ok, k);
    // Per way, `count()` bounds its matches from above (exactly, up to k, where that costs nothing
    // more) and `first(m)` gives its first m matches in its order (fewer when it has fewer).
    const matches: { way: Way; count: () => number; first: (m: number) => number[] }[] = [
      { way: "same", count: () => sameSlots.length, first: (m) => sameSlots.slice(0, m) },
      { way: "prefix", count: () => prefixSlots.length, first: (m) => prefixSlots.slice(0, m) },
      { way: "substring", count: () => substringSlots.length, first: (m) => substringSlots.slice(0, m) },
      {
        way: "typo",
        count: () => Math.min(typo.length, k),
        first: (m) => this.topK(typo, typoMeasure, m, s.entityIds),
      },
      {
        way: "words",
        // Fewer candidates than k: fewer matches, without a word similarity computed to know it.
        count: () =>
          wordCandidates.length < k ? wordCandidates.length : this.countUpTo(wordCandidates, wordsMeasure, k),
        first: (m) => this.topK(wordCandidates, wordsMeasure, m, s.entityIds),
      },
    ];
    // Every way under k matches: all of them proposed, and the count is exact. Otherwise the count is
    // a lower bound anyway, and each way proposes only as far as the page's proof needs: its first
    // matches naming `end` entities (search.ts: each ranks above any match it left out). Counted in
    // order of cost, and no further than a way with k.
    const all = matches.every((match) => match.count() < k);
    for (const { way, first } of matches) {
      let m = all ? k : Math.max(end, 1);
      let slots = first(m);
      while (!all && slots.length === m && m < k && entitiesOf(slots) < end) slots = first((m = Math.min(m * 2, k)));
      // As many as asked: there may be more.
      push(way, slots, slots.length === m);
    }
    return {
      ways,
      scored: this.scoreAliases(s, q, c, words, cTrigrams, proposed),
      atLeast: all
        ? 0
        : this.verified(s, c, k, [sameSlots, prefixSlots, substringSlots], typo, wordCandidates, wordCache),
    };
  }

  /** How many candidates match (measure not negative), counted up to `k`. */
  private countUpTo<C>(candidates: C[], measure: (candidate: C) => number, k: number): number {
    let count = 0;
    for (let i = 0; i < candidates.length && count < k; i++) if (measure(candidates[i]!) >= 0) count++;
    return count;
  }

  /**
   * A lower bound of the search's count when some way has k matches or more: the entities (up to k)
   * of matches known to score at least 0.3, the least a counted match scores. A same name, prefix,
   * substring or words match does (0.51 and up); a typo match when 0.9 x its similarity does; words
   * matches are those whose word similarity was computed.
   */
  private verified(
    s: Snapshot,
    c: string,
    k: number,
    matched: number[][],
    typo: { slot: number; similarity: number }[],
    wordCandidates: { slot: number }[],
    wordCache: Map<number, number>,
  ): number {
    const entities = new Set<number>();
    const add = (slot: number) => entities.size < k && entities.add(s.entityIds[slot]!);
    for (const slots of matched) for (const slot of slots) add(slot);
    for (const { slot, similarity } of typo) if (s.compact[slot] === c || similarity * 0.9 >= 0.3) add(slot);
    for (const { slot } of wordCandidates) if ((wordCache.get(slot) ?? 0) >= wordThreshold) add(slot);
    return entities.size;
  }

  /**
   * The matching aliases of these entities and their scores, as the search statement's alias_hits
   * computes them in PostgreSQL: a match is a substring of the name or a measure at pg_trgm's
   * threshold; the score the best of 1 (the same name), 0.97 (the same letters without spaces), 0.9
   * (a prefix), 0.8 (a substring), 0.9 x similarity and 0.85 x word similarity, in float8 over the
   * measures' float4 as there. Every alias of an entity, whichever way proposed it, as there.
   */
  private scoreAliases(
    s: Snapshot,
    q: string,
    c: string,
    words: (slot: number) => number,
    cTrigrams: readonly number[],
    entityIds: ReadonlySet<number>,
  ): Proposals["scored"] {
    const scored: Proposals["scored"] = { aliasIds: [], scores: [] };
    const score = (slot: number) => {
      if (s.alive[slot] !== 1) return;
      const name = s.normalized[slot]!;
      const compact = s.compact[slot]!;
      const compactSet = new Set(trigramSequence(compact, this.classes));
      let shared = 0;
      for (const t of cTrigrams) if (compactSet.has(t)) shared++;
      const similarity = similarityOf(shared, cTrigrams.length, compactSet.size);
      const wordsSimilarity = words(slot);
      const contains = name.includes(q);
      if (!contains && similarity < similarityThreshold && wordsSimilarity < wordSimilarityThreshold) return;
      const exact = name === q ? 1 : compact === c && c !== "" ? 0.97 : name.startsWith(q) ? 0.9 : contains ? 0.8 : 0;
      scored.aliasIds.push(s.ids[slot]!);
      scored.scores.push(Math.max(exact, similarity * 0.9, wordsSimilarity * 0.85));
    };
    const extraOf = new Map<number, number[]>();
    for (const slot of s.extra) {
      const entity = s.entityIds[slot]!;
      const slots = extraOf.get(entity);
      if (slots) slots.push(slot);
      else extraOf.set(entity, [slot]);
    }
    for (const entityId of entityIds) {
      // Base slots are in entity order: the entity's aliases are a run of them.
      for (
        let slot = lowerBound(s.entityIds, entityId, s.size);
        slot < s.size && s.entityIds[slot] === entityId;
        slot++
      )
        score(slot);
      for (const slot of extraOf.get(entityId) ?? []) score(slot);
    }
    return scored;
  }

  /**
   * The slots sharing at least `min` of these trigrams, with how many each shares: the rarest lists
   * that any such slot must appear in are read whole, the others looked up for those slots alone (a
   * bit of a common list's bitmap, or a binary search). `bounds`, when given, receives an upper bound
   * of what every slot shares, for another way's ordering.
   */
  private shared(
    postings: Postings<number>,
    trigrams: number[],
    min: number,
    minOf: (slot: number) => number = () => min,
    bounds?: SharedBounds,
  ): { slots: number[]; counts: number[] } {
    const lists = trigrams.map((t) => postings.get(t));
    const order = lists.map((_, i) => i).sort((a, b) => lists[a]!.length - lists[b]!.length);
    const sorted = order.map((i) => lists[i]!);
    const bitmaps = order.map((i) => postings.bitmap(trigrams[i]!));
    const scan = sorted.length - Math.max(min, 1) + 1;
    const slots: number[] = [];
    const counts: number[] = [];
    // A slot in none of the lists read whole shares at most the others.
    bounds?.reset(sorted.length - Math.max(scan, 0));
    if (scan <= 0) return { slots, counts };
    const counters = this.counters;
    // The slots counted, in a typed array kept between searches: pushed onto an Array, they cost 15
    // times the reading of the lists.
    const touched = this.touched;
    let touchedCount = 0;
    for (let l = 0; l < scan; l++) {
      const list = sorted[l]!;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i]!;
        if (counters[slot]!++ === 0) touched[touchedCount++] = slot;
      }
    }
    // The other lists add to the candidates' counts (no slot found only there can reach `min`). A list
    // without a bitmap is read whole while that is cheaper than a binary search per candidate: a
    // probe costs about `probeCost` entries read in order.
    let probeFrom = scan;
    while (probeFrom < sorted.length && !bitmaps[probeFrom] && sorted[probeFrom]!.length <= touchedCount * probeCost) {
      const list = sorted[probeFrom++]!;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i]!;
        if (counters[slot] !== 0) counters[slot]!++;
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const slot = touched[t]!;
      let n = counters[slot]!;
      counters[slot] = 0;
      const need = Math.max(minOf(slot), min, 1);
      // Looked up rarest first, and no further once the slot cannot reach what it needs.
      let l = probeFrom;
      for (; l < sorted.length && n + sorted.length - l >= need; l++) {
        const bitmap = bitmaps[l];
        if (bitmap ? (bitmap[slot >>> 5]! >>> (slot & 31)) & 1 : contains(sorted[l]!, slot)) n++;
      }
      bounds?.set(slot, n + sorted.length - l);
      if (n >= need) {
        slots.push(slot);
        counts.push(n);
      }
    }
    return { slots, counts };
  }

  /**
   * The k best candidates by an exact measure (negative: not a match), ties by entity, computing it
   * only while a candidate's bound can still reach the k-th best. Candidates come sorted by bound,
   * then entity.
   */
  private topK<C extends { slot: number; bound: number }>(
    candidates: C[],
    measure: (candidate: C) => number,
    k: number,
    entityIds: Int32Array,
  ): number[] {
    // Kept in ranking order; once k are kept, a candidate must beat the k-th to enter.
    const kept: Ranked[] = [];
    const order = byMeasureThenEntity(entityIds);
    for (const candidate of candidates) {
      const last = kept.length >= k ? kept[k - 1]! : null;
      // Candidates come by bound, then entity: none after this one can rank above the k-th.
      if (
        last &&
        (candidate.bound < last.measure ||
          (candidate.bound === last.measure && entityIds[candidate.slot]! > entityIds[last.slot]!))
      )
        break;
      const value = measure(candidate);
      if (value < 0) continue;
      const ranked = { slot: candidate.slot, measure: value };
      if (last && order(ranked, last) >= 0) continue;
      let at = kept.length;
      while (at > 0 && order(ranked, kept[at - 1]!) < 0) at--;
      kept.splice(at, 0, ranked);
      if (kept.length > k) kept.length = k;
    }
    return kept.map((ranked) => ranked.slot);
  }

  private substrings(s: Snapshot, q: string, ok: (slot: number) => boolean, k: number): number[] {
    const letters = [...q];
    // Candidates from the shortest list every name holding q is in: a trigram of three word
    // characters of q in a row (the name's word holds them in a row too), or a character beyond ASCII.
    const lists: Int32Array[] = [];
    for (let i = 0; i + 2 < letters.length; i++) {
      const trigram = innerTrigram(letters[i]! + letters[i + 1]! + letters[i + 2]!, this.classes);
      if (trigram !== null) lists.push(s.normalizedPostings.get(trigram));
    }
    for (const ch of letters) if (ch.charCodeAt(0) >= 0x80) lists.push(s.chars.get(ch));
    const list = lists.length ? lists.reduce((a, b) => (b.length < a.length ? b : a)) : null;
    // Base slots are in entity order: the first k matches are the way's k.
    const found: number[] = [];
    const total = list ? list.length : s.size;
    for (let i = 0; i < total && found.length < k; i++) {
      const slot = list ? list[i]! : i;
      if (ok(slot) && s.normalized[slot]!.includes(q)) found.push(slot);
    }
    for (const slot of s.extra) if (ok(slot) && s.normalized[slot]!.includes(q)) found.push(slot);
    return found.sort((a, b) => s.entityIds[a]! - s.entityIds[b]! || a - b).slice(0, k);
  }
}

/** Asks the database how pg_trgm treats these characters beyond ASCII, into `classes`. */
export async function readCharClasses(sql: SqlReader, chars: string[], classes: CharClasses): Promise<void> {
  if (!chars.length) return;
  // pg_trgm takes a character as part of a word when show_trgm finds trigrams in it alone.
  const rows = await sql.query<{ ch: string; lower: string; word: boolean }>(Prisma.sql`
    SELECT ch, lower(ch) AS lower, cardinality(show_trgm(ch)) > 0 AS word FROM unnest(${chars}::text[]) ch`);
  for (const { ch, lower, word } of rows) classes.set(ch, { word, lower });
}

const indexes = new WeakMap<object, SearchIndex>();

/** The index of one database (one per process and database, whichever request asks). */
export function searchIndexOf(database: object): SearchIndex {
  let index = indexes.get(database);
  if (!index) indexes.set(database, (index = new SearchIndex()));
  return index;
}
