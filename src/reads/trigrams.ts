// pg_trgm's measures, computed here the way PostgreSQL computes them, so that the per-replica search
// index (search-index.ts) proposes exactly the aliases PostgreSQL's trigram indexes would.
// - A string's words are its runs of word characters (letters and digits as the database's locale
//   classifies them), each lower-cased by the database and padded with two spaces before and one
//   after; a trigram is three consecutive characters of a padded word.
// - Three one-byte characters are kept as they are; any other trigram is reduced to three bytes of
//   PostgreSQL's legacy CRC-32 of its UTF-8 bytes (so two trigrams may collide, as they do there).
//   Each trigram is held as one number of 24 bits, the bytes in the order pg_trgm compares them.
// - similarity: shared unique trigrams / (unique trigrams of both - shared), in float4.
// - word_similarity(a, b): the best similarity of a's trigrams with a stretch of b's, pg_trgm's
//   iterative procedure step by step, in float4 (Math.fround after every division).
// Which characters are word characters, and what the database lower-cases them to, depends on its
// locale: `CharClasses` holds what PostgreSQL answered for every character beyond ASCII seen so far
// (tests/reads/search-index.test.ts checks these measures against PostgreSQL's own).

/** What the database says of a character beyond ASCII: whether pg_trgm takes it as part of a word, and its lower case. */
export interface CharClass {
  word: boolean;
  lower: string;
}

export type CharClasses = Map<string, CharClass>;

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** One byte of UTF-8 into the "legacy" CRC-32 of PostgreSQL: the reflected table, shifted the other way. */
const crcByte = (crc: number, byte: number) => (crcTable[((crc >>> 24) ^ byte) & 0xff]! ^ (crc << 8)) >>> 0;

/** A code point's UTF-8 bytes into the CRC. */
function crcCodePoint(crc: number, code: number): number {
  if (code < 0x80) return crcByte(crc, code);
  if (code < 0x800) return crcByte(crcByte(crc, 0xc0 | (code >> 6)), 0x80 | (code & 0x3f));
  if (code < 0x10000)
    return crcByte(crcByte(crcByte(crc, 0xe0 | (code >> 12)), 0x80 | ((code >> 6) & 0x3f)), 0x80 | (code & 0x3f));
  return crcByte(
    crcByte(crcByte(crcByte(crc, 0xf0 | (code >> 18)), 0x80 | ((code >> 12) & 0x3f)), 0x80 | ((code >> 6) & 0x3f)),
    0x80 | (code & 0x3f),
  );
}

/** A trigram of three code points as pg_trgm stores it: three bytes, as a number. */
function trigramOf(a: number, b: number, c: number): number {
  if (a < 0x80 && b < 0x80 && c < 0x80) return (a << 16) | (b << 8) | c;
  const crc = (crcCodePoint(crcCodePoint(crcCodePoint(0xffffffff, a), b), c) ^ 0xffffffff) >>> 0;
  // Its first three bytes in memory (little-endian), compared as bytes.
  return ((crc & 0xff) << 16) | (((crc >>> 8) & 0xff) << 8) | ((crc >>> 16) & 0xff);
}

const asciiWord = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** Characters beyond ASCII in these strings that `classes` does not know yet. */
export function unknownChars(classes: CharClasses, texts: Iterable<string>): string[] {
  const unknown = new Set<string>();
  for (const text of texts) for (const ch of text) if (ch.charCodeAt(0) >= 0x80 && !classes.has(ch)) unknown.add(ch);
  return [...unknown];
}

/**
 * Every trigram of the string in order, duplicates kept (pg_trgm's generate_trgm_only). Throws on a
 * character beyond ASCII that `classes` lacks: the caller asks the database first.
 */
export function trigramSequence(text: string, classes: CharClasses): number[] {
  const out: number[] = [];
  // The current word's lower-cased code points (reused: the index calls this for every alias).
  const word = wordBuffer;
  let length = 0;
  const flush = () => {
    if (!length) return;
    // Padded with two spaces before and one after.
    const at = (i: number) => (i < 2 || i >= length + 2 ? 32 : word[i - 2]!);
    for (let i = 0; i + 2 < length + 3; i++) out.push(trigramOf(at(i), at(i + 1), at(i + 2)));
    length = 0;
  };
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      if (asciiWord(code)) word[length++] = code >= 65 && code <= 90 ? code + 32 : code;
      else flush();
      continue;
    }
    const known = classes.get(ch);
    if (!known) throw new Error(`search index: no character class for ${JSON.stringify(ch)}`);
    if (known.word) for (const lower of known.lower) word[length++] = lower.codePointAt(0)!;
    else flush();
  }
  flush();
  return out;
}

