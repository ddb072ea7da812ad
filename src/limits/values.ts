// Checks of the plain JSON values a request brings (its variables), walked with an explicit stack: a
// value nested 100,000 levels deep is exactly what they must survive, where graphql-js's coercion
// and JSON.stringify would overflow the call stack.

/**
 * What is wrong with a request's variables: nested too deep, a NUL character (PostgreSQL stores no
 * U+0000), or a lone UTF-16 surrogate ("\ud83d": valid in a JSON string, not Unicode text, and
 * refused by Prisma's query protocol). GraphQL's parser refuses a lone surrogate in the document
 * itself, so only the variables need this look. `path` names where: `$name.key[2]`.
 */
export type ValueProblem = { kind: "depth"; depth: number } | { kind: "nul" | "surrogate"; path: string };

const loneSurrogate = /\p{Cs}/u;

function textProblem(text: string, path: string): ValueProblem | null {
  if (text.includes("\0")) return { kind: "nul", path };
  if (loneSurrogate.test(text)) return { kind: "surrogate", path };
  return null;
}

/** The first problem of a request's variables, or null. */
export function checkVariables(
  variables: Record<string, unknown> | null | undefined,
  maxDepth: number,
): ValueProblem | null {
  const pending: [unknown, number, string][] = Object.entries(variables ?? {}).map(([name, value]) => [
    value,
    1,
    `$${name}`,
  ]);
  while (pending.length) {
    const [item, depth, path] = pending.pop()!;
    if (typeof item === "string") {
      const problem = textProblem(item, path);
      if (problem) return problem;
    } else if (item !== null && typeof item === "object") {
      if (depth >= maxDepth) return { kind: "depth", depth: depth + 1 };
      if (Array.isArray(item)) {
        for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], depth + 1, `${path}[${i}]`]);
      } else {
        for (const [key, inner] of Object.entries(item)) {
          const problem = textProblem(key, `${path} (the key "${key.replace(/[\0\p{Cs}]/gu, "?")}")`);
          if (problem) return problem;
          pending.push([inner, depth + 1, `${path}.${key}`]);
        }
      }
    }
  }
  return null;
}
