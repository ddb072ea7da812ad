-- AlterTable
ALTER TABLE "Observation" ADD COLUMN     "periodBound" "DateBound" NOT NULL DEFAULT 'EXACT';

