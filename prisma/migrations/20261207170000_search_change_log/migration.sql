-- The per-replica search index (src/reads/search-index.ts) keeps every alias in the memory of each
-- server and must never answer from a stale copy. Whoever writes an alias (mutations, imports by COPY,
-- the seed, revert, merge, delete, a cascade from a deleted entity, another server on the same
-- database), PostgreSQL logs which aliases changed here, in the writer's own transaction, through
-- statement-level triggers: one row per statement, so a COPY of 100,000 aliases adds one row.
-- Every search statement counts the rows its snapshot sees that its index has not applied (a probe
-- of the xid index); when there are any, the index reads them and the search runs again.
-- Rows are found by the writing transaction's id rather than their serial number: serial numbers are
-- taken in insert order, not commit order, so a row committed late would fall behind a reader's mark.
-- A table that Prisma's schema does not hold: no client reads it, only the search index's own SQL.
CREATE TABLE "SearchChange" (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  "aliasIds" int[],
  "entityIds" int[],
  -- TRUNCATE: every index reloads.
  reload boolean NOT NULL DEFAULT false
);
CREATE INDEX "SearchChange_xid_idx" ON "SearchChange" (xid);
CREATE INDEX "SearchChange_at_idx" ON "SearchChange" (at);

-- Rows older than a day are dropped by the writers: an index that has not looked for a change in an
-- hour reloads instead of catching up (search-index.ts), so only a transaction left open for most of
-- a day between its write and its commit could be missed.
CREATE FUNCTION search_alias_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchChange" ("aliasIds") SELECT array_agg(id) FROM changed HAVING count(*) > 0;
  DELETE FROM "SearchChange" WHERE at < clock_timestamp() - interval '1 day';
  RETURN NULL;
END $$;

CREATE FUNCTION search_alias_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchChange" (reload) VALUES (true);
  RETURN NULL;
END $$;

-- An entity's kind filters searches by kind: a change of kind re-reads the entity's aliases.
CREATE FUNCTION search_entity_kind_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SearchChange" ("entityIds") VALUES (ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE TRIGGER "Alias_search_inserted" AFTER INSERT ON "Alias"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_alias_changed();
CREATE TRIGGER "Alias_search_updated" AFTER UPDATE ON "Alias"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_alias_changed();
CREATE TRIGGER "Alias_search_deleted" AFTER DELETE ON "Alias"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_alias_changed();
CREATE TRIGGER "Alias_search_truncated" AFTER TRUNCATE ON "Alias"
  FOR EACH STATEMENT EXECUTE FUNCTION search_alias_truncated();
CREATE TRIGGER "Entity_search_kind" AFTER UPDATE OF kind ON "Entity"
  FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION search_entity_kind_changed();
