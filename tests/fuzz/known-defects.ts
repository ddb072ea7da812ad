// Known defects being fixed elsewhere (issue 17, on main): the fuzzer tolerates the problems each one
// explains, counts them, and reports any other problem as a failure. DELETE each entry once its fix has
// landed on this branch; the fuzzer should then pass without it, and fail if the fix regresses.
import { Kind, parse, visit } from "graphql";
import type { Problem } from "./check.js";
import type { FuzzRequest } from "./documents.js";

export interface KnownDefect {
  name: string;
  /** Where it is being fixed. */
  fix: string;
  explains(request: FuzzRequest, problem: Problem): boolean;
}

export const knownDefects: KnownDefect[] = [
  {
    name: "NUL byte reaches PostgreSQL",
    fix: "main: a request check rejects NUL characters with BAD_USER_INPUT before execution",
    // Only a NUL the request spells out (in a string of the document or in a variable): one hidden
    // inside a base64 id is not this defect, as the request check will not see it.
    explains: (request, problem) => isInternal(problem) && carriesText(request, (text) => text.includes("\u0000")),
  },
  {
    // indicatorNamed (src/db/lookups.ts): indicator(name:), and every `indicator:` argument (compare,
    // observationStats, series, observations) looks the indicator up the same way.
    name: "an indicator's name is matched by an unescaped ILIKE",
    fix: "main: the ILIKE of name lookups escapes %, _ and \\",
    explains: (request, problem) =>
      (isInternal(problem) || problem.kind === "wildcard-matched") &&
      argumentTexts(request, (field, arg) => arg === "indicator" || (field === "indicator" && arg === "name")).some((text) =>
        /[%_\\]/.test(text),
      ),
  },
  {
    name: "graphql-jit answers the wrong operation of a multi-operation document",
    fix: "main: graphql-jit removed",
    explains: (request, problem) => problem.kind === "wrong-root-fields" && operationCount(request) > 1,
  },
];

/** The known defect that explains the problem, if any. */
export function knownDefectOf(request: FuzzRequest, problem: Problem): KnownDefect | undefined {
  return knownDefects.find((defect) => defect.explains(request, problem));
}

function isInternal(problem: Problem): boolean {
  return problem.kind === "internal-error" || problem.kind === "server-error";
}

/** Whether a string of the document or of the variables passes the test. */
function carriesText(request: FuzzRequest, test: (text: string) => boolean): boolean {
  if (strings(request.variables).some(test)) return true;
  let found = false;
  const document = parsed(request.query);
  if (document) visit(document, { StringValue: (node) => void (found ||= test(node.value)) });
  return found;
}

/** The strings given, inline or by variable, to the arguments `accept` picks (by field and argument name). */
function argumentTexts(request: FuzzRequest, accept: (field: string, arg: string) => boolean): string[] {
  const texts: string[] = [];
  const document = parsed(request.query);
  if (!document) return texts;
  visit(document, {
    Field(field) {
      for (const { name, value } of field.arguments ?? []) {
        if (!accept(field.name.value, name.value)) continue;
        if (value.kind === Kind.STRING) texts.push(value.value);
        if (value.kind === Kind.VARIABLE) texts.push(...strings(request.variables[value.name.value]));
      }
    },
  });
  return texts;
}

function operationCount(request: FuzzRequest): number {
  return parsed(request.query)?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length ?? 0;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)]);
  return [];
}

function parsed(query: string) {
  try {
    return parse(query);
  } catch {
    return null;
  }
}
