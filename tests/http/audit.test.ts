// The GraphQL over HTTP audit of graphql-http, over real HTTP: every audit passes, the hardening
// (CSRF prevention, limits, coded errors) included. A GET needs a preflight header here, as
// clients that use GET send one; the audit's own requests are given it.
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { auditServer } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
let server: Server;
let url: string;
beforeAll(async () => {
  graph = await startTestGraph({ seed: false });
  server = createHttpServer(graph.yoga);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await graph?.close();
});

describe("GraphQL over HTTP (graphql-http's audit)", () => {
  it("passes every audit", async () => {
    const withPreflightHeader: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("x-graphql-yoga-csrf", "1");
      return fetch(input, { ...init, headers });
    };
    const results = await auditServer({ url, fetchFn: withPreflightHeader });
    const failed = results
      .filter((result) => result.status !== "ok")
      .map((result) => `${result.id} ${result.name}: ${result.status} ${"reason" in result ? result.reason : ""}`);
    expect(failed).toEqual([]);
    expect(results.length).toBe(61);
  });
});
