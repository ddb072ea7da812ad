-- search_grams (20261207090000_search_short_substrings) as PL/pgSQL, the same grams: an SQL function
-- with a subquery is not inlined, so PostgreSQL ran its subquery through the SQL-function executor
-- for every alias, 65 us each on PGlite: building "Alias_grams_idx" over the seed's 15,185 aliases
-- took about 2 s of a first start's 12 (docs/performance.md, "Memory and start-up"), and every
-- alias written pays it. PL/pgSQL keeps its plans: ten times less (0.1 s), the same set of grams
-- for every alias of the seed (checked both ways with @>; order and repeats mean nothing to the
-- GIN index or to `@>`).
CREATE OR REPLACE FUNCTION search_grams(t text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
DECLARE
  grams text[] := '{}';
  g text;
  len int := length(t);
BEGIN
  IF t !~ '[^\x01-\x7f]' THEN
    RETURN grams;
  END IF;
  FOR n IN 1..2 LOOP
    FOR i IN 1..len - n + 1 LOOP
      g := substr(t, i, n);
      IF g ~ '[^\x01-\x7f]' AND NOT g = ANY (grams) THEN
        grams := grams || g;
      END IF;
    END LOOP;
  END LOOP;
  RETURN grams;
END
$$;

-- The index holds what the new function returns for every alias (the same grams, now in order of
-- appearance).
REINDEX INDEX "Alias_grams_idx";
