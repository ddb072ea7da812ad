-- AlterTable
ALTER TABLE "Entity" ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "locationQuote" TEXT,
ADD COLUMN     "locationSourceId" INTEGER,
ADD COLUMN     "longitude" DOUBLE PRECISION;

-- AddForeignKey
ALTER TABLE "Entity" ADD CONSTRAINT "Entity_locationSourceId_fkey" FOREIGN KEY ("locationSourceId") REFERENCES "Source"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- A position is both coordinates or neither, on the globe (Prisma's schema cannot state a CHECK).
ALTER TABLE "Entity" ADD CONSTRAINT "Entity_location_check" CHECK (
  (latitude IS NULL) = (longitude IS NULL)
  AND latitude BETWEEN -90 AND 90
  AND longitude BETWEEN -180 AND 180
);
