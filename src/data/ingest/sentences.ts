// Splits an article into sentences, the unit a mention quotes. Intl.Segmenter (ICU's sentence rules)
// handles Chinese "。！？" and line breaks, but without ICU's abbreviation list it also breaks after
// "Mr.", "No." or "U.S."; the breaks it makes after such words are undone here.

export interface Sentence {
  /** The sentence verbatim, without the whitespace around it: `text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
}

// Lower-cased, without the final period. Words that often end a sentence ("etc.", "Inc." at the end of
// a company name) are left out: a wrong break is cheaper than two sentences glued into one quote.
const abbreviations = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "gen",
  "gov",
  "sen",
  "rep",
  "pres",
  "rev",
  "hon",
  "no",
  "nos",
  "vol",
  "fig",
  "art",
  "sec",
  "ch",
  "p",
  "pp",
  "approx",
  "est",
  "dept",
  "univ",
  "co",
  "ltd",
  "corp",
  "bros",
  "vs",
  "e.g",
  "i.e",
  "cf",
  "viz",
  "a.m",
  "p.m",
  "u.s",
  "u.k",
  "u.n",
  "e.u",
  "p.r.c",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** The word before a final period ("Mr" of "... Mr. "), dots inside kept ("u.s"); null when the piece does not end with one. */
function wordBeforePeriod(piece: string): string | null {
  const match = /(?:^|[\s("'“‘])([\p{L}.]+)\.["'”’)]?\s*$/u.exec(piece);
  return match ? match[1]!.toLowerCase() : null;
}

/** Whether ICU's break after `piece` (followed by `next`) falls inside a sentence. */
function isFalseBreak(piece: string, next: string): boolean {
  // A line break is where headlines and paragraphs end, whatever precedes it.
  if (/[\r\n\u2028\u2029]\s*$/.test(piece)) return false;
  // The next piece going on in lower case ('"Is it?" he asked.') continues the sentence.
  if (/^\s*\p{Ll}/u.test(next)) return true;
  const word = wordBeforePeriod(piece);
  if (word === null) return false;
  // An initial ("J. R. Smith"): one capital letter.
  if (/(?:^|[\s(])\p{Lu}\.\s*$/u.test(piece)) return true;
  return abbreviations.has(word);
}

export function splitSentences(text: string): Sentence[] {
  const pieces = [...segmenter.segment(text)];
  const sentences: Sentence[] = [];
  let start = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const next = pieces[i + 1];
    if (next && isFalseBreak(piece.segment, next.segment)) continue;
    const end = piece.index + piece.segment.length;
    const raw = text.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) sentences.push({ text: trimmed, start: start + leading, end: start + leading + trimmed.length });
    start = end;
  }
  return sentences;
}
