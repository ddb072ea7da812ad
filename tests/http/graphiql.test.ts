// GraphiQL's page over real HTTP: about 9 MB of HTML (render-graphiql inlines GraphiQL, Monaco and
// its workers), sent compressed by the client's Accept-Encoding, with a validator that makes a
// return visit a 304 of no body.
import { createServer as createHttpServer, get, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEncoding } from "../../src/http/graphiql.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
let http: Server;
let port: number;

beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  http = createHttpServer(graph.yoga);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  port = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await graph?.close();
});

/** GET /graphql for HTML; the body as the bytes on the wire (node:http decodes nothing). */
function page(
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/graphql", headers: { accept: "text/html", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

describe("GraphiQL's page", () => {
  let raw: Awaited<ReturnType<typeof page>>;
  beforeAll(async () => {
    raw = await page({});
  });

  it("is sent whole to a client that accepts no encoding, with a validator and a cache policy", () => {
    expect(raw.status).toBe(200);
    expect(raw.headers["content-encoding"]).toBeUndefined();
    expect(raw.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
    expect(raw.body.length).toBeGreaterThan(5_000_000);
    expect(raw.body.toString()).toContain("China regional economy graph");
    expect(raw.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(raw.headers["cache-control"]).toBe("no-cache");
    expect(raw.headers.vary).toMatch(/accept-encoding/i);
  });

  it.each([
    ["br", "gzip, deflate, br", brotliDecompressSync],
    ["gzip", "gzip, deflate", gunzipSync],
  ] as const)(
    "is sent as %s, at most a third of the bytes, decoding to the same page",
    async (encoding, accept, decode) => {
      const compressed = await page({ "accept-encoding": accept });
      expect(compressed.status).toBe(200);
      expect(compressed.headers["content-encoding"]).toBe(encoding);
      expect(Number(compressed.headers["content-length"])).toBe(compressed.body.length);
      expect(compressed.body.length).toBeLessThan(raw.body.length / 3);
      expect(decode(compressed.body).equals(raw.body)).toBe(true);
      expect(compressed.headers.etag).toBe(raw.headers.etag);
      expect(compressed.headers["cache-control"]).toBe("no-cache");
    },
  );

  it("answers 304 with no body to a client that holds it", async () => {
    const again = await page({ "accept-encoding": "br", "if-none-match": raw.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(raw.headers.etag);
    const other = await page({ "accept-encoding": "br", "if-none-match": 'W/"something-else"' });
    expect(other.status).toBe(200);
  });
});

describe("the encoding chosen", () => {
  it.each([
    [null, "identity"],
    ["", "identity"],
    ["gzip", "gzip"],
    ["gzip, br", "br"],
    ["br;q=0, gzip", "gzip"],
    ["br;q=0, gzip;q=0", "identity"],
    ["*", "br"],
    ["*;q=0, gzip", "gzip"],
    ["deflate", "identity"],
  ])("Accept-Encoding %j: %s", (header, encoding) => {
    expect(chooseEncoding(header)).toBe(encoding);
  });
});
