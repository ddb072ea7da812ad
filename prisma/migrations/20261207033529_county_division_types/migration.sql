-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DivisionType" ADD VALUE 'COUNTY';
ALTER TYPE "DivisionType" ADD VALUE 'AUTONOMOUS_COUNTY';
ALTER TYPE "DivisionType" ADD VALUE 'COUNTY_LEVEL_CITY';
ALTER TYPE "DivisionType" ADD VALUE 'BANNER';
ALTER TYPE "DivisionType" ADD VALUE 'AUTONOMOUS_BANNER';
ALTER TYPE "DivisionType" ADD VALUE 'FORESTRY_DISTRICT';
ALTER TYPE "DivisionType" ADD VALUE 'SPECIAL_DISTRICT';

