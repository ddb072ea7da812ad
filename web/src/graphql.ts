// Typed documents: gql.tada infers each operation's result and variables from the schema printed at
// the repository's root (introspected into graphql-env.d.ts by `npm run web:build`), so a field the
// server drops or renames fails the explorer's type check, not a user's click.
import { initGraphQLTada } from "gql.tada";
import type { introspection } from "./graphql-env.d.ts";

export const graphql = initGraphQLTada<{
  introspection: introspection;
  // Fragments describe what a component reads, not a privacy boundary: their fields arrive inline.
  disableMasking: true;
  scalars: { PartialDate: string; Date: string; DateTime: string; JSON: unknown };
}>();

export type { ResultOf } from "gql.tada";
