// Global ids are base64("Type:key"), with the key stable across re-seeds and databases.

/** The type name and key a global id holds; null when it is not one (not canonical base64 included). */
export function parseGlobalId(globalId: string): { typename: string; id: string } | null {
  const decoded = Buffer.from(globalId, "base64").toString("utf8");
  const match = /^([A-Za-z]+):(\S{1,200})$/.exec(decoded);
  if (!match || Buffer.from(decoded).toString("base64") !== globalId) return null;
  return { typename: match[1]!, id: match[2]! };
}
