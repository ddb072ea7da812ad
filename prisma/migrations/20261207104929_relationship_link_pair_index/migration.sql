-- A list of linked entities (a place's policies, a city's provinces) names each far end once, by its
-- first link (src/reads/edges.ts, firstLink): one probe of these per edge, where PostgreSQL's generic
-- plan scanned every link of the far end (5,183 for a province) to find an earlier one.
-- CreateIndex
CREATE INDEX "Relationship_fromId_toId_id_idx" ON "Relationship"("fromId", "toId", "id");

-- CreateIndex
CREATE INDEX "Relationship_toId_fromId_id_idx" ON "Relationship"("toId", "fromId", "id");

