// The request body limit, without Yoga's per-request cost. Yoga's own (maxRequestBodySize) pipes
// every body through a counting TransformStream into a new Request, even when Content-Length already
// tells the size: on the lookup by id that was half the server's CPU per request (0.66 -> 0.34 ms,
// README, Performance). Node's HTTP parser reads exactly Content-Length bytes of body, so a body
// with that header is checked by the header alone; only bodies without it (chunked) are counted.
import { createGraphQLError, type Plugin } from "graphql-yoga";

/** Yoga's default limit. */
const defaultRequestBodyLimit = 25_000_000;

const tooLarge = () =>
  createGraphQLError("Request body too large", {
    extensions: { code: "REQUEST_ENTITY_TOO_LARGE", http: { status: 413 } },
  });

export function useRequestBodyLimit(limit: number = defaultRequestBodyLimit): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get("content-length");
      if (length != null) {
        // One non-negative integer only: comma-joined values are a request-smuggling pattern.
        if (!/^\d+$/.test(length)) {
          throw createGraphQLError("Content-Length header is invalid.", {
            extensions: { code: "BAD_REQUEST", http: { status: 400 } },
          });
        }
        if (Number(length) > limit) throw tooLarge();
        return;
      }
      const body = request.body;
      if (!requestParser || !body) return;
      let read = 0;
      // A native body (yoga.fetch with a native Request) needs the native TransformStream, as in Yoga.
      const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
      const counted = body.pipeThrough(
        new Transform({
          transform(chunk: Uint8Array, controller) {
            read += chunk.byteLength;
            if (read > limit) controller.error(tooLarge());
            else controller.enqueue(chunk);
          },
        }),
      );
      const parse = requestParser;
      setRequestParser(() =>
        parse(
          new fetchAPI.Request(request.url, {
            method: request.method,
            headers: request.headers,
            signal: request.signal,
            body: counted,
            duplex: "half",
          } as RequestInit),
        ),
      );
    },
  };
}
