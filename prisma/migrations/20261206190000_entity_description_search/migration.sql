-- Full-text search on descriptions (src/db/search.ts) filters on to_tsvector('simple', description).
-- Without an index on that expression every search computed it for every entity: a parallel scan of
-- the whole table, 12 ms of 34 on the generated graph of 100,000 entities. Prisma's schema cannot
-- express an index on an expression, so it lives here only (prisma/schema.prisma says so).
CREATE INDEX "Entity_description_fts_idx" ON "Entity" USING GIN (to_tsvector('simple', "description"));
