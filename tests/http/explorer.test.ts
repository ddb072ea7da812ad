// The explorer's files over real HTTP: the page and its assets compressed as the browser accepts,
// hashed assets cached for good, the page revalidated by its ETag, a policy that keeps the page on
// this origin; and a plain answer, not a blank page, where the explorer was not built.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explorerManifest } from "../../src/http/explorer.js";
import { schema } from "../../src/schema/index.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on("error", reject)
      .end();
  });
}

async function listen(graph: TestGraph): Promise<{ http: Server; origin: string }> {
  const http = createHttpServer(graph.yoga);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { http, origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

describe("the explorer's files", () => {
  const dir = mkdtempSync(join(tmpdir(), "explorer-"));
  const page = "<!doctype html><html><body><script type=module src=/assets/app-abc123.js></script></body></html>";
  const script = `console.log(${JSON.stringify("x".repeat(5000))});`;
  let graph: TestGraph;
  let served: { http: Server; origin: string };

  beforeAll(async () => {
    const { brotliCompressSync, gzipSync } = await import("node:zlib");
    writeFileSync(join(dir, "index.html"), page);
    writeFileSync(join(dir, "index.html.br"), brotliCompressSync(page));
    writeFileSync(join(dir, "index.html.gz"), gzipSync(page));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "assets", "app-abc123.js"), script);
    writeFileSync(join(dir, "assets", "app-abc123.js.br"), brotliCompressSync(script));
    writeFileSync(join(dir, "assets", "app-abc123.js.gz"), gzipSync(script));
    graph = await startTestGraph({ readOnly: true, server: { explorerDir: dir } });
    served = await listen(graph);
  });
  afterAll(async () => {
    await new Promise((resolve) => served.http.close(resolve));
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the page at / as brotli or gzip as accepted, revalidated by ETag, confined to this origin", async () => {
    const br = await get(`${served.origin}/`, { "accept-encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString()).toBe(page);
    expect(br.headers["cache-control"]).toBe("no-cache");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(br.headers["content-security-policy"]).toContain("connect-src 'self'");
    const gzip = await get(`${served.origin}/`, { "accept-encoding": "gzip" });
    expect(gunzipSync(gzip.body).toString()).toBe(page);
    const plain = await get(`${served.origin}/`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
    const again = await get(`${served.origin}/`, { "if-none-match": String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it("caches hashed assets for a year and answers 404 for an asset it does not have", async () => {
    const asset = await get(`${served.origin}/assets/app-abc123.js`, { "accept-encoding": "br" });
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(asset.body).toString()).toBe(script);
    expect(asset.body.length).toBeLessThan(script.length / 10);
    expect((await get(`${served.origin}/assets/missing.js`)).status).toBe(404);
  });

  it("leaves the API where it was: /graphql still answers queries", async () => {
    const answer = await get(
      `${served.origin}/graphql?query=${encodeURIComponent('{ city(name: "Chongqing") { name } }')}`,
      {
        "graphql-preflight": "1",
      },
    );
    expect(JSON.parse(answer.body.toString())).toEqual({ data: { city: { name: "Chongqing" } } });
  });
});

describe("without a build of the explorer", () => {
  it("says how to build it at /, and a manifest of its operations is empty rather than an error", async () => {
    const empty = mkdtempSync(join(tmpdir(), "no-explorer-"));
    const graph = await startTestGraph({ readOnly: true, server: { explorerDir: empty } });
    const served = await listen(graph);
    try {
      const answer = await get(`${served.origin}/`);
      expect(answer.status).toBe(503);
      expect(answer.body.toString()).toContain("npm run web:build");
      expect(explorerManifest(schema, () => {}, empty).size).toBe(0);
    } finally {
      await new Promise((resolve) => served.http.close(resolve));
      await graph.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("warns and leaves the explorer's operations out when they no longer match the schema", () => {
    const stale = mkdtempSync(join(tmpdir(), "stale-explorer-"));
    writeFileSync(join(stale, "persisted-documents.json"), JSON.stringify({ abc: "query Gone { noSuchField }" }));
    const warnings: string[] = [];
    expect(explorerManifest(schema, (message) => warnings.push(message), stale).size).toBe(0);
    expect(warnings.join("\n")).toMatch(/no longer match the schema; run `npm run web:build`.*noSuchField/s);
    rmSync(stale, { recursive: true, force: true });
  });
});
