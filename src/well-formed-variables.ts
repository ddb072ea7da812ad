// Text reaches PostgreSQL through Prisma, whose query engine takes each query as JSON and refuses a
// lone UTF-16 surrogate ("\ud83d": valid in a JSON string, not Unicode text). A variable holding one
// came back as an internal error from whichever resolver passed it on. GraphQL's parser refuses one in
// the document itself, so only the variables need a look, before anything runs.
import { createGraphQLError, type Plugin } from "graphql-yoga";

const loneSurrogate = /\p{Cs}/u;

export function useWellFormedVariables(): Plugin {
  return {
    onParams({ params }) {
      const variable = illFormedVariable(params.variables);
      if (variable !== null) {
        throw createGraphQLError(`Variable "$${variable}" holds a lone UTF-16 surrogate; text must be well-formed Unicode.`, {
          extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
        });
      }
    },
  };
}

/** The variable whose value holds a lone surrogate in a string or an object key; null when none does. */
function illFormedVariable(variables: Record<string, unknown> | undefined): string | null {
  // A loop, not recursion: variables may nest deeper than the stack.
  const pending = Object.entries(variables ?? {}).map(([variable, value]) => ({ variable, value }));
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { variable, value } = visit;
    if (typeof value === "string") {
      if (loneSurrogate.test(value)) return variable;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push({ variable, value: item });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (loneSurrogate.test(key)) return variable;
        pending.push({ variable, value: item });
      }
    }
  }
  return null;
}
