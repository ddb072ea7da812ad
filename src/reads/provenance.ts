// Which sources speak about an entity: its mentions and every fact that touches it, in one statement.
import { Prisma, type Source } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";

export async function loadSourcesOfEntities(sql: SqlReader, entityIds: readonly number[]): Promise<Source[][]> {
  const rows = await sql.query<Source & { entityId: number }>(sourcesStatement(entityIds));
  const byEntity = new Map<number, Source[]>(entityIds.map((id) => [id, []]));
  for (const { entityId, ...source } of rows) byEntity.get(entityId)?.push(source);
  return entityIds.map((id) => byEntity.get(id)!);
}

/**
 * The statement: a relationship's source is read from the index of its end alone (the indexes
 * INCLUDE "sourceId": prisma/migrations/20261207200000_relationship_sources_in_index), not from the
 * heap, one page per link, for an end of thousands of links.
 */
export function sourcesStatement(entityIds: readonly number[]): Prisma.Sql {
  return Prisma.sql`
    WITH facts("entityId", "sourceId") AS (
      SELECT "entityId", "sourceId" FROM "Mention"
      UNION SELECT "fromId", "sourceId" FROM "Relationship"
      UNION SELECT "toId", "sourceId" FROM "Relationship"
      UNION SELECT "entityId", "sourceId" FROM "Observation"
      UNION SELECT "entityId", "sourceId" FROM "RankingEntry"
      UNION SELECT "policyId", "sourceId" FROM "PolicyFigure"
    )
    SELECT f."entityId", s.*
    FROM facts f JOIN "Source" s ON s.id = f."sourceId"
    WHERE f."entityId" = ANY(${[...entityIds]}::int[])
    ORDER BY f."entityId", s."publishedOn" NULLS LAST, s.id`;
}
