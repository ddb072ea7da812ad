// Which observations a period range takes, their bounds respected: an EXACT period is the period,
// a NOT_AFTER one only says the value is of some time no later than the period's end (a gazetteer's
// population of no stated year), a NOT_BEFORE one of some time no earlier than its start. A range
// takes what certainly lies in it; with `possible`, also what may. One rule, in SQL, for both its
// readers (Entity.observations, observationStats).
import { Prisma } from "../generated/prisma/client.js";

export interface PeriodRange {
  /** Only periods ending on or after this day. */
  from?: Date | null;
  /** Only periods starting on or before this day. */
  to?: Date | null;
  /** Also what may lie in the range: a bounded period not known to lie outside it. */
  possible?: boolean;
}

/**
 * `from`: an EXACT period ending on or after it; a NOT_BEFORE one starting on or after it (its real
 * end is later still); a NOT_AFTER one never for certain (its real period may be any earlier one),
 * possibly when its bound ends on or after it. `to`, mirrored: a NOT_AFTER period ending on or
 * before it is certainly in; a NOT_BEFORE one never for certain, possibly when it starts by then.
 * As SQL on the observation `alias`.
 */
export function periodSql(range: PeriodRange, alias = "o"): Prisma.Sql {
  const o = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (range.from)
    parts.push(
      range.possible
        ? Prisma.sql`((${o}."periodBound" <> 'NOT_BEFORE' AND ${o}."periodEnd" >= ${range.from}::date)
            OR ${o}."periodBound" = 'NOT_BEFORE')`
        : Prisma.sql`((${o}."periodBound" = 'EXACT' AND ${o}."periodEnd" >= ${range.from}::date)
            OR (${o}."periodBound" = 'NOT_BEFORE' AND ${o}."periodStart" >= ${range.from}::date))`,
    );
  if (range.to)
    parts.push(
      range.possible
        ? Prisma.sql`((${o}."periodBound" <> 'NOT_AFTER' AND ${o}."periodStart" <= ${range.to}::date)
            OR ${o}."periodBound" = 'NOT_AFTER')`
        : Prisma.sql`((${o}."periodBound" = 'EXACT' AND ${o}."periodStart" <= ${range.to}::date)
            OR (${o}."periodBound" = 'NOT_AFTER' AND ${o}."periodEnd" <= ${range.to}::date))`,
    );
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}
