// Merging duplicates, and writes racing each other: the graph stays consistent (no dangling edges,
// the duplicate gone, its id leading to the survivor) and the history tells the whole story.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordKind } from "../../src/writes/records/index.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import {
  createCity as createCityWith,
  expectRefused,
  gid,
  mutate,
  resultFields,
  rowCounts,
} from "../support/writes.js";

let graph: TestGraph;
let admin: string;
let vatQuote: string;
let rankingQuote: string;
const chongqing = gid("City", "chongqing");
const hefei = gid("City", "hefei");
const article = gid("Source", "vat-refund-expansion");

beforeAll(async () => {
  graph = await startTestGraph();
  admin = await graph.token(["graph:write", "graph:admin"], "merger");
  vatQuote = "following a 2025 agreement with Sichuan";
  const { data } = await graph.query<{ source: { body: string } }>(`{ source(key: "auto-crown-2025") { body } }`);
  rankingQuote = data!.source.body.slice(0, 40);
});
afterAll(() => graph?.close());

const createCity = (name: string) => createCityWith(graph, admin, name);
const relate = (from: string, to: string, type = "TWIN_CITY_OF", extra: Record<string, unknown> = {}) =>
  mutate(
    graph,
    admin,
    `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} ... on CreateRelationshipSuccess { relationship { id } } } }`,
    {
      input: { type, from, to, source: article, quote: vatQuote, certainty: "STATED", ...extra },
    },
  );
const rankIn = (ranking: string, entity: string) =>
  mutate(
    graph,
    admin,
    `mutation($input: CreateRankingEntryInput!) { createRankingEntry(input: $input) { ${resultFields} } }`,
    {
      input: { ranking: gid("Ranking", ranking), entity, quote: rankingQuote, certainty: "STATED_LOOSELY" },
    },
  );
const merge = (survivor: string, duplicate: string) =>
  mutate(
    graph,
    admin,
    `mutation($s: ID!, $d: ID!) { mergeEntities(survivor: $s, duplicate: $d) { ${resultFields} ... on MergeEntitiesSuccess { entity { key aliases } changes { id action targetType targetKey } } } }`,
    { s: survivor, d: duplicate },
  );
const nodeKey = async (id: string) =>
  (await graph.query(`query($id: ID!) { node(id: $id) { ... on Entity { key } } }`, { id })).data!.node?.key ?? null;

/** Each record's history is a chain (every before is the previous after) ending in the record as it is. */
async function expectHistoryMatches(targetType: string, key: string) {
  const changes = await graph.db.prisma.change.findMany({
    where: { targetType, targetKey: key },
    orderBy: { id: "asc" },
  });
  for (let i = 1; i < changes.length; i++) expect(changes[i]!.before).toEqual(changes[i - 1]!.after);
  const current = await graph.db.prisma.$transaction((tx) => recordKind(targetType)!.read(tx, key));
  expect(current).toEqual(changes.at(-1)?.after ?? current);
}

