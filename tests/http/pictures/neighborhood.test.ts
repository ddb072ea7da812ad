// The neighbourhood picture as a new user sees it: hubs folded, every edge an arrow with its relation,
// no label cut at the edge of the picture or drawn over another.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Box, textBox } from "../../../src/http/pictures/labels.js";
import { startTestGraph, type TestGraph } from "../../support/graph.js";
import { checkWellFormed } from "../../support/xml.js";

let graph: TestGraph;
let relationLabels: Map<string, string>;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
  const answer = await graph.query("{ relationTypes { key label } }");
  relationLabels = new Map(
    answer.data!.relationTypes.map((type: { key: string; label: string }) => [type.key, type.label]),
  );
});
afterAll(() => graph?.close());

const get = (path: string) => graph.yoga.fetch(`http://graph.test${path}`);
const picture = async (query: string) => {
  const response = await get(`/pictures/neighborhood.svg?${query}`);
  expect(response.status, query).toBe(200);
  return response.text();
};

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

const attributesOf = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, name, value]) => [name!, unescapeXml(value!)]));

/** The picture's texts, edges and nodes, after checking that it is well-formed XML. */
function read(svg: string) {
  const summary = checkWellFormed(svg, ["svg", "marker"]);
  const [left, top, width, height] = summary.attributes.get("svg")![0]!.viewBox!.split(" ").map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const texts = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(
    ([, attributes, text]): Record<string, string> => ({
      ...attributesOf(attributes!),
      text: unescapeXml(text!),
    }),
  );
  const edges = [...svg.matchAll(/<line ([^>]*)><title>([^<]*)<\/title><\/line>/g)].map(
    ([, attributes, hint]): Record<string, string> => ({
      ...attributesOf(attributes!),
      hint: unescapeXml(hint!),
    }),
  );
  const nodes = [
    ...svg.matchAll(/<g><title>([^<]*)<\/title><circle [^>]*\/>(?:<text [^>]*>([^<]*)<\/text>)?<\/g>/g),
  ].map(([, title, label]) => ({ title: unescapeXml(title!), label: label === undefined ? null : unescapeXml(label) }));
  return { summary, view: { left, top, right: left + width, bottom: top + height }, texts, edges, nodes };
}

const boxOf = (text: Record<string, string>): Box =>
  textBox(
    text.text!,
    Number(text["font-size"]),
    Number(text.x),
    Number(text.y),
    (text["text-anchor"] as "start" | "middle" | "end" | undefined) ?? "start",
  );

const overlaps = (a: Box, b: Box) =>
  Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top);

