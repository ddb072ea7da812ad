// Prisma sends `contains` (with or without `mode: "insensitive"`) as LIKE '%' || text || '%', and a
// case-insensitive `equals` as ILIKE text, without escaping the text: a `%` or `_` in a name matched
// every name, and a trailing backslash was an error. Backslash is PostgreSQL's default LIKE escape
// character, so escaping the three makes the text match itself only.
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
