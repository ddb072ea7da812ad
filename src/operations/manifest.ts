// Persisted operations' manifest: the documents a client may name by id instead of sending their
// text. Read from the forms client tooling writes (a JSON object of id -> document, as our
// `npm run operations -- persist`, Relay's compiler and GraphQL Codegen's client preset emit it,
// or Apollo's persisted query manifest), and checked against the schema before the server takes it:
// a document that no longer validates is a deploy error, not a surprise for the client that sends it.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { type DocumentNode, type GraphQLError, parse, validate, type GraphQLSchema } from "graphql";
import { ManifestError } from "../errors.js";

/** Document text by id. */
export type Manifest = ReadonlyMap<string, string>;

/** Our ids: the SHA-256 of the document's text, in hex (APQ's hash, so either protocol finds it). */
export function operationId(document: string): string {
  return createHash("sha256").update(document).digest("hex");
}

/** Why a document is not a valid operation of `schema`, one line per problem; none when it is. */
export function documentProblems(schema: GraphQLSchema, document: string): string[] {
  let parsed: DocumentNode;
  try {
    parsed = parse(document);
  } catch (error) {
    return [describe(error as GraphQLError)];
  }
  return validate(schema, parsed).map(describe);
}

function describe(error: GraphQLError): string {
  const at = error.locations?.[0];
  return at ? `${at.line}:${at.column}: ${error.message}` : error.message;
}

/** The id -> document entries of a manifest in any of the accepted forms; throws on any other shape. */
export function manifestEntries(json: unknown): [string, string][] {
  if (json && typeof json === "object" && !Array.isArray(json) && "operations" in json && "format" in json) {
    const { format, operations } = json as { format: unknown; operations: unknown };
    if (format !== "apollo-persisted-query-manifest" || !Array.isArray(operations)) {
      throw new ManifestError(
        `an object with "format" must be an Apollo persisted query manifest (format "apollo-persisted-query-manifest" with an "operations" list), got format ${JSON.stringify(format)}`,
      );
    }
    return operations.map((operation, index) => {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== "string" || !id || typeof body !== "string")
        throw new ManifestError(`operations[${index}] needs a string "id" and "body"`);
      return [id, body];
    });
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new ManifestError(
      "a manifest is a JSON object of id -> document text, or an Apollo persisted query manifest",
    );
  }
  return Object.entries(json).map(([id, document]) => {
    if (typeof document !== "string")
      throw new ManifestError(`the document of "${id}" must be a string, got ${typeof document}`);
    return [id, document];
  });
}

/** A manifest checked against `schema`: every document parses and validates, or nothing is taken. */
export function checkManifest(schema: GraphQLSchema, json: unknown): Manifest {
  const entries = manifestEntries(json);
  const problems = entries.flatMap(([id, document]) =>
    documentProblems(schema, document).map((problem) => `  ${id}: ${problem}`),
  );
  if (problems.length)
    throw new ManifestError(`${problems.length} problem(s) with the schema:\n${problems.join("\n")}`);
  return new Map(entries);
}

/** Reads and checks a manifest file; its errors name the file. */
export function readManifest(schema: GraphQLSchema, path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ManifestError(`Persisted operations ${path}: ${(error as Error).message}`);
  }
  try {
    return checkManifest(schema, json);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new ManifestError(`Persisted operations ${path}: ${error.message}`);
  }
}

/** The manifest a server starts with: the configured file, or none when the default one is absent. */
export function loadManifest(schema: GraphQLSchema, { path, required }: { path: string; required: boolean }): Manifest {
  return !required && !existsSync(path) ? new Map() : readManifest(schema, path);
}

export interface PersistResult {
  manifest: Manifest;
  /** Each document read, with its id and whether the manifest lacked it. */
  documents: { file: string; id: string; added: boolean }[];
}

/**
 * Adds documents (one per file, under their SHA-256) to a manifest; refuses all of them, naming
 * file, line and column, when any fails to parse or validate.
 */
export function persistDocuments(
  schema: GraphQLSchema,
  existing: Manifest,
  files: readonly { file: string; text: string }[],
): PersistResult {
  const problems = files.flatMap(({ file, text }) =>
    documentProblems(schema, text).map((problem) => `  ${file}:${problem}`),
  );
  if (problems.length)
    throw new ManifestError(`${problems.length} problem(s) with the schema, nothing written:\n${problems.join("\n")}`);
  const manifest = new Map(existing);
  const documents = files.map(({ file, text }) => {
    const id = operationId(text);
    const added = !manifest.has(id);
    manifest.set(id, text);
    return { file, id, added };
  });
  return { manifest, documents };
}

/** A manifest as our CLI writes it: ids sorted, so that it diffs well. */
export function formatManifest(manifest: Manifest): string {
  return `${JSON.stringify(Object.fromEntries([...manifest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), null, 2)}\n`;
}
