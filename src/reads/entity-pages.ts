// A page of an entity list (entities, cities, provinces, companies, policies) by hand-written SQL, for
// lists filtered by kind alone whose selection needs only the entities' own rows: the common browsing
// case, and the benchmark's deep page, where Prisma's compilation of the query was half the server's
// CPU. It answers exactly as Prisma answers plugin-prisma's cursor query ({ cursor, take, skip }):
// tests/schema/places.test.ts pages through every province both ways in four orders against Prisma's
// own ordering, and through a filtered list (Prisma's path) the same way.
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";

export interface EntityPageQuery {
  /** The list's filter, as SQL over "Entity". */
  where: Prisma.Sql;
  /** Sort column; the list is ordered by it (`descending` or not), then by id ascending. */
  column: "name" | "key" | "id";
  descending: boolean;
  /** The id of the row after (take > 0) or before (take < 0) which the page starts, itself excluded. */
  cursorId?: number;
  take: number;
}

export async function loadEntityPage(
  sql: SqlReader,
  { where, column, descending, cursorId, take }: EntityPageQuery,
): Promise<Entity[]> {
  const backwards = take < 0;
  const sortColumn = Prisma.raw(`"${column}"`);
  // Walking backwards reads the list in reverse from the cursor, then turns the page round.
  const columnOrder = Prisma.raw(descending === backwards ? "ASC" : "DESC");
  const idOrder = Prisma.raw(backwards ? "DESC" : "ASC");
  let seek = Prisma.sql`true`;
  if (cursorId !== undefined) {
    const past = Prisma.raw(descending === backwards ? ">" : "<");
    const pastId = Prisma.raw(backwards ? "<" : ">");
    // The cursor row's sort value comes from a scalar subquery, evaluated once, in the same statement.
    // The plain range on the sort column lets the index scan start at the cursor; the rest breaks
    // ties. A cursor row that no longer exists gives NULL, so no rows: Prisma's answer too.
    const at = Prisma.sql`(SELECT ${sortColumn} FROM "Entity" WHERE id = ${cursorId})`;
    seek = Prisma.sql`${sortColumn} ${past}= ${at} AND (${sortColumn} ${past} ${at} OR id ${pastId} ${cursorId})`;
  }
  const rows = await sql.query<Entity>(
    Prisma.sql`SELECT * FROM "Entity" WHERE (${where}) AND ${seek} ORDER BY ${sortColumn} ${columnOrder}, id ${idOrder} LIMIT ${Math.abs(take)}`,
    { prepare: true },
  );
  return backwards ? rows.reverse() : rows;
}
