// Global ids are base64("Type:key"), with the key stable across re-seeds and databases.

// Types whose key is their row's number (an `Int` column), not a text key. Any other key reached Prisma
// as NaN ("Change:chongqing") or beyond a 4-byte integer and came back as an internal error.
const numberedTypes = new Set(["Change"]);
const maxInt = 2 ** 31 - 1;

const ascii = /^[\x00-\x7f]*$/;

/**
 * The global id of `typename`'s `key`: the same text as plugin-relay's `encodeGlobalID` (base64 of
 * the UTF-8 of "Type:key"). An ASCII key, every generated one, is encoded by `btoa`, whose Latin-1 is
 * UTF-8 for those characters, at about a quarter of the cost of a Buffer per id: a list of 635
 * observations answers 2,540 ids (docs/performance.md, "fifth pass"). Others go through a Buffer.
 */
export function encodeGlobalId(typename: string, key: string): string {
  const text = `${typename}:${key}`;
  return ascii.test(text) ? btoa(text) : Buffer.from(text).toString("base64");
}

/** The type name and key a global id holds; null when it is not one (not canonical base64 included). */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  // No control characters in a key: a NUL hidden in the base64 reached PostgreSQL, which refuses it in
  // text, and came back as an internal error.
  const match = /^([A-Za-z]+):([^\s\p{Cc}]{1,200})$/u.exec(decoded);
  if (!match || Buffer.from(decoded).toString("base64") !== globalId) return null;
  const typename = match[1]!;
  const id = match[2]!;
  if (numberedTypes.has(typename) && !(/^[1-9]\d{0,9}$/.test(id) && Number(id) <= maxInt)) return null;
  return { typename, id };
}
