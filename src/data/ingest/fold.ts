// Text folded for name matching, with a map back to the original: names are compared folded (any case,
// accents, widths, quote and dash styles), but whatever is shown or checked afterwards must come from the
// original text, so every folded code unit remembers which original code unit it came from.

export interface FoldedText {
  /** Case, width and accents folded as in `normalizeName`, typographic quotes and dashes made plain, whitespace runs made one space. */
  folded: string;
  /** For each UTF-16 code unit of `folded`, the index in the original text of the character it came from. */
  origin: number[];
}

const marks = /\p{M}/gu;
const whitespace = /\s/u;
// Articles and aliases spell the same name with either apostrophe or dash ("China’s", "Chengdu–Chongqing");
// the alias table holds both forms only for some names, so both sides are folded to the ASCII form.
const apostrophes = /[\u2018\u2019\u02bc\u0060\u00b4\u2032]/g;
const dashes = /[\u2010-\u2015\u2212]/g;

function foldCharacter(character: string): string {
  return character
    .normalize("NFKD")
    .replace(marks, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(apostrophes, "'")
    .replace(dashes, "-");
}

/** Folds character by character (not the whole string at once) so the origin of every folded unit is known. */
export function foldText(text: string): FoldedText {
  let folded = "";
  const origin: number[] = [];
  let index = 0;
  for (const character of text) {
    if (whitespace.test(character)) {
      if (folded.length > 0 && !folded.endsWith(" ")) {
        folded += " ";
        origin.push(index);
      }
    } else {
      // ASCII needs only lower-casing; the Unicode path is kept for the rest (a dictionary of 100,000
      // names is folded once per ingestion, so this is most of its cost). A lone combining mark folds
      // to nothing, exactly as normalizeName drops it.
      const code = character.charCodeAt(0);
      const piece =
        code < 0x80 && code !== 0x60
          ? code >= 0x41 && code <= 0x5a
            ? String.fromCharCode(code + 32)
            : character
          : foldCharacter(character);
      folded += piece;
      for (let i = 0; i < piece.length; i++) origin.push(index);
    }
    index += character.length;
  }
  return { folded, origin };
}

const plainAscii = /^[\x21-\x5f\x61-\x7e]*(?: [\x21-\x5f\x61-\x7e]+)*$/;

/** A name folded the same way as text, without the trailing space a text may keep. */
export function foldName(name: string): string {
  // Most names are printable ASCII with single spaces, where folding is lower-casing; the shortcut
  // matters when a whole graph's aliases are folded.
  if (plainAscii.test(name)) return name.toLowerCase();
  return foldText(name).folded.trimEnd();
}
