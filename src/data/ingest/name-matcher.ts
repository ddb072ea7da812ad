// Finds known names in text: every name at once, leftmost and longest first, case-insensitive.
//
// The dictionary is compiled once into a sorted array of folded names, which is a trie in disguise:
// the names sharing a prefix are one contiguous range, and reading one more character of the text
// narrows the range with two binary searches. A scan therefore costs O(text length x matched depth x
// log names), whatever the number of names, and the memory is the names themselves: 100,000 entities
// with several aliases each stay a few megabytes, where a trie of Map nodes would take hundreds.
import { foldName, foldText } from "./fold.js";

export interface NameEntry<T> {
  name: string;
  value: T;
}

export interface NameMatch<T> {
  /** Offsets in the original text: `text.slice(start, end)` is the name as written there. */
  start: number;
  end: number;
  /** The folded dictionary name that matched. */
  name: string;
  /** Every value given for this folded name (several entities may share a name). */
  values: readonly T[];
}

export interface NameMatcherOptions {
  /** Names shorter than this (in characters, after folding) are never matched: one letter is not a name. */
  minLength?: number;
  /**
   * Latin-script names up to this length match only as written, because they are acronyms ("PRC")
   * that, ignoring case, are common words ("us", "it").
   */
  exactCaseUpTo?: number;
}

// Chinese and Japanese run words together, so a name in those scripts may start or end anywhere;
// every other letter or digit is part of a word, and a name must not start or end inside one.
const unspacedScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u;
const wordCharacter = /[\p{L}\p{N}\p{M}]/u;

function isSpacedWordCharacter(character: string | undefined): boolean {
  return character !== undefined && wordCharacter.test(character) && !unspacedScript.test(character);
}

/** The code point before `index` (a surrogate pair read whole). */
function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  const isLowSurrogate = low >= 0xdc00 && low <= 0xdfff;
  return isLowSurrogate && index >= 2 ? text.slice(index - 2, index) : text[index - 1];
}

function characterAt(text: string, index: number): string | undefined {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
}

/** The character code of `name` at `depth`, -1 past its end, so a name sorts before its extensions. */
function codeAt(name: string, depth: number): number {
  return depth < name.length ? name.charCodeAt(depth) : -1;
}

export class NameMatcher<T> {
  private constructor(
    /** Folded names, sorted by code unit. */
    private readonly names: string[],
    /** The values of `names[i]`. */
    private readonly values: T[][],
    /** The spellings accepted for names that must match as written (short Latin names), by folded name. */
    private readonly spellings: Map<string, Set<string>>,
  ) {}

  static compile<T>(dictionary: Iterable<NameEntry<T>>, options: NameMatcherOptions = {}): NameMatcher<T> {
    const minLength = options.minLength ?? 2;
    const exactCaseUpTo = options.exactCaseUpTo ?? 3;
    // This loop runs once per alias of the whole graph, so it allocates little and tests whole strings;
    // word-boundary flags are worked out only for names that are found.
    const byName = new Map<string, T[]>();
    const spellings = new Map<string, Set<string>>();
    const codePoints = (text: string) => [...text].length;
    for (const { name, value } of dictionary) {
      const folded = foldName(name);
      if (folded.length < minLength || (folded.length < 2 * minLength && codePoints(folded) < minLength)) continue;
      const values = byName.get(folded);
      if (!values) byName.set(folded, [value]);
      else if (!values.includes(value)) values.push(value);
      if (folded.length <= exactCaseUpTo && codePoints(folded) <= exactCaseUpTo && !unspacedScript.test(folded)) {
        const accepted = spellings.get(folded) ?? new Set<string>();
        accepted.add(name.trim());
        spellings.set(folded, accepted);
      }
    }
    // Plain code-unit order, the order `charCodeAt` walks in.
    const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new NameMatcher(
      names,
      names.map((name) => byName.get(name)!),
      spellings,
    );
  }

  /** Distinct folded names in the dictionary. */
  get size(): number {
    return this.names.length;
  }

  /**
   * Every name in `text`, scanning left to right and taking the longest name at each position; the
   * scan resumes after a match, so a name inside a longer one is not reported again.
   */
  findAll(text: string): NameMatch<T>[] {
    const { folded, origin } = foldText(text);
    const originalStart = (at: number) => origin[at]!;
    const originalEnd = (at: number) => (at < folded.length ? origin[at]! : text.length);
    const matches: NameMatch<T>[] = [];
    let position = 0;
    while (position < folded.length) {
      // Inside a word of a spaced script no bounded name can start, and no name starts with a space.
      const here = characterAt(folded, position);
      if (here === " " || (isSpacedWordCharacter(here) && isSpacedWordCharacter(characterBefore(folded, position)))) {
        position++;
        continue;
      }
      const found = this.longestAt(text, folded, position, originalStart, originalEnd);
      if (found) {
        matches.push(found.match);
        position = found.end;
      } else position++;
    }
    return matches;
  }

  private longestAt(
    text: string,
    folded: string,
    start: number,
    originalStart: (at: number) => number,
    originalEnd: (at: number) => number,
  ): { match: NameMatch<T>; end: number } | null {
    const names = this.names;
    let low = 0;
    let high = names.length;
    let best: { match: NameMatch<T>; end: number } | null = null;
    for (let at = start; at < folded.length && low < high; at++) {
      const depth = at - start;
      const code = folded.charCodeAt(at);
      // Narrow [low, high) to the names whose character at `depth` is `code`.
      let lo = low;
      let hi = high;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (codeAt(names[mid]!, depth) < code) lo = mid + 1;
        else hi = mid;
      }
      low = lo;
      hi = high;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (codeAt(names[mid]!, depth) <= code) lo = mid + 1;
        else hi = mid;
      }
      high = lo;
      // The range's first name is exactly the text read so far, when such a name exists.
      if (low < high && names[low]!.length === depth + 1) {
        const end = at + 1;
        const name = names[low]!;
        if (this.accepts(name, text, folded, start, end, originalStart, originalEnd)) {
          best = {
            match: { start: originalStart(start), end: originalEnd(end), name, values: this.values[low]! },
            end,
          };
        }
      }
    }
    return best;
  }

  private accepts(
    name: string,
    text: string,
    folded: string,
    start: number,
    end: number,
    originalStart: (at: number) => number,
    originalEnd: (at: number) => number,
  ): boolean {
    // A match must not cut a folded character in two (a name starting or ending inside "ﬁ" -> "fi").
    if (start > 0 && originalStart(start - 1) === originalStart(start)) return false;
    if (end < folded.length && originalEnd(end) === originalStart(end - 1)) return false;
    // A name that begins (ends) with a letter or digit of a spaced script must begin (end) a word.
    if (isSpacedWordCharacter(characterAt(name, 0)) && isSpacedWordCharacter(characterBefore(folded, start)))
      return false;
    if (isSpacedWordCharacter(characterBefore(name, name.length)) && isSpacedWordCharacter(characterAt(folded, end)))
      return false;
    const spellings = this.spellings.get(name);
    return !spellings || spellings.has(text.slice(originalStart(start), originalEnd(end)));
  }
}
