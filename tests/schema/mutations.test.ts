// Writes as a client makes them: create, update and delete of every record type, and every kind of
// refused input coming back as a typed error in the result union, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGraph, type TestGraph } from "../support/graph.js";
import { expectRefused, gid, mutate, resultFields, rowCounts } from "../support/writes.js";

let graph: TestGraph;
let token: string;
let quote: string;
const chongqing = gid("City", "chongqing");
const sichuan = gid("Province", "sichuan");
const article = gid("Source", "vat-refund-expansion");

beforeAll(async () => {
  graph = await startTestGraph();
  token = await graph.token(["graph:write", "graph:admin"]);
  const { data } = await graph.query<{ source: { body: string } }>(`{ source(key: "vat-refund-expansion") { body } }`);
  quote = data!.source.body.split("\n")[1]!.slice(0, 80);
});
afterAll(() => graph?.close());

const createEntity = (input: Record<string, unknown>) =>
  mutate(
    graph,
    token,
    `mutation($input: CreateEntityInput!) { createEntity(input: $input) { ${resultFields} ... on CreateEntitySuccess { entity { id key name nameZh aliases } changes { action targetType targetKey } } } }`,
    { input },
  );

const createRelationship = (input: Record<string, unknown>) =>
  mutate(
    graph,
    token,
    `mutation($input: CreateRelationshipInput!) { createRelationship(input: $input) { ${resultFields} ... on CreateRelationshipSuccess { relationship { id type validFrom quote from { key } to { key } } } } }`,
    {
      input: {
        type: "VAT_REFUND_PARTNER",
        from: chongqing,
        to: sichuan,
        source: article,
        quote,
        certainty: "STATED",
        ...input,
      },
    },
  );

