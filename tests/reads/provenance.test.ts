// An entity's sources: every source of a fact that touches it, the sources of its links read from the
// indexes of their ends alone (a province has thousands of links; reading each from the table cost a
// page read per link).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import { loadSourcesOfEntities, sourcesStatement } from "../../src/reads/provenance.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ readOnly: true });
});
afterAll(async () => {
  await graph?.close();
});

describe("the sources of entities", () => {
  it("are every source of a mention or fact touching each, once, in order of publication", async () => {
    const chongqing = await graph.db.prisma.entity.findUniqueOrThrow({ where: { key: "chongqing" } });
    const [sources] = await loadSourcesOfEntities(graph.db.sql, [chongqing.id]);
    const facts = await graph.db.prisma.$queryRaw<{ sourceId: number }[]>(Prisma.sql`
      SELECT "sourceId" FROM "Mention" WHERE "entityId" = ${chongqing.id}
      UNION SELECT "sourceId" FROM "Relationship" WHERE ${chongqing.id} IN ("fromId", "toId")
      UNION SELECT "sourceId" FROM "Observation" WHERE "entityId" = ${chongqing.id}
      UNION SELECT "sourceId" FROM "RankingEntry" WHERE "entityId" = ${chongqing.id}
      UNION SELECT "sourceId" FROM "PolicyFigure" WHERE "policyId" = ${chongqing.id}`);
    expect(sources!.length).toBeGreaterThan(1);
    expect(sources!.map((source) => source.id).sort()).toEqual(facts.map((fact) => fact.sourceId).sort());
  });

  it("read a relationship's source from the index of its end, not from the table", async () => {
    const ids = (await graph.db.prisma.entity.findMany({ select: { id: true }, take: 20 })).map((entity) => entity.id);
    // An index answers alone for pages the visibility map marks all-visible, as autovacuum leaves a
    // table that has settled; the seed graph is small enough for a scan of the table to win, so scans
    // are turned off to see which index can answer alone.
    await graph.db.prisma.$executeRawUnsafe(`VACUUM "Relationship"`);
    const plan = await graph.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sourcesStatement(ids)}`);
    });
    const relationshipScans = plan
      .map((row) => row["QUERY PLAN"])
      .filter((line) => / on "Relationship"/.test(line))
      .map((line) => line.trim().replace(/\s+\(cost.*$/, ""));
    expect(relationshipScans).toEqual([
      expect.stringMatching(/^-> {2}Index Only Scan using "Relationship_fromId_toId_id_idx"/),
      expect.stringMatching(/^-> {2}Index Only Scan using "Relationship_toId_fromId_id_idx"/),
    ]);
  });
});
