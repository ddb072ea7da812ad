-- The sources of an entity (src/reads/provenance.ts) are the distinct sources of every fact that
-- touches it: for a province of the generated graph, thousands of relationships, each read from the
-- heap for its "sourceId" alone (272 ms for 34 provinces, one page read per link). These two
-- indexes already hold every link of an end; with "sourceId" included, that statement reads the
-- index alone (3.8 ms). Their entries keep their size: three integers and a tuple header round up to
-- the same 24 bytes as four. Same names, so Prisma's schema still names them (prisma/schema.prisma,
-- which cannot state INCLUDE).
DROP INDEX "Relationship_fromId_toId_id_idx";
CREATE INDEX "Relationship_fromId_toId_id_idx" ON "Relationship" ("fromId", "toId", id) INCLUDE ("sourceId");
DROP INDEX "Relationship_toId_fromId_id_idx";
CREATE INDEX "Relationship_toId_fromId_id_idx" ON "Relationship" ("toId", "fromId", id) INCLUDE ("sourceId");