describe("entities", () => {
  it("creates an entity with a derived key, its names as aliases, and one recorded change", async () => {
    const before = await rowCounts(graph.db.prisma);
    const result = await createEntity({
      kind: "COMPANY",
      name: "Changan Automobile",
      nameZh: "长安汽车",
      aliases: [{ name: "Changan" }],
    });
    expect(result.__typename).toBe("CreateEntitySuccess");
    expect(result.entity).toMatchObject({ key: "changan-automobile", name: "Changan Automobile", nameZh: "长安汽车" });
    expect(result.entity.aliases).toEqual(expect.arrayContaining(["Changan", "Changan Automobile", "长安汽车"]));
    expect(result.changes).toEqual([{ action: "CREATE", targetType: "Entity", targetKey: "changan-automobile" }]);
    expect(await rowCounts(graph.db.prisma)).toMatchObject({
      entities: before.entities + 1,
      aliases: before.aliases + 3,
      changes: before.changes + 1,
    });
    const found = await graph.query(`{ entity(name: "长安汽车") { key } company(name: "changan") { key } }`);
    expect(found.data).toEqual({ entity: { key: "changan-automobile" }, company: { key: "changan-automobile" } });
  });

  it("updates fields; the primary names follow the name", async () => {
    const result = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateEntity(id: $id, input: { name: "Changan Auto", description: "Carmaker", properties: { founded: 1862 } }) { ${resultFields} ... on UpdateEntitySuccess { entity { name description properties aliases } } } }`,
      { id: gid("Company", "changan-automobile") },
    );
    expect(result.__typename).toBe("UpdateEntitySuccess");
    expect(result.entity).toMatchObject({
      name: "Changan Auto",
      description: "Carmaker",
      properties: { founded: 1862 },
    });
    expect(result.entity.aliases).toContain("Changan Auto");
    expect(result.entity.aliases).not.toContain("Changan Automobile");
  });

  it("adds, respells and removes aliases; primary names are left to updateEntity", async () => {
    const id = gid("Company", "changan-automobile");
    const select = resultFields;
    expect(
      (
        await mutate(
          graph,
          token,
          `mutation($id: ID!) { createAlias(entity: $id, name: "Chang'an", lang: "pinyin") { ${select} ... on CreateAliasSuccess { entity { aliases } } } }`,
          { id },
        )
      ).entity.aliases,
    ).toContain("Chang'an");
    expect(
      (
        await mutate(
          graph,
          token,
          `mutation($id: ID!) { updateAlias(entity: $id, name: "chang'an", newName: "Chang An") { ${select} ... on UpdateAliasSuccess { entity { aliases } } } }`,
          { id },
        )
      ).entity.aliases,
    ).toContain("Chang An");
    expect(
      (
        await mutate(
          graph,
          token,
          `mutation($id: ID!) { deleteAlias(entity: $id, name: "Chang An") { ${select} ... on DeleteAliasSuccess { entity { aliases } } } }`,
          { id },
        )
      ).entity.aliases,
    ).not.toContain("Chang An");
    await expectRefused(
      graph,
      () =>
        mutate(graph, token, `mutation($id: ID!) { deleteAlias(entity: $id, name: "Changan Auto") { ${select} } }`, {
          id,
        }),
      "ValidationError",
      [["name"]],
    );
    await expectRefused(
      graph,
      () =>
        mutate(graph, token, `mutation($id: ID!) { createAlias(entity: $id, name: "changan") { ${select} } }`, { id }),
      "ConflictError",
    );
  });

  it("deletes an entity together with the facts about it", async () => {
    await createEntity({ kind: "CITY", name: "Doomed City" });
    expect(
      (await createRelationship({ type: "TWIN_CITY_OF", from: gid("City", "doomed-city"), to: chongqing })).__typename,
    ).toBe("CreateRelationshipSuccess");
    const before = await rowCounts(graph.db.prisma);
    const result = await mutate(
      graph,
      token,
      `mutation($id: ID!) { deleteEntity(id: $id) { ${resultFields} ... on DeleteEntitySuccess { deleted { type id key } changes { action targetType } } } }`,
      { id: gid("City", "doomed-city") },
    );
    expect(result.deleted).toEqual({ type: "Entity", id: gid("City", "doomed-city"), key: "doomed-city" });
    expect(result.changes).toEqual([
      { action: "DELETE", targetType: "Relationship" },
      { action: "DELETE", targetType: "Entity" },
    ]);
    expect(await rowCounts(graph.db.prisma)).toMatchObject({
      entities: before.entities - 1,
      relationships: before.relationships - 1,
    });
  });
});

describe("relationships, observations, ranking entries and sources", () => {
  it("creates, updates and deletes a relationship", async () => {
    const created = await createRelationship({ type: "TWIN_CITY_OF", validFrom: "2025-07" });
    expect(created.relationship).toMatchObject({
      type: "TWIN_CITY_OF",
      validFrom: "2025-07",
      from: { key: "chongqing" },
      to: { key: "sichuan" },
    });
    const id = created.relationship.id;
    const updated = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateRelationship(id: $id, input: { validFrom: "2025", note: "twinned" }) { ${resultFields} ... on UpdateRelationshipSuccess { relationship { validFrom note } } } }`,
      { id },
    );
    expect(updated.relationship).toEqual({ validFrom: "2025", note: "twinned" });
    const deleted = await mutate(
      graph,
      token,
      `mutation($id: ID!) { deleteRelationship(id: $id) { ${resultFields} ... on DeleteRelationshipSuccess { deleted { key } } } }`,
      { id },
    );
    expect(deleted.deleted.key).toBe("TWIN_CITY_OF:chongqing:sichuan:vat-refund-expansion");
  });

  it("creates an observation in the indicator's unit, updates and deletes it", async () => {
    const created = await mutate(
      graph,
      token,
      `mutation($input: CreateObservationInput!) { createObservation(input: $input) { ${resultFields} ... on CreateObservationSuccess { observation { id unit value period } } } }`,
      {
        input: {
          entity: chongqing,
          indicator: gid("Indicator", "gdp-growth"),
          period: "2026-Q1",
          value: 5.1,
          source: article,
          quote,
          certainty: "INFERRED",
        },
      },
    );
    expect(created.observation).toMatchObject({ unit: "%", value: 5.1, period: "2026-Q1" });
    const updated = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateObservation(id: $id, input: { value: 5.3 }) { ${resultFields} ... on UpdateObservationSuccess { observation { value } } } }`,
      { id: created.observation.id },
    );
    expect(updated.observation.value).toBe(5.3);
    await expectRefused(
      graph,
      () =>
        mutate(
          graph,
          token,
          `mutation($id: ID!) { updateObservation(id: $id, input: { unit: "CNY" }) { ${resultFields} } }`,
          { id: created.observation.id },
        ),
      "ValidationError",
      [["input", "unit"]],
    );
    expect(
      (
        await mutate(graph, token, `mutation($id: ID!) { deleteObservation(id: $id) { ${resultFields} } }`, {
          id: created.observation.id,
        })
      ).__typename,
    ).toBe("DeleteObservationSuccess");
  });

  it("places an entity in a ranking once, quoting the ranking's source", async () => {
    const { data } = await graph.query<{ source: { body: string } }>(`{ source(key: "auto-crown-2025") { body } }`);
    const rankingQuote = data!.source.body.slice(0, 40);
    const input = {
      ranking: gid("Ranking", "auto-industry-leadership-2025"),
      entity: gid("City", "hefei"),
      rank: 4,
      quote: rankingQuote,
      certainty: "STATED",
    };
    const create = (values: Record<string, unknown>) =>
      mutate(
        graph,
        token,
        `mutation($input: CreateRankingEntryInput!) { createRankingEntry(input: $input) { ${resultFields} ... on CreateRankingEntrySuccess { rankingEntry { id rank entity { key } } } } }`,
        { input: { ...input, ...values } },
      );
    const created = await create({});
    expect(created.rankingEntry).toMatchObject({ rank: 4, entity: { key: "hefei" } });
    await expectRefused(graph, () => create({ key: "another-hefei-entry" }), "ConflictError");
    await expectRefused(
      graph,
      () => create({ entity: gid("City", "wuhan"), quote: "not in the article" }),
      "ValidationError",
      [["input", "quote"]],
    );
    const updated = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateRankingEntry(id: $id, input: { rank: 5 }) { ${resultFields} ... on UpdateRankingEntrySuccess { rankingEntry { rank } } } }`,
      { id: created.rankingEntry.id },
    );
    expect(updated.rankingEntry.rank).toBe(5);
    expect(
      (
        await mutate(graph, token, `mutation($id: ID!) { deleteRankingEntry(id: $id) { ${resultFields} } }`, {
          id: created.rankingEntry.id,
        })
      ).__typename,
    ).toBe("DeleteRankingEntrySuccess");
  });

  it("keeps a source's body holding every quote that cites it", async () => {
    const created = await mutate(
      graph,
      token,
      `mutation { createSource(input: { kind: ARTICLE, title: "Chongqing opens a new rail hub", publishedOn: "2026-01", body: "Chongqing opened a rail hub. It links Sichuan." }) { ${resultFields} ... on CreateSourceSuccess { source { id key publishedOn } } } }`,
    );
    expect(created.source).toMatchObject({ key: "chongqing-opens-a-new-rail-hub", publishedOn: "2026-01" });
    const source = created.source.id;
    expect((await createRelationship({ type: "TWIN_CITY_OF", source, quote: "It links Sichuan." })).__typename).toBe(
      "CreateRelationshipSuccess",
    );
    await expectRefused(
      graph,
      () =>
        mutate(
          graph,
          token,
          `mutation($id: ID!) { updateSource(id: $id, input: { body: "Chongqing opened a rail hub." }) { ${resultFields} } }`,
          { id: source },
        ),
      "ValidationError",
      [["input", "body"]],
    );
    await expectRefused(
      graph,
      () => mutate(graph, token, `mutation($id: ID!) { deleteSource(id: $id) { ${resultFields} } }`, { id: source }),
      "ConflictError",
    );
    const updated = await mutate(
      graph,
      token,
      `mutation($id: ID!) { updateSource(id: $id, input: { title: "Rail hub", body: "Chongqing opened a rail hub. It links Sichuan. More." }) { ${resultFields} ... on UpdateSourceSuccess { source { title } } } }`,
      { id: source },
    );
    expect(updated.source.title).toBe("Rail hub");
  });
});

