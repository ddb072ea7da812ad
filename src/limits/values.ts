// Checks of plain JSON values a request brings (its variables) and a result takes back (its data).
// Both walk with an explicit stack: a value nested 100,000 levels deep is exactly what they must
// survive, where graphql-js's coercion and JSON.stringify would overflow the call stack.

export type ValueProblem = { kind: "depth"; depth: number } | { kind: "nul"; path: string };

/** The first problem of `value`: nested deeper than `maxDepth`, or a string (or key) holding U+0000. */
export function checkValue(value: unknown, maxDepth: number): ValueProblem | null {
  const pending: [unknown, number, string][] = [[value, 0, "variables"]];
  while (pending.length) {
    const [item, depth, path] = pending.pop()!;
    if (typeof item === "string") {
      if (item.includes("\0")) return { kind: "nul", path };
    } else if (item !== null && typeof item === "object") {
      if (depth >= maxDepth) return { kind: "depth", depth: depth + 1 };
      if (Array.isArray(item)) {
        for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], depth + 1, `${path}[${i}]`]);
      } else {
        for (const [key, inner] of Object.entries(item)) {
          if (key.includes("\0")) return { kind: "nul", path: `${path} (a key)` };
          pending.push([inner, depth + 1, `${path}.${key}`]);
        }
      }
    }
  }
  return null;
}

/**
 * Whether `value` printed as JSON would take more than `max` characters; counts as it goes and stops
 * at the limit, so an answer that is too large is never printed whole to find out.
 */
export function exceedsJsonLength(value: unknown, max: number): boolean {
  let length = 0;
  const pending: unknown[] = [value];
  while (pending.length) {
    const item = pending.pop();
    if (typeof item === "string") {
      length += item.length + 2;
    } else if (typeof item === "number" || typeof item === "boolean" || typeof item === "bigint") {
      length += String(item).length;
    } else if (item === null || item === undefined) {
      length += 4;
    } else if (Array.isArray(item)) {
      length += 2 + item.length;
      for (const inner of item) pending.push(inner);
    } else if (item instanceof Date) {
      length += 26;
    } else if (typeof item === "object") {
      length += 2;
      for (const key in item) {
        length += key.length + 4;
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
    if (length > max) return true;
  }
  return false;
}
