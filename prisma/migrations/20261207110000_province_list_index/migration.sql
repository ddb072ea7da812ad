-- A page of provinces (`provinces`, Entity lists of type Province) filters on kind OR (kind AND
-- adminLevel), which no index of kind serves: PostgreSQL's generic plan walked the whole name index
-- and filtered 26,894 entities of the generated graph to find 21 (240 ms). This partial index holds
-- only provinces and provincial-level cities (a few dozen rows), in name order, so a page of them is
-- read from it in any order the list offers (src/reads/entity-variants.ts states the same condition).
CREATE INDEX "Entity_province_name_idx" ON "Entity" ("name")
  WHERE kind = 'PROVINCE' OR (kind = 'CITY' AND "adminLevel" = 'PROVINCIAL');
