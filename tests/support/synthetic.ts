// Grows the graph with synthetic provinces, cities, relationships and mentions, so tests can compare
// the same query on a small and a larger graph.
import type { PrismaClient } from "../../src/generated/prisma/client.js";

export async function addSyntheticCities(prisma: PrismaClient, cities: number, tag: string): Promise<void> {
  const source = await prisma.source.create({
    data: { key: `synthetic-${tag}`, kind: "REFERENCE", title: `Synthetic data ${tag}`, body: "" },
  });
  const province = await prisma.entity.create({
    data: {
      key: `synthetic-province-${tag}`,
      kind: "PROVINCE",
      name: `Synthetic Province ${tag}`,
      adminLevel: "PROVINCIAL",
    },
  });
  await prisma.entity.createMany({
    data: Array.from({ length: cities }, (_, i) => ({
      key: `synthetic-city-${tag}-${i}`,
      kind: "CITY" as const,
      name: `Synthetic City ${tag} ${i}`,
      adminLevel: "PREFECTURAL" as const,
    })),
  });
  const created = await prisma.entity.findMany({
    where: { key: { startsWith: `synthetic-city-${tag}-` } },
    orderBy: { id: "asc" },
  });
  const provenance = { sourceId: source.id, quote: "", certainty: "STATED" as const };
  await prisma.relationship.createMany({
    data: created.flatMap((city, i) => [
      { key: `syn-loc-${tag}-${i}`, typeKey: "LOCATED_IN", fromId: city.id, toId: province.id, ...provenance },
      {
        key: `syn-twin-${tag}-${i}`,
        typeKey: "TWIN_CITY_OF",
        fromId: city.id,
        toId: created[(i + 1) % created.length]!.id,
        ...provenance,
      },
    ]),
  });
  await prisma.mention.createMany({
    data: created.map((city) => ({ entityId: city.id, sourceId: source.id, quote: city.name })),
  });
}
