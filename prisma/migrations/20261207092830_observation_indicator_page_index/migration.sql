-- DropIndex
DROP INDEX "Observation_indicatorId_periodStart_idx";

-- CreateIndex
CREATE INDEX "Observation_indicatorId_periodStart_id_idx" ON "Observation"("indicatorId", "periodStart", "id");

