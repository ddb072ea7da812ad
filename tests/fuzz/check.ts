// What every answer must be, whatever was asked: no 5xx, JSON shaped as a GraphQL response, every
// error coded and none internal, `data` holding exactly the fields the operation asked at its root, and
// a lookup by a name holding a LIKE wildcard finding nothing (no seeded name holds one). Between two
// databases: the same status, the same `data`, the same error codes.
import { isDeepStrictEqual } from "node:util";
import {
  getOperationAST,
  isNullableType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import type { FuzzRequest } from "./documents.js";
import type { Answer } from "./send.js";

export type ProblemKind =
  | "server-error"
  | "not-json"
  | "malformed"
  | "internal-error"
  | "uncoded-error"
  | "wrong-root-fields"
  | "wildcard-matched"
  | "databases-differ";

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

/** What the request is, judged by the schema rather than by how it was built. */
export type RequestClass = "valid" | "invalid" | "unparsable" | "raw";

interface GraphQLError {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

interface GraphQLBody {
  data?: unknown;
  errors?: GraphQLError[];
}

export class Checker {
  private readonly documents = new Map<string, DocumentNode | null>();

  constructor(
    private readonly schema: GraphQLSchema,
    /** Characters no seeded name or key holds: a lookup by a text holding one must find nothing. */
    private readonly absentFromNames: string[],
  ) {}

  classify(request: FuzzRequest): RequestClass {
    if (request.transport === "raw") return "raw";
    const document = this.parsed(request.query);
    if (!document) return "unparsable";
    return validate(this.schema, document).length ? "invalid" : "valid";
  }

  problemsOf(request: FuzzRequest, answer: Answer): Problem[] {
    const problems: Problem[] = [];
    if (answer.status >= 500) problems.push({ kind: "server-error", detail: `HTTP ${answer.status}` });
    // A media type the server does not speak gets a bare 415: no GraphQL response was asked for.
    if (answer.status === 415) return problems;
    if (answer.body === undefined) return [...problems, { kind: "not-json", detail: answer.text.slice(0, 200) }];
    const shape = shapeProblem(answer.body);
    if (shape) return [...problems, { kind: "malformed", detail: shape }];
    const body = answer.body as GraphQLBody;
    for (const error of body.errors ?? []) {
      const code = error.extensions?.code;
      if (code === "INTERNAL_SERVER_ERROR" || error.message === "Unexpected error.") {
        problems.push({
          kind: "internal-error",
          detail: `${String(error.message)} at ${JSON.stringify(error.path ?? null)}`,
        });
      } else if (typeof code !== "string") {
        problems.push({ kind: "uncoded-error", detail: String(error.message) });
      }
    }
    if (this.classify(request) === "valid" && isRecord(body.data))
      problems.push(...this.dataProblems(request, body.data));
    return problems;
  }

  private dataProblems(request: FuzzRequest, data: Record<string, unknown>): Problem[] {
    const operation = getOperationAST(this.parsed(request.query)!, request.operationName ?? undefined);
    if (!operation) return [];
    const problems: Problem[] = [];
    const asked = [...new Set(responseNames(operation.selectionSet))].sort();
    const answered = Object.keys(data).sort();
    if (!isDeepStrictEqual(asked, answered)) {
      problems.push({
        kind: "wrong-root-fields",
        detail: `asked ${asked.join(", ")}; answered ${answered.join(", ")}`,
      });
    }
    const root = operation.operation === "query" ? this.schema.getQueryType() : null;
    for (const field of operation.selectionSet.selections) {
      if (!root || field.kind !== Kind.FIELD) continue;
      const text = this.wildcardArgument(field, request.variables);
      if (text === null) continue;
      const answer = data[field.alias?.value ?? field.name.value];
      const definition = root.getFields()[field.name.value];
      if (definition && found(answer, isNullableType(definition.type))) {
        problems.push({
          kind: "wildcard-matched",
          detail: `${field.name.value}(${JSON.stringify(text)}) found ${JSON.stringify(answer).slice(0, 200)}`,
        });
      }
    }
    return problems;
  }

  /** The `name` or `nameContains` text of a root field when it holds a character no name holds. */
  private wildcardArgument(field: FieldNode, variables: Record<string, unknown>): string | null {
    for (const argument of field.arguments ?? []) {
      if (argument.name.value !== "name" && argument.name.value !== "nameContains") continue;
      const value =
        argument.value.kind === Kind.STRING
          ? argument.value.value
          : argument.value.kind === Kind.VARIABLE
            ? variables[argument.value.name.value]
            : null;
      if (typeof value === "string" && this.absentFromNames.some((char) => value.includes(char))) return value;
    }
    return null;
  }

  private parsed(query: string): DocumentNode | null {
    let document = this.documents.get(query);
    if (document === undefined) {
      try {
        document = parse(query);
      } catch {
        document = null;
      }
      // One request's document, looked at several times: the cache is only for that.
      if (this.documents.size > 100) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }
}

/** Differences between the answers of two databases to the same request. */
export function differences(a: Answer, b: Answer): Problem[] {
  const problems: Problem[] = [];
  if (a.status !== b.status) problems.push({ kind: "databases-differ", detail: `HTTP ${a.status} vs ${b.status}` });
  const bodyA = (isRecord(a.body) ? a.body : {}) as GraphQLBody;
  const bodyB = (isRecord(b.body) ? b.body : {}) as GraphQLBody;
  if (!isDeepStrictEqual(bodyA.data, bodyB.data)) {
    problems.push({ kind: "databases-differ", detail: `data ${firstDifference(bodyA.data, bodyB.data)}` });
  }
  const codesA = errorCodes(bodyA);
  const codesB = errorCodes(bodyB);
  if (!isDeepStrictEqual(codesA, codesB))
    problems.push({ kind: "databases-differ", detail: `errors [${codesA}] vs [${codesB}]` });
  return problems;
}

/**
 * The codes of the errors that explain a null in `data`, by path, and of request errors. Errors beneath
 * a null another error caused are left out: whether they are reported at all depends on which field
 * finished first, not on the database.
 */
function errorCodes(body: GraphQLBody): string[] {
  return (body.errors ?? [])
    .filter((error) => !Array.isArray(error.path) || parentOf(body.data, error.path) !== null)
    .map((error) => `${JSON.stringify(error.path ?? null)} ${String(error.extensions?.code)}`)
    .sort();
}

/** The object or list holding the field at `path`, or null when an ancestor is null (or data is). */
function parentOf(data: unknown, path: unknown[]): unknown {
  let node = data;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return null;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node === undefined ? null : node;
}

function firstDifference(a: unknown, b: unknown, path = ""): string {
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!isDeepStrictEqual(a[key], b[key])) return firstDifference(a[key], b[key], `${path}.${key}`);
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    const index = a.findIndex((item, i) => !isDeepStrictEqual(item, b[i]));
    return firstDifference(a[index], b[index], `${path}[${index}]`);
  }
  return `at ${path || "."}: ${JSON.stringify(a)?.slice(0, 150)} vs ${JSON.stringify(b)?.slice(0, 150)}`;
}

function shapeProblem(body: unknown): string | null {
  if (!isRecord(body)) return `the body is ${Array.isArray(body) ? "an array" : typeof body}, not an object`;
  const extra = Object.keys(body).filter((key) => !["data", "errors", "extensions"].includes(key));
  if (extra.length) return `unexpected keys ${extra.join(", ")}`;
  if (!("data" in body) && !("errors" in body)) return "neither data nor errors";
  if ("data" in body && body.data !== null && !isRecord(body.data)) return `data is ${typeof body.data}`;
  if ("errors" in body) {
    const { errors } = body;
    if (!Array.isArray(errors) || !errors.length) return "errors is not a non-empty list";
    if (!errors.every((error) => isRecord(error) && typeof error.message === "string"))
      return "an error without a message";
  }
  return null;
}

function responseNames(selectionSet: SelectionSetNode): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.alias?.value ?? selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return responseNames(selection.selectionSet);
    return [];
  });
}

/** Whether a lookup (nullable) answered something, or a connection (not null) counted or listed something. */
function found(answer: unknown, lookup: boolean): boolean {
  if (lookup) return answer !== null && answer !== undefined;
  if (!isRecord(answer)) return false;
  return Object.values(answer).some(
    (value) => (typeof value === "number" && value > 0) || (Array.isArray(value) && value.length > 0),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
