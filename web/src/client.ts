// The explorer's GraphQL client: urql over the same origin, every operation sent as a persisted
// document. The build put each document's text in the server's trusted manifest under the SHA-256 of
// exactly the text urql would send (scripts/web-build.ts hashes `stringifyDocument`), so the request
// carries the hash alone; a server without the manifest answers PersistedQueryNotFound and urql
// retries with the text (automatic persisted queries).
import { Client, cacheExchange, fetchExchange, type AnyVariables, type TypedDocumentNode } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const client = new Client({
  url: "/graphql",
  exchanges: [
    cacheExchange,
    persistedExchange({ preferGetForPersistedQueries: false, generateHash: (query) => sha256(query) }),
    fetchExchange,
  ],
  requestPolicy: "cache-first",
});

/** An operation's data, or an error whose message says what failed (the server's, when it said). */
export async function ask<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const result = await client.query(document, variables).toPromise();
  if (result.error) throw new Error(result.error.graphQLErrors[0]?.message ?? result.error.message);
  if (!result.data) throw new Error("The server answered without data.");
  return result.data;
}
