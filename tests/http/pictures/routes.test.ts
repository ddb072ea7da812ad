// Pictures of a neighbourhood and of an indicator series, served as SVG over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(() => graph?.close());

const get = (path: string) => graph.yoga.fetch(`http://graph.test${path}`);

describe("pictures", () => {
  it("draws Chongqing's neighbourhood with its VAT partners, each edge with its quote", async () => {
    const response = await get("/pictures/neighborhood.svg?entity=重庆&depth=1&limit=200&fold=0");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("image/svg+xml");
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(">Sichuan</text>");
    expect(svg).toContain("Chongqing refunds VAT with Sichuan — “following a 2025 agreement with Sichuan”");
    const nodes = svg.match(/<circle cx/g)!.length;
    const answer = await graph.query(
      `{ neighborhood(id: "${Buffer.from("City:chongqing").toString("base64")}", limit: 200) { nodes { id } edges { id } } }`,
    );
    // One circle per node plus one per kind in the legend.
    expect(nodes).toBeGreaterThan(answer.data!.neighborhood.nodes.length);
    expect(svg.match(/<line /g)!.length).toBe(answer.data!.neighborhood.edges.length);
  });

  it("shows the graph as it stood: no VAT partners in 2024", async () => {
    const svg = await (
      await get("/pictures/neighborhood.svg?entity=chongqing&types=VAT_REFUND_PARTNER&asOf=2024-12-31")
    ).text();
    expect(svg).not.toContain("Sichuan");
    expect(svg).toContain("as of 2024-12-31");
  });

  it("shows what is certain on a day, and with possible=1 what may have been", async () => {
    const path = "/pictures/neighborhood.svg?entity=chongqing&types=VAT_REFUND_PARTNER&asOf=2025-01-01";
    const certain = await (await get(path)).text();
    expect(certain).toContain(">Sichuan</text>");
    expect(certain).not.toContain(">Yunnan</text>");
    const possible = await (await get(`${path}&possible=1`)).text();
    expect(possible).toContain(">Yunnan</text>");
    expect(possible).toContain("as of 2025-01-01, possibly");
  });

  it("draws an indicator series, a bound drawn hollow", async () => {
    const response = await get("/pictures/series.svg?entity=chengdu-chongqing-economic-circle&indicator=GDP");
    expect(response.status).toBe(200);
    const svg = await response.text();
    expect(svg).toContain("Chengdu–Chongqing Economic Circle: GDP");
    expect(svg).toMatch(/<circle [^>]*fill="#ffffff"[^>]*><title>2025: more than 10000000000000 CNY/);
  });

  it("answers bad parameters with a 400 or 404 that says why", async () => {
    const cases: [string, number, RegExp][] = [
      ["/pictures/neighborhood.svg", 400, /"entity" is required/],
      ["/pictures/neighborhood.svg?entity=Atlantis", 404, /No entity is called "Atlantis"/],
      ["/pictures/neighborhood.svg?entity=Chongqing&depth=9", 400, /"depth" must be an integer from 1 to 3/],
      ["/pictures/neighborhood.svg?entity=Chongqing&types=FRIEND_OF", 400, /Unknown relation type\(s\): FRIEND_OF/],
      ["/pictures/neighborhood.svg?entity=Chongqing&asOf=2024-13-01", 400, /"asOf" must be a date/],
      ["/pictures/neighborhood.svg?entity=Chongqing&asOf=2025&possible=yes", 400, /"possible" must be 1/],
      ["/pictures/series.svg?entity=Chongqing&indicator=happiness", 404, /No indicator is called "happiness"/],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(await response.text()).toMatch(message);
    }
  });
});
