// Global ids are base64("Type:key"), with the key stable across re-seeds and databases.

/** The type name and key a global id holds; null when it is not one (not canonical base64 included). */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  // No control characters in a key: a NUL hidden in the base64 reached PostgreSQL, which refuses it in
  // text, and came back as an internal error.
  const match = /^([A-Za-z]+):([^\s\p{Cc}]{1,200})$/u.exec(decoded);
  if (!match || Buffer.from(decoded).toString("base64") !== globalId) return null;
  return { typename: match[1]!, id: match[2]! };
}
