// Prisma sends `contains` (with or without `mode: "insensitive"`) as LIKE '%' || text || '%' and does not
// escape the text: a `%` or `_` in a name filter matched every name. Backslash is PostgreSQL's default
// LIKE escape character, so escaping the three makes the text match itself only.
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
