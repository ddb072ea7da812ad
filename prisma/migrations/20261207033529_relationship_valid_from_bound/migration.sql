-- CreateEnum
CREATE TYPE "DateBound" AS ENUM ('EXACT', 'NOT_BEFORE', 'NOT_AFTER');

-- AlterTable
ALTER TABLE "Relationship" ADD COLUMN     "validFromBound" "DateBound" NOT NULL DEFAULT 'EXACT';


-- A bound is a bound on a date: with no validFrom there is nothing for it to qualify.
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_validFromBound_needs_date"
  CHECK ("validFromBound" = 'EXACT' OR "validFrom" IS NOT NULL);
