// Helpers for tests that write: global ids, row counts (to prove a refused write changed nothing),
// and a mutation call that returns the field's result union.
import { expect } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { TestGraph } from "./graph.js";

export const gid = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");

export type RowCounts = Record<
  | "entities"
  | "aliases"
  | "relationships"
  | "observations"
  | "rankingEntries"
  | "sources"
  | "mentions"
  | "policies"
  | "changes"
  | "redirects",
  number
>;

export async function rowCounts(prisma: PrismaClient): Promise<RowCounts> {
  const [
    entities,
    aliases,
    relationships,
    observations,
    rankingEntries,
    sources,
    mentions,
    policies,
    changes,
    redirects,
  ] = await Promise.all([
    prisma.entity.count(),
    prisma.alias.count(),
    prisma.relationship.count(),
    prisma.observation.count(),
    prisma.rankingEntry.count(),
    prisma.source.count(),
    prisma.mention.count(),
    prisma.policyDetail.count(),
    prisma.change.count(),
    prisma.entityRedirect.count(),
  ]);
  return {
    entities,
    aliases,
    relationships,
    observations,
    rankingEntries,
    sources,
    mentions,
    policies,
    changes,
    redirects,
  };
}

/** Every field of a mutation's result selected generically: the union's typename, error details, and the changes. */
export const resultFields = /* GraphQL */ `
  __typename
  ... on Error { message code }
  ... on ValidationError { fieldErrors { path message } }
  ... on ForbiddenError { reason requiredScope }
`;

export type MutationResult = {
  __typename: string;
  message?: string;
  code?: string;
  fieldErrors?: { path: string[]; message: string }[];
  reason?: string;
  requiredScope?: string | null;
} & Record<string, any>;

/** Runs one mutation and returns its result union; GraphQL-level errors fail the test. */
export async function mutate(
  graph: TestGraph,
  token: string | undefined,
  document: string,
  variables: Record<string, unknown> = {},
): Promise<MutationResult> {
  const response = await graph.query<Record<string, MutationResult>>(document, variables, { token });
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data!)[0]!;
}

/** Creates a city through `createEntity` and returns its global id and key. */
export async function createCity(graph: TestGraph, token: string, name: string): Promise<{ id: string; key: string }> {
  const result = await mutate(
    graph,
    token,
    `mutation($name: String!) { createEntity(input: { kind: CITY, name: $name }) { ${resultFields} ... on CreateEntitySuccess { entity { id key } } } }`,
    { name },
  );
  return result.entity as { id: string; key: string };
}

/** Expects a refused write: the error type, optionally the field paths, and that nothing changed. */
export async function expectRefused(
  graph: TestGraph,
  attempt: () => Promise<MutationResult>,
  typename: string,
  paths?: string[][],
): Promise<MutationResult> {
  const before = await rowCounts(graph.db.prisma);
  const result = await attempt();
  expect(result.__typename, result.message).toBe(typename);
  if (paths) expect(result.fieldErrors?.map((error) => error.path)).toEqual(paths);
  expect(await rowCounts(graph.db.prisma)).toEqual(before);
  return result;
}