describe("mergeEntities", () => {
  it("moves facts and names to the survivor, folds duplicates, and leaves a redirect", async () => {
    // Chongqing's old name, 渝州; plain "Yuzhou" is 禹州, a county-level city of Henan, in the base geography.
    const duplicate = await createCity("Old Yuzhou");
    await relate(gid("Province", "sichuan"), duplicate.id, "VAT_REFUND_PARTNER", { validFrom: "2025" });
    await relate(duplicate.id, chongqing);
    await relate(duplicate.id, hefei);
    await rankIn("auto-industry-leadership-2025", duplicate.id);
    await rankIn("nev-production-hubs-2025", duplicate.id);
    const before = await rowCounts(graph.db.prisma);

    const result = await merge(chongqing, duplicate.id);
    expect(result.__typename).toBe("MergeEntitiesSuccess");
    expect(result.entity.key).toBe("chongqing");
    expect(result.entity.aliases).toContain("Old Yuzhou");
    const actions = result.changes.map(
      (change: { action: string; targetType: string }) => `${change.action} ${change.targetType}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "UPDATE Relationship",
        "DELETE Relationship",
        "UPDATE RankingEntry",
        "DELETE RankingEntry",
        "UPDATE Entity",
        "DELETE Entity",
        "CREATE EntityRedirect",
      ]),
    );
    // The VAT edge the survivor already had and the edge to the survivor itself are folded; the Hefei edge moves.
    expect(await rowCounts(graph.db.prisma)).toMatchObject({
      entities: before.entities - 1,
      relationships: before.relationships - 2,
      rankingEntries: before.rankingEntries - 1,
      redirects: before.redirects + 1,
    });

    expect(await nodeKey(duplicate.id)).toBe("chongqing");
    const { data } = await graph.query(
      `{ entity(name: "old yuzhou") { key } city(name: "Old Yuzhou") { key twins: relationships(type: "TWIN_CITY_OF") { edges { other { key } } } } }`,
    );
    expect(data!.entity.key).toBe("chongqing");
    expect(data!.city.twins.edges.map((edge: { other: { key: string } }) => edge.other.key)).toContain("hefei");
    expect(
      await graph.db.prisma.relationship.count({
        where: { fromId: { equals: graph.db.prisma.relationship.fields.toId } },
      }),
    ).toBe(0);
    const history = await graph.query(
      `query($id: ID!) { node(id: $id) { ... on Entity { history(first: 100) { edges { node { operation targetKey } } } } } }`,
      { id: chongqing },
    );
    expect(
      history.data!.node.history.edges.some(
        (edge: { node: { operation: string; targetKey: string } }) =>
          edge.node.operation === "createEntity" && edge.node.targetKey === "old-yuzhou",
      ),
    ).toBe(true);

    const reverted = await mutate(graph, admin, `mutation($id: ID!) { revertChange(id: $id) { ${resultFields} } }`, {
      id: result.changes![0]!.id,
    });
    expect(reverted.__typename).toBe("RevertChangeSuccess");
    expect(await rowCounts(graph.db.prisma)).toEqual({
      ...before,
      changes: (await rowCounts(graph.db.prisma)).changes,
    });
    expect(await nodeKey(duplicate.id)).toBe("old-yuzhou");
  });

  it("follows earlier merges: a key merged twice leads to the last survivor", async () => {
    const [a, b, c] = [await createCity("Alpha Town"), await createCity("Beta Town"), await createCity("Gamma Town")];
    expect((await merge(b.id, a.id)).__typename).toBe("MergeEntitiesSuccess");
    expect((await merge(c.id, b.id)).__typename).toBe("MergeEntitiesSuccess");
    expect(await nodeKey(a.id)).toBe("gamma-town");
    expect((await graph.query(`{ entity(name: "alpha-town") { key } }`)).data!.entity.key).toBe("gamma-town");
  });

  it("refuses entities of different kinds, an entity into itself, and unknown ids", async () => {
    await expectRefused(graph, () => merge(chongqing, gid("Province", "sichuan")), "ValidationError", [["duplicate"]]);
    await expectRefused(graph, () => merge(chongqing, chongqing), "ValidationError", [["duplicate"]]);
    await expectRefused(graph, () => merge(chongqing, gid("City", "atlantis")), "NotFoundError");
  });

  it("never deletes or merges away an entity through the id of a duplicate merged into it", async () => {
    const [survivor, duplicate, other] = [
      await createCity("Delta Town"),
      await createCity("Epsilon Town"),
      await createCity("Zeta Town"),
    ];
    expect((await merge(survivor.id, duplicate.id)).__typename).toBe("MergeEntitiesSuccess");
    const deleted = await expectRefused(
      graph,
      () =>
        mutate(graph, admin, `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} } }`, { id: duplicate.id }),
      "ConflictError",
    );
    expect(deleted.message).toContain(`merged into "delta-town"`);
    const mergedAgain = await expectRefused(graph, () => merge(other.id, duplicate.id), "ConflictError");
    expect(mergedAgain.message).toContain(`merged into "delta-town"`);
    expect(await nodeKey(survivor.id)).toBe("delta-town");
    expect(await nodeKey(duplicate.id)).toBe("delta-town");
    // The survivor's own id still deletes it.
    expect(
      (
        await mutate(graph, admin, `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} } }`, {
          id: survivor.id,
        })
      ).__typename,
    ).toBe("DeleteEntitySuccess");
  });
});

describe("concurrent writes", () => {
  it("two updates of one entity both land, one after the other, with a complete history", async () => {
    const city = await createCity("Contested City");
    const update = (input: Record<string, unknown>) =>
      mutate(
        graph,
        admin,
        `mutation($id: ID!, $input: UpdateEntityInput!) { updateEntity(id: $id, input: $input) { ${resultFields} } }`,
        { id: city.id, input },
      );
    const results = await Promise.all([
      update({ description: "first" }),
      update({ properties: { population: 1 } }),
      update({ nameZh: "争城" }),
    ]);
    expect(results.map((result) => result.__typename)).toEqual([
      "UpdateEntitySuccess",
      "UpdateEntitySuccess",
      "UpdateEntitySuccess",
    ]);
    const { data } = await graph.query(
      `query($id: ID!) { node(id: $id) { ... on Entity { description properties nameZh } } }`,
      { id: city.id },
    );
    expect(data!.node).toEqual({ description: "first", properties: { population: 1 }, nameZh: "争城" });
    await expectHistoryMatches("Entity", city.key);
  });

  it.each([1, 2, 3])("a merge racing an update and a new edge ends consistent (round %i)", async (round) => {
    const survivor = await createCity(`Race Survivor ${round}`);
    const duplicate = await createCity(`Race Duplicate ${round}`);
    const results = await Promise.all([
      mutate(
        graph,
        admin,
        `mutation($id: ID!) { updateEntity(id: $id, input: { description: "raced" }) { ${resultFields} } }`,
        { id: duplicate.id },
      ),
      merge(survivor.id, duplicate.id),
      relate(duplicate.id, hefei),
    ]);
    expect(results.map((result) => result.__typename)).toEqual([
      "UpdateEntitySuccess",
      "MergeEntitiesSuccess",
      "CreateRelationshipSuccess",
    ]);

    const prisma = graph.db.prisma;
    expect(await prisma.entity.findUnique({ where: { key: duplicate.key } })).toBeNull();
    expect(await nodeKey(duplicate.id)).toBe(survivor.key);
    const edges = await prisma.relationship.findMany({
      where: { typeKey: "TWIN_CITY_OF", to: { key: "hefei" }, from: { key: { in: [survivor.key, duplicate.key] } } },
      include: { from: true },
    });
    expect(edges.map((edge) => edge.from.key)).toEqual([survivor.key]);
    // The description lands on the duplicate before the merge (then moves nowhere: the survivor keeps
    // its own) or, after it, on the survivor through the redirect; either way it is in the history.
    const described = await prisma.change.findMany({
      where: { operation: "updateEntity", entityKeys: { hasSome: [survivor.key, duplicate.key] } },
    });
    expect(described).toHaveLength(1);
    await expectHistoryMatches("Entity", survivor.key);
    await expectHistoryMatches("Relationship", edges[0]!.key);
  });
});
