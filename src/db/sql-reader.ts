// Hand-written read SQL (edge pages, neighbourhoods, paths, search, name lookups) sent straight to the
// driver. Prisma's `$queryRaw` runs each statement through its query compiler and re-types every
// value of every row; on the benchmark's traversal that was about 2 ms of server CPU per hundred
// rows, more than the statement itself took in PostgreSQL. Writes stay on Prisma, in its transactions.
import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";
import type { Prisma } from "../generated/prisma/client.js";

export interface SqlReader {
  /** Runs one read statement outside any transaction; rows typed as `$queryRaw` would type them. */
  query<Row>(sql: Prisma.Sql): Promise<Row[]>;
}

// Values come back as Prisma's `$queryRaw` returns them, whatever the driver: `date` and `timestamp`
// columns (stored as UTC by Prisma) as Dates at UTC, `bigint` as BigInt. JSON is parsed by both drivers.
const parsers: Record<number, (text: string) => unknown> = {
  20: (text) => BigInt(text),
  1082: (text) => new Date(`${text}T00:00:00Z`),
  1114: (text) => new Date(`${text.replace(" ", "T")}Z`),
  1184: (text) => new Date(text.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")),
};

// A Date parameter is sent as its UTC instant, as Prisma sends it; pg would send local time.
const parameters = (values: unknown[]) => values.map((value) => (value instanceof Date ? value.toISOString() : value));

export function pgReader(pool: pg.Pool, onQuery?: (sql: string) => void): SqlReader {
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") => parsers[oid] ?? pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
  return {
    async query<Row>(sql: Prisma.Sql) {
      onQuery?.(sql.text);
      const result = await pool.query({ text: sql.text, values: parameters(sql.values), types });
      return result.rows as Row[];
    },
  };
}

export function pgliteReader(pglite: PGlite, onQuery?: (sql: string) => void): SqlReader {
  return {
    async query<Row>(sql: Prisma.Sql) {
      onQuery?.(sql.text);
      const result = await pglite.query<Row>(sql.text, parameters(sql.values), { parsers });
      return result.rows;
    },
  };
}
