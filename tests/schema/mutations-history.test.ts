// Every write is recorded (who, when, what, before, after) and can be reverted while nothing has
// changed since; idempotency keys make a retried mutation return its first result.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { expectRefused, gid, mutate, resultFields, rowCounts } from "../support/writes.js";

let graph: TestGraph;
let admin: string;
const chongqing = gid("City", "chongqing");
const article = gid("Source", "vat-refund-expansion");
let quote: string;

beforeAll(async () => {
  graph = await startTestGraph();
  admin = await graph.token(["graph:write", "graph:admin"], "editor");
  const { data } = await graph.query<{ source: { body: string } }>(`{ source(key: "vat-refund-expansion") { body } }`);
  quote = data!.source.body.split("\n")[1]!.slice(0, 60);
});
afterAll(() => graph?.close());

const changeFields = `id action operation actor targetType targetKey before after`;
const createCity = (name: string, extra = "", variables: Record<string, unknown> = {}, token = admin) =>
  mutate(
    graph,
    token,
    `mutation($name: String!, $key: String) { createEntity(input: { kind: CITY, name: $name }${extra}, idempotencyKey: $key) { ${resultFields} ... on CreateEntitySuccess { entity { id key name } changes { ${changeFields} } } } }`,
    { name, ...variables },
  );
const updateName = (id: string, name: string) =>
  mutate(
    graph,
    admin,
    `mutation($id: ID!, $name: String!) { updateEntity(id: $id, input: { name: $name }) { ${resultFields} ... on UpdateEntitySuccess { changes { ${changeFields} } } } }`,
    { id, name },
  );
const revert = (id: string) =>
  mutate(
    graph,
    admin,
    `mutation($id: ID!) { revertChange(id: $id) { ${resultFields} ... on RevertChangeSuccess { change { id revertedBy { id } } changes { ${changeFields} revertOf { id } } } } }`,
    { id },
  );

describe("history", () => {
  it("lists an entity's changes newest first, each update's before being the previous after", async () => {
    const { entity } = await createCity("Historia");
    await updateName(entity.id, "Historia Nova");
    await updateName(entity.id, "Historia Magna");
    await mutate(graph, admin, `mutation($id: ID!) { createAlias(entity: $id, name: "HM") { ${resultFields} } }`, {
      id: entity.id,
    });
    const { data } = await graph.query(
      `query($id: ID!) { node(id: $id) { ... on Entity { history(first: 10) { edges { node { ${changeFields} at } } } } } }`,
      { id: entity.id },
    );
    const changes = data!.node.history.edges.map((edge: { node: Record<string, any> }) => edge.node);
    expect(changes.map((change: { operation: string }) => change.operation)).toEqual([
      "createAlias",
      "updateEntity",
      "updateEntity",
      "createEntity",
    ]);
    expect(changes.every((change: { actor: string }) => change.actor === "editor")).toBe(true);
    const entityChanges = changes.filter((change: { targetType: string }) => change.targetType === "Entity").reverse();
    for (let i = 1; i < entityChanges.length; i++) expect(entityChanges[i].before).toEqual(entityChanges[i - 1].after);
    expect(entityChanges.at(-1).after.name).toBe("Historia Magna");
  });

  it("counts an entity's changes, none for an entity never written (it answered null, an error)", async () => {
    const { entity } = await createCity("Countville");
    await updateName(entity.id, "Countville Nova");
    const query = `query($id: ID!) { node(id: $id) { ... on Entity { history(first: 1) { totalCount edges { node { operation } } } } } }`;
    const written = await graph.query(query, { id: entity.id });
    expect(written).toEqual({
      data: { node: { history: { totalCount: 2, edges: [{ node: { operation: "updateEntity" } }] } } },
    });
    const unwritten = await graph.query(`{ entity(name: "AITO") { history { totalCount } } }`);
    expect(unwritten).toEqual({ data: { entity: { history: { totalCount: 0 } } } });
  });

  it("lists every change since a moment, oldest first", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const before = await graph.query(`query($since: DateTime) { changes(since: $since) { totalCount } }`, { since });
    await createCity("Sinceville");
    await createCity("Sinceburg");
    const { data } = await graph.query(
      `query($since: DateTime) { changes(since: $since, first: 100) { totalCount edges { node { targetKey at } } } }`,
      { since },
    );
    expect(data!.changes.totalCount).toBe(before.data!.changes.totalCount + 2);
    expect(data!.changes.edges.slice(-2).map((edge: { node: { targetKey: string } }) => edge.node.targetKey)).toEqual([
      "sinceville",
      "sinceburg",
    ]);
  });
});