describe("the neighbourhood picture", () => {
  it("folds China's provinces into one node two hops from Chongqing", async () => {
    const unfolded = read(await picture("entity=Chongqing&depth=2&limit=500&fold=0"));
    const provinces = (nodes: { title: string }[]) => nodes.filter((node) => node.title.endsWith("(province)")).length;
    expect(provinces(unfolded.nodes)).toBeGreaterThan(25);

    const folded = read(await picture("entity=Chongqing&depth=2&limit=80"));
    expect(provinces(folded.nodes)).toBeLessThan(10);
    const fold = folded.nodes.find((node) => /^\+\d+ provinces/.test(node.label ?? ""));
    expect(fold?.label).toMatch(/^\+\d+ provinces and cities$/);
    expect(fold!.title).toMatch(/that is located in China$/);
    // Chongqing's own districts too: its largest group is one node.
    expect(folded.nodes.filter((node) => node.title.endsWith("(district)"))).toEqual([]);
    expect(folded.nodes.length).toBeLessThan(unfolded.nodes.length / 3);
    // The fold's edge is an arrow from the members to China, labelled with the relation.
    const foldEdge = folded.edges.find((edge) => edge.hint!.startsWith(`${fold!.label} is located in China`));
    expect(foldEdge?.["data-type"]).toBe("LOCATED_IN");
  });

  it("draws every edge as an arrow labelled with its relation, read from `from` to `to`", async () => {
    for (const query of ["entity=Chongqing&depth=1", "entity=Chongqing&depth=2&limit=80"]) {
      const { summary, edges, texts } = read(await picture(query));
      expect(summary.attributes.get("marker")!.map((marker) => marker.id)).toEqual(["arrow"]);
      expect(edges.length).toBeGreaterThan(10);
      const labels = new Map(texts.filter((text) => text["data-edge"]).map((text) => [text["data-edge"], text.text]));
      for (const edge of edges) {
        expect(edge["marker-end"], edge.hint).toBe("url(#arrow)");
        const label = relationLabels.get(edge["data-type"]!);
        expect(labels.get(edge["data-edge"]), edge.hint).toBe(label);
        expect(edge.hint).toContain(` ${label} `);
      }
    }
    const { edges } = read(await picture("entity=Chongqing&depth=1&types=VAT_REFUND_PARTNER"));
    expect(edges.map((edge) => edge.hint!.replace(/ — .*/, ""))).toContain("Chongqing refunds VAT with Sichuan");
  });

  it("keeps every label inside the picture and off the other labels, the centre's and its neighbours' all shown", async () => {
    for (const query of [
      "entity=Chongqing&depth=2&limit=80",
      "entity=Chongqing&depth=2&limit=300&fold=0",
      "entity=Chongqing&depth=3&limit=200",
      "entity=重庆&depth=1",
    ]) {
      const { view, texts, nodes } = read(await picture(query));
      const boxes = texts.filter((text) => text.x !== undefined).map((text) => ({ text: text.text, box: boxOf(text) }));
      for (const { text, box } of boxes) {
        expect(box.left, `${query}: ${text}`).toBeGreaterThanOrEqual(view.left);
        expect(box.top, `${query}: ${text}`).toBeGreaterThanOrEqual(view.top);
        expect(box.right, `${query}: ${text}`).toBeLessThanOrEqual(view.right);
        expect(box.bottom, `${query}: ${text}`).toBeLessThanOrEqual(view.bottom);
      }
      const drawn = texts.filter((text) => text.x !== undefined && text.y !== undefined && Number(text.y) > 60);
      for (const [index, a] of drawn.entries())
        for (const b of drawn.slice(index + 1))
          expect(
            overlaps(boxOf(a), boxOf(b)),
            `${query}: "${a.text}" over "${b.text}" ${JSON.stringify([boxOf(a), boxOf(b)])}`,
          ).toBe(false);
      // A label left out is still in its node's hover title.
      for (const node of nodes) if (node.label === null) expect(node.title.length).toBeGreaterThan(0);
    }
    const { nodes } = read(await picture("entity=Chongqing&depth=2&limit=80"));
    const hops = read(await picture("entity=Chongqing&depth=1")).nodes;
    for (const near of hops) expect(nodes.find((node) => node.title === near.title)?.label, near.title).not.toBeNull();
  });

  it("draws the same picture for the same request", async () => {
    const query = "entity=Chongqing&depth=2&limit=80&asOf=2025-06-30";
    expect(await picture(query)).toBe(await picture(query));
  });

  it("validates the fold parameter", async () => {
    for (const fold of ["-1", "501", "two", "1.5", ""]) {
      const response = await get(`/pictures/neighborhood.svg?entity=Chongqing&fold=${fold}`);
      expect(response.status, fold).toBe(400);
      expect(await response.text()).toMatch(/"fold" must be 0 \(no folding\) or from 1 to 500/);
    }
    const everyDistrict = read(await picture("entity=Chongqing&fold=0&limit=200")).nodes;
    expect(everyDistrict.filter((node) => node.title.endsWith("(district)")).length).toBeGreaterThan(20);
    const folds = async (query: string) =>
      read(await picture(query))
        .nodes.filter((node) => /^\+\d+ /.test(node.label ?? ""))
        .map((node) => node.label);
    expect(await folds("entity=Chongqing")).toEqual(["+41 contains"]);
    expect(await folds("entity=Chongqing&fold=3")).toEqual(["+41 contains", "+4 provinces"]);
  });
});
