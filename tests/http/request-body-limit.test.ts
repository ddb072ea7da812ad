// The request body limit over real HTTP: a body over it is refused with 413 before anything runs,
// whether its size comes in Content-Length or only shows while it streams in (chunked).
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

const limit = 2_000;
let graph: TestGraph;
let http: Server;
let port: number;

beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true, server: { requestBodyLimit: limit } });
  http = createHttpServer(graph.yoga);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  port = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await graph.close();
});

/** POSTs `body` whole (with Content-Length) or in chunks of 500 bytes (chunked, no length). */
function post(body: string, chunked: boolean): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", accept: "application/json" };
    if (!chunked) headers["content-length"] = Buffer.byteLength(body);
    const req = httpRequest({ host: "127.0.0.1", port, path: "/graphql", method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on("error", reject);
    if (chunked) for (let at = 0; at < body.length; at += 500) req.write(body.slice(at, at + 500));
    else req.write(body);
    req.end();
  });
}

// A valid request padded to the size wanted with a long name that matches nothing.
const body = (size: number) => {
  const base = JSON.stringify({
    query: `query($pad: String!) { city(name: "Chongqing") { name } nobody: entity(name: $pad) { key } }`,
    variables: { pad: "" },
  });
  return base.replace(`"pad":""`, `"pad":"${"x".repeat(Math.max(0, size - base.length))}"`);
};

describe("request body limit", () => {
  it.each([
    ["with Content-Length", false],
    ["chunked", true],
  ])("answers a body under the limit (%s)", async (_how, chunked) => {
    const { status, json } = await post(body(limit - 100), chunked);
    expect(status).toBe(200);
    expect(json).toEqual({ data: { city: { name: "Chongqing" }, nobody: null } });
  });

  it.each([
    ["with Content-Length", false],
    ["chunked", true],
  ])("refuses a body over the limit with 413, running nothing (%s)", async (_how, chunked) => {
    graph.resetStatements();
    const { status, json } = await post(body(limit + 500), chunked);
    expect(status).toBe(413);
    expect(json.errors[0]).toMatchObject({
      message: "Request body too large",
      extensions: { code: "REQUEST_ENTITY_TOO_LARGE" },
    });
    expect(json.data).toBeUndefined();
    expect(graph.statements).toEqual([]);
  });
});
