// Which observations a period range takes, their bounds respected: an EXACT period is the period,
// a NOT_AFTER one only says the value is of some time no later than the period's end (a gazetteer's
// population of no stated year), a NOT_BEFORE one of some time no earlier than its start. A range
// takes what certainly lies in it; with `possible`, also what may. One rule, in the two forms its
// readers need: a Prisma filter (Entity.observations) and SQL (observationStats).
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
 */
export function periodWhere(range: PeriodRange): Prisma.ObservationWhereInput {
  const parts: Prisma.ObservationWhereInput[] = [];
  const { from, to, possible } = range;
  if (from)
    parts.push({
      OR: possible
        ? [{ periodBound: { not: "NOT_BEFORE" }, periodEnd: { gte: from } }, { periodBound: "NOT_BEFORE" }]
        : [
            { periodBound: "EXACT", periodEnd: { gte: from } },
            { periodBound: "NOT_BEFORE", periodStart: { gte: from } },
          ],
    });
  if (to)
    parts.push({
      OR: possible
        ? [{ periodBound: { not: "NOT_AFTER" }, periodStart: { lte: to } }, { periodBound: "NOT_AFTER" }]
        : [
            { periodBound: "EXACT", periodStart: { lte: to } },
            { periodBound: "NOT_AFTER", periodEnd: { lte: to } },
          ],
    });
  return parts.length ? { AND: parts } : {};
}

/** `periodWhere` as SQL on the observation `alias` (certain only: observationStats counts facts). */
export function periodSql(range: Omit<PeriodRange, "possible">, alias = "o"): Prisma.Sql {
  const o = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (range.from)
    parts.push(Prisma.sql`((${o}."periodBound" = 'EXACT' AND ${o}."periodEnd" >= ${range.from}::date)
      OR (${o}."periodBound" = 'NOT_BEFORE' AND ${o}."periodStart" >= ${range.from}::date))`);
  if (range.to)
    parts.push(Prisma.sql`((${o}."periodBound" = 'EXACT' AND ${o}."periodStart" <= ${range.to}::date)
      OR (${o}."periodBound" = 'NOT_AFTER' AND ${o}."periodEnd" <= ${range.to}::date))`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}