describe("refused input changes nothing", () => {
  it("a malformed date", async () => {
    await expectRefused(graph, () => createRelationship({ validFrom: "2025-13-40" }), "ValidationError", [
      ["input", "validFrom"],
    ]);
  });
  it("an unknown relation type", async () => {
    const result = await expectRefused(graph, () => createRelationship({ type: "NEIGHBOUR_OF" }), "ValidationError", [
      ["input", "type"],
    ]);
    expect(result.fieldErrors![0]!.message).toContain("NEIGHBOUR_OF");
  });
  it("a dangling end", async () => {
    await expectRefused(graph, () => createRelationship({ to: gid("City", "atlantis") }), "ValidationError", [
      ["input", "to"],
    ]);
  });
  it("a self-loop", async () => {
    await expectRefused(graph, () => createRelationship({ to: chongqing }), "ValidationError", [["input", "to"]]);
  });
  it("a quote that is not in the article", async () => {
    await expectRefused(
      graph,
      () => createRelationship({ quote: "Chongqing refunds VAT to everyone." }),
      "ValidationError",
      [["input", "quote"]],
    );
  });
  it("a key that is taken, and one that is not kebab-case", async () => {
    await expectRefused(
      graph,
      () => createEntity({ kind: "CITY", name: "Chongqing", key: "chongqing" }),
      "ConflictError",
    );
    await expectRefused(
      graph,
      () => createEntity({ kind: "CITY", name: "Somewhere", key: "Some_Where" }),
      "ValidationError",
      [["input", "key"]],
    );
  });
  it("an id of nothing, and an id of the wrong type", async () => {
    const update = (id: string) =>
      mutate(graph, token, `mutation($id: ID!) { updateEntity(id: $id, input: { name: "X" }) { ${resultFields} } }`, {
        id,
      });
    await expectRefused(graph, () => update(gid("City", "atlantis")), "NotFoundError");
    await expectRefused(graph, () => update(article), "ValidationError", [["id"]]);
    await expectRefused(graph, () => update("not-an-id"), "ValidationError", [["id"]]);
  });
  it("empty names, bad codes and policy details on a city, all reported at once", async () => {
    const result = await expectRefused(
      graph,
      () => createEntity({ kind: "CITY", name: " ", divisionCode: "12" }),
      "ValidationError",
    );
    expect(result.fieldErrors!.map((error) => error.path)).toEqual([
      ["input", "name"],
      ["input", "divisionCode"],
    ]);
    await expectRefused(
      graph,
      () => createEntity({ kind: "CITY", name: "Policyville", policy: { policyType: "SUBSIDY" } }),
      "ValidationError",
      [["input", "policy"]],
    );
  });
});
