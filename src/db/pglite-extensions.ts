// PGlite loads extensions at construction, before any migration runs CREATE EXTENSION.
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const pgliteExtensions = { pg_trgm };