describe("revertChange", () => {
  it("restores an update, records the revert, and refuses a second revert", async () => {
    const { entity } = await createCity("Revertopolis");
    const { changes } = await updateName(entity.id, "Changed Name");
    const reverted = await revert(changes![0]!.id);
    expect(reverted.__typename).toBe("RevertChangeSuccess");
    expect(reverted.change.revertedBy.id).toBe(reverted.changes[0].id);
    expect(reverted.changes).toMatchObject([
      { action: "UPDATE", operation: "revertChange", revertOf: { id: changes![0]!.id } },
    ]);
    const { data } = await graph.query(`query($id: ID!) { node(id: $id) { ... on Entity { name aliases } } }`, {
      id: entity.id,
    });
    expect(data!.node).toEqual({ name: "Revertopolis", aliases: ["Revertopolis"] });
    await expectRefused(graph, () => revert(changes![0]!.id), "ConflictError");
  });

  it("deletes what a create made", async () => {
    const created = await mutate(
      graph,
      admin,
      `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} ... on CreateRelationshipSuccess { changes { id } } } }`,
      {
        input: {
          type: "TWIN_CITY_OF",
          from: chongqing,
          to: gid("Province", "sichuan"),
          source: article,
          quote,
          certainty: "STATED",
        },
      },
    );
    const before = await rowCounts(graph.db.prisma);
    expect((await revert(created.changes![0]!.id)).__typename).toBe("RevertChangeSuccess");
    expect(await rowCounts(graph.db.prisma)).toMatchObject({
      relationships: before.relationships - 1,
      changes: before.changes + 1,
    });
  });

  it("re-creates a deleted entity with every fact that went with it", async () => {
    const { entity } = await createCity("Phoenix City");
    await mutate(
      graph,
      admin,
      `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} } }`,
      {
        input: {
          type: "TWIN_CITY_OF",
          from: entity.id,
          to: chongqing,
          source: article,
          quote,
          certainty: "STATED",
          validFrom: "2025-03",
        },
      },
    );
    const snapshot = await graph.query(
      `query($id: ID!) { node(id: $id) { ... on Entity { name aliases relationships { edges { node { type validFrom quote } other { key } } } } } }`,
      { id: entity.id },
    );
    const before = await rowCounts(graph.db.prisma);
    const deleted = await mutate(
      graph,
      admin,
      `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} ... on DeleteEntitySuccess { changes { id } } } }`,
      { id: entity.id },
    );
    expect((await graph.query(`query($id: ID!) { node(id: $id) { id } }`, { id: entity.id })).data!.node).toBeNull();
    const reverted = await revert(deleted.changes!.at(-1)!.id);
    expect(
      reverted.changes.map((change: { action: string; targetType: string }) => `${change.action} ${change.targetType}`),
    ).toEqual(["CREATE Entity", "CREATE Relationship"]);
    const after = await graph.query(
      `query($id: ID!) { node(id: $id) { ... on Entity { name aliases relationships { edges { node { type validFrom quote } other { key } } } } } }`,
      { id: entity.id },
    );
    expect(after.data).toEqual(snapshot.data);
    expect(await rowCounts(graph.db.prisma)).toEqual({ ...before, changes: before.changes + 4 });
  });

  it("brings a deleted place back with its location and the source it cites", async () => {
    const id = gid("City", "karamay");
    const located = `query($id: ID!) { node(id: $id) { ... on Place { location { lat lon quote source { key } } } } }`;
    const before = await graph.query(located, { id });
    expect(before.data!.node.location).toMatchObject({ source: { key: "geonames-cities-json" } });
    const deleted = await mutate(
      graph,
      admin,
      `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} ... on DeleteEntitySuccess { changes { id } } } }`,
      { id },
    );
    const reverted = await revert(deleted.changes!.at(-1)!.id);
    expect(reverted.__typename, JSON.stringify(reverted)).toBe("RevertChangeSuccess");
    expect((await graph.query(located, { id })).data).toEqual(before.data);
  });

  it("brings back a seeded district with its facts, those citing the division-code table (no quote) too", async () => {
    const id = gid("District", "yongchuan-district");
    const view = `query($id: ID!) { node(id: $id) { ... on Entity { name relationships(first: 50) { edges { node { type quote source { key } } other { key } } } } } }`;
    const before = await graph.query(view, { id });
    expect(before.data!.node.relationships.edges.length).toBeGreaterThan(0);
    const deleted = await mutate(
      graph,
      admin,
      `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} ... on DeleteEntitySuccess { changes { id } } } }`,
      { id },
    );
    expect(deleted.__typename, JSON.stringify(deleted)).toBe("DeleteEntitySuccess");
    const reverted = await revert(deleted.changes!.at(-1)!.id);
    expect(reverted.__typename, JSON.stringify(reverted)).toBe("RevertChangeSuccess");
    // Re-created relationships get new ids, so they may list in another order.
    const facts = (data: any) => data.node.relationships.edges.map((edge: unknown) => JSON.stringify(edge)).sort();
    expect(facts((await graph.query(view, { id })).data)).toEqual(facts(before.data));
  });

  it("refuses when the record changed since, and for an unknown change", async () => {
    const { entity } = await createCity("Layered");
    const first = await updateName(entity.id, "Layered Once");
    await updateName(entity.id, "Layered Twice");
    const result = await expectRefused(graph, () => revert(first.changes![0]!.id), "ConflictError");
    expect(result.message).toContain("changed since");
    await expectRefused(graph, () => revert(gid("Change", "999999")), "NotFoundError");
  });
});

