import { GraphQLError, Kind } from "graphql";
import { builder } from "./builder.js";
import { formatPartialDate, isoDate, parsePartialDate, type PartialDate } from "../partial-date.js";

function parseDateInput(value: unknown): PartialDate {
  const parsed = typeof value === "string" ? parsePartialDate(value) : null;
  if (!parsed) {
    throw new GraphQLError(`Expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(value)}.`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return parsed;
}

builder.scalarType("PartialDate", {
  description:
    "A calendar date at the precision its source gives: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. As input, a partial date means its first day.",
  serialize: (value) => formatPartialDate(value),
  parseValue: parseDateInput,
  parseLiteral: (ast) => parseDateInput(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType("Date", {
  description: "A calendar date, `YYYY-MM-DD`.",
  serialize: isoDate,
  parseValue: (value) => parseDateInput(value).date,
  parseLiteral: (ast) => parseDateInput(ast.kind === Kind.STRING ? ast.value : undefined).date,
});

builder.scalarType("JSON", {
  description: "Free-form properties of a fact, as a JSON object.",
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.scalarType("DateTime", {
  description: "A moment in time, ISO 8601 (`2026-11-23T02:30:00.000Z`).",
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === "string" ? new Date(value) : null;
    // Years 1 to 9999 only: Prisma cannot send year 0, a negative or a five-digit year ("+010000-01-01"),
    // and such a date came back as an internal error.
    const year = date?.getUTCFullYear() ?? Number.NaN;
    if (!date || Number.isNaN(year) || year < 1 || year > 9999) {
      throw new GraphQLError(`Expected a date-time in ISO 8601, years 1 to 9999, got ${JSON.stringify(value)}.`, {
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
    return date;
  },
});
