// One generated request through the Yoga app in process, as a client would send it over HTTP; the
// answer kept raw (status, text) so a malformed one is seen as such rather than failing to parse.
import type { GraphServer } from "../../src/server.js";
import type { FuzzRequest } from "./documents.js";

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  ms: number;
}

const endpoint = "http://graph.test/graphql";
const accept = "application/graphql-response+json";

export async function send(yoga: GraphServer, request: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  const response = await yoga.fetch(...httpRequest(request));
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    text,
    body,
    ms: performance.now() - started,
  };
}

function httpRequest(request: FuzzRequest): [string, RequestInit] {
  if (request.transport === "raw") {
    return [
      endpoint,
      {
        method: "POST",
        headers: { "content-type": request.contentType ?? "application/json", accept },
        body: request.body ?? "",
      },
    ];
  }
  const params = {
    query: request.query,
    ...(Object.keys(request.variables).length ? { variables: request.variables } : {}),
    ...(request.operationName ? { operationName: request.operationName } : {}),
  };
  if (request.transport === "get") {
    const url = new URL(endpoint);
    for (const [name, value] of Object.entries(params))
      url.searchParams.set(name, typeof value === "string" ? value : JSON.stringify(value));
    // With the header a GraphQL client sends on GET (CSRF prevention): the request is fuzzed, not refused.
    return [url.toString(), { method: "GET", headers: { accept, "x-graphql-yoga-csrf": "1" } }];
  }
  return [
    endpoint,
    { method: "POST", headers: { "content-type": "application/json", accept }, body: JSON.stringify(params) },
  ];
}