/** Code points of one word: a plain Array grows as needed (no name here is long). */
const wordBuffer: number[] = [];

/**
 * The trigram of the first three (lower-cased) characters of a run of word characters, which any
 * text holding that run holds too; null when a character of it is not a word character.
 */
export function innerTrigram(run: string, classes: CharClasses): number | null {
  for (const ch of run) {
    const code = ch.charCodeAt(0);
    if (code < 0x80 ? !asciiWord(code) : !classes.get(ch)?.word) return null;
  }
  // Padded "  abc ": the third trigram is the first without padding.
  const sequence = trigramSequence(run, classes);
  return sequence.length >= 4 ? sequence[2]! : null;
}

/** The unique trigrams of a string (pg_trgm's generate_trgm), sorted as numbers. */
export function trigramSet(text: string, classes: CharClasses): Int32Array {
  const sorted = Int32Array.from(new Set(trigramSequence(text, classes))).sort();
  return sorted;
}

/** similarity() from the number of shared unique trigrams and each side's count, as float4. */
export function similarityOf(shared: number, count1: number, count2: number): number {
  if (count1 <= 0 || count2 <= 0) return 0;
  return Math.fround(shared / (count1 + count2 - shared));
}

/** similarity(a, b) of two unique trigram sets. */
export function similarity(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return similarityOf(shared, a.length, b.length);
}

/**
 * word_similarity(query, text), with the query's trigrams given as a set and the text's as its
 * sequence: pg_trgm's calc_word_similarity and iterate_word_similarity (not strict, full maximum).
 */
export function wordSimilarity(query: ReadonlySet<number>, text: ArrayLike<number>): number {
  const ulen1 = query.size;
  const len2 = text.length;
  if (!ulen1 || !len2) return 0;
  if (len2 > scratch.indexes.length) scratch = scratchOf(len2);
  const { distinct, found, indexes, lastpos } = scratch;
  // Each distinct trigram of the text gets an index (names are short: a linear search beats a Map);
  // found: whether the query has it. Arrays reused from call to call: search calls this hundreds of
  // times a request.
  let distinctCount = 0;
  for (let i = 0; i < len2; i++) {
    const trigram = text[i]!;
    let j = 0;
    while (j < distinctCount && distinct[j] !== trigram) j++;
    if (j === distinctCount) {
      distinct[distinctCount] = trigram;
      found[distinctCount] = query.has(trigram) ? 1 : 0;
      lastpos[distinctCount++] = -1;
    }
    indexes[i] = j;
  }
  let ulen2 = 0;
  let count = 0;
  let lower = -1;
  let max = 0;
  for (let i = 0; i < len2; i++) {
    const t = indexes[i]!;
    if (lower >= 0 || found[t]) {
      if (lastpos[t]! < 0) {
        ulen2++;
        if (found[t]) count++;
      }
      lastpos[t] = i;
    }
    if (!found[t]) continue;
    const upper = i;
    if (lower === -1) {
      lower = i;
      ulen2 = 1;
    }
    let current = Math.fround(count / (ulen1 + ulen2 - count));
    let tmpCount = count;
    let tmpUlen2 = ulen2;
    const prevLower = lower;
    for (let tmpLower = lower; tmpLower <= upper; tmpLower++) {
      const candidate = Math.fround(tmpCount / (ulen1 + tmpUlen2 - tmpCount));
      if (candidate > current) {
        current = candidate;
        ulen2 = tmpUlen2;
        lower = tmpLower;
        count = tmpCount;
      }
      const u = indexes[tmpLower]!;
      if (lastpos[u] === tmpLower) {
        tmpUlen2--;
        if (found[u]) tmpCount--;
      }
    }
    max = Math.max(max, current);
    for (let tmpLower = prevLower; tmpLower < lower; tmpLower++) {
      const u = indexes[tmpLower]!;
      if (lastpos[u] === tmpLower) lastpos[u] = -1;
    }
  }
  return max;
}

const scratchOf = (length: number) => ({
  distinct: new Int32Array(length),
  found: new Uint8Array(length),
  indexes: new Int32Array(length),
  lastpos: new Int32Array(length),
});
let scratch = scratchOf(256);

/** pg_trgm's thresholds as this project leaves them (the defaults; nothing sets them). */
export const similarityThreshold = 0.3;
export const wordSimilarityThreshold = 0.6;
