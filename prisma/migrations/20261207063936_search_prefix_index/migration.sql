-- Search proposes names starting with what was typed (src/reads/search.ts): text_pattern_ops lets
-- this btree serve prefixes (LIKE 'q%') whatever the collation, as well as equality.
-- DropIndex
DROP INDEX "Alias_normalized_idx";

-- CreateIndex
CREATE INDEX "Alias_normalized_idx" ON "Alias"("normalized" text_pattern_ops);