describe("idempotency keys", () => {
  it("return the first result on a retry without writing again", async () => {
    const first = await createCity("Retry City", "", { key: "retry-1" });
    const before = await rowCounts(graph.db.prisma);
    const again = await createCity("Retry City", "", { key: "retry-1" });
    expect(again.entity).toEqual(first.entity);
    expect(again.changes).toEqual(first.changes);
    expect(await rowCounts(graph.db.prisma)).toEqual(before);
  });

  it("refuse the same key with a different input", async () => {
    await createCity("Keyed City", "", { key: "retry-2" });
    const result = await expectRefused(graph, () => createCity("Other City", "", { key: "retry-2" }), "ConflictError");
    expect(result.message).toContain("retry-2");
  });

  it("write once when the same request arrives several times at once", async () => {
    const before = await rowCounts(graph.db.prisma);
    const results = await Promise.all([1, 2, 3].map(() => createCity("Stampede City", "", { key: "retry-3" })));
    expect(results.map((result) => result.__typename)).toEqual([
      "CreateEntitySuccess",
      "CreateEntitySuccess",
      "CreateEntitySuccess",
    ]);
    expect(new Set(results.map((result) => result.entity.id)).size).toBe(1);
    expect(await rowCounts(graph.db.prisma)).toMatchObject({
      entities: before.entities + 1,
      changes: before.changes + 1,
    });
  });

  it("belong to one token: another token's same key is its own", async () => {
    const other = await graph.token(["graph:write"], "other-editor");
    await createCity("Token One City", "", { key: "shared-key" });
    const result = await createCity("Token Two City", "", { key: "shared-key" }, other);
    expect(result.entity.key).toBe("token-two-city");
  });
});
