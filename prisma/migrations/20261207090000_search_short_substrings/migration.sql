-- Search's substring way (src/reads/search.ts) for a query of one or two characters: a trigram index
-- cannot serve LIKE '%重庆%' (no trigram lies inside two characters), so it walked the aliases until
-- it had enough, reading all of them for a rare word (19 ms of 20 for "安康" on the generated graph of
-- 100,000 entities). Two Latin letters are common enough that the walk ends early ("ai": 0.2 ms);
-- one or two Chinese characters are a whole word, often rare. So this index holds the substrings of
-- one and two characters of each alias that are not plain ASCII: for such a query,
-- `search_grams(normalized) @> ARRAY[q]` says exactly what `normalized LIKE '%q%'` says, through an
-- index. An index on an expression, which Prisma's schema cannot state (prisma/schema.prisma says
-- so); PostgreSQL keeps it in step with every write of an alias, whoever writes it.
-- A plain ASCII name (most of them) is answered at once: writes of Latin names pay almost nothing.
CREATE FUNCTION search_grams(t text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT CASE WHEN t ~ '[^\x01-\x7f]' THEN (
      SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT substr(t, i, n) AS g FROM generate_series(1, 2) n, generate_series(1, length(t) - n + 1) i
      ) grams WHERE g ~ '[^\x01-\x7f]'
    ) ELSE '{}' END
  $$;

CREATE INDEX "Alias_grams_idx" ON "Alias" USING GIN (search_grams("normalized"));

-- The planner weighs the index against other plans by how common a substring is: give it the figures.
ANALYZE "Alias";
