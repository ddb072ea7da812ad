// Plain lists of linked entities (a place's policies, a brand's owners) are bounded like every read:
// `first` asks for the first few, in the order they were linked; without it the whole list up to
// LINKED_LIST_MAX, and a longer one fails on its own with LIST_TOO_LONG, saying how to page it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINKED_LIST_MAX } from "../../src/schema/pagination.js";
import { type GraphQLResponse, startTestGraph, type TestGraph } from "../support/graph.js";
import { gid } from "../support/writes.js";

let graph: TestGraph;
const HUB = "linked-lists-hub";
// Over the bound, linked by three types in turn, each policy linked twice (once more, later, by
// another type) so that every far end must be named once, by its first link.
const POLICIES = LINKED_LIST_MAX + 20;
const types = ["ISSUED_BY", "APPLIES_TO", "PARTICIPATES_IN"] as const;

beforeAll(async () => {
  graph = await startTestGraph();
  const prisma = graph.db.prisma;
  const source = await prisma.source.create({
    data: { key: "linked-lists", kind: "REFERENCE", title: "Linked lists", body: "" },
  });
  const hub = await prisma.entity.create({
    data: { key: HUB, kind: "PROVINCE", name: "Linked Lists Province", adminLevel: "PROVINCIAL" },
  });
  await prisma.entity.createMany({
    data: Array.from({ length: POLICIES }, (_, i) => ({
      key: `linked-lists-policy-${String(i).padStart(4, "0")}`,
      kind: "POLICY" as const,
      name: `Linked Lists Policy ${i}`,
    })),
  });
  const policies = await prisma.entity.findMany({
    where: { key: { startsWith: "linked-lists-policy-" } },
    orderBy: { key: "asc" },
  });
  const provenance = { sourceId: source.id, quote: "", certainty: "STATED" as const };
  // Links in an order that is neither the policies' ids nor one type after another: policy i is
  // linked first by type i mod 3 (ISSUED_BY runs policy -> place, the others place <- policy too),
  // and the second links come after all the first ones.
  const link = (i: number, round: number) => {
    const type = types[(i + round) % 3]!;
    const policy = policies[(i * 7) % POLICIES]!;
    return { key: `linked-lists-${round}-${i}`, typeKey: type, fromId: policy.id, toId: hub.id, ...provenance };
  };
  await prisma.relationship.createMany({ data: Array.from({ length: POLICIES }, (_, i) => link(i, 0)) });
  await prisma.relationship.createMany({ data: Array.from({ length: POLICIES }, (_, i) => link(i, 1)) });
}, 120_000);
afterAll(() => graph?.close());

const policiesOf = (args: string) =>
  graph.query(`{ province: node(id: "${gid("Province", HUB)}") { ... on Province { policies${args} { key } } } }`);

/** The far ends of the hub's links (all of them policy links) in the order of their first link, through the connection. */
async function linkOrder(): Promise<string[]> {
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse = await graph.query(
      `query($after: String) { province: node(id: "${gid("Province", HUB)}") { ... on Province { relationships(direction: BOTH, first: 100, after: $after) {
        edges { other { key } } pageInfo { hasNextPage endCursor } } } } }`,
      { after },
    );
    expect(response.errors).toBeUndefined();
    const page: { edges: { other: { key: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
      response.data!.province.relationships;
    for (const edge of page.edges) if (!keys.includes(edge.other.key)) keys.push(edge.other.key);
    if (!page.pageInfo.hasNextPage) return keys;
    after = page.pageInfo.endCursor;
  }
}

describe("a list of linked entities", () => {
  it(`longer than ${LINKED_LIST_MAX} fails alone with LIST_TOO_LONG, naming how to page it`, async () => {
    const response = await graph.query(
      `{ province: node(id: "${gid("Province", HUB)}") { ... on Province { key policies { key } } } chongqing: province(name: "Chongqing") { policies { key } } }`,
    );
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error!.extensions).toMatchObject({ code: "LIST_TOO_LONG", max: LINKED_LIST_MAX });
    expect(error!.path).toEqual(["province", "policies"]);
    expect(error!.message).toContain("policies(first: …)");
    expect(error!.message).toContain("relationships(type:");
    // The rest of the answer stands: another province's policies are answered.
    expect(response.data!.chongqing.policies.length).toBeGreaterThan(0);
  });

  it("with first, answers the first ones in the order they were linked, each once", async () => {
    const order = await linkOrder();
    expect(order).toHaveLength(POLICIES);
    for (const first of [0, 1, 7, 100]) {
      const response = await policiesOf(`(first: ${first})`);
      expect(response.errors).toBeUndefined();
      expect(response.data!.province.policies.map((p: { key: string }) => p.key)).toEqual(order.slice(0, first));
    }
  });

  it("refuses a first outside 0 to 100 with PAGE_SIZE_OUT_OF_RANGE", async () => {
    for (const first of [-1, 101]) {
      const response = await policiesOf(`(first: ${first})`);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: "PAGE_SIZE_OUT_OF_RANGE", max: 100 });
    }
  });

  it("within the bound, answers the whole list as before", async () => {
    const response = await graph.query(
      `{ province(name: "Chongqing") { all: policies { key } few: policies(first: 2) { key } } }`,
    );
    expect(response.errors).toBeUndefined();
    const { all, few } = response.data!.province;
    expect(all.length).toBeGreaterThan(2);
    expect(few).toEqual(all.slice(0, 2));
  });
});
