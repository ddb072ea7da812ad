// GraphQL enums generated from the Prisma enums, so the two can never disagree.
import { builder } from "./builder.js";
import {
  AdminLevel,
  Certainty,
  DateBound,
  DatePrecision,
  DivisionType,
  EntityKind,
  FigureKind,
  PolicyType,
  Qualifier,
  SourceKind,
} from "../generated/prisma/enums.js";

export const EntityKindEnum = builder.enumType(EntityKind, { name: "EntityKind" });
export const AdminLevelEnum = builder.enumType(AdminLevel, { name: "AdminLevel" });
export const DivisionTypeEnum = builder.enumType(DivisionType, { name: "DivisionType" });
export const PolicyTypeEnum = builder.enumType(PolicyType, { name: "PolicyType" });
builder.enumType(DatePrecision, { name: "DatePrecision" });
export const DateBoundEnum = builder.enumType(DateBound, {
  name: "DateBound",
  description:
    "What a date claims, as Wikidata's earliest and latest-date qualifiers do: the date itself, or a bound on a date the source does not give.",
  values: {
    EXACT: { description: "The source gives this date (at its precision)." },
    NOT_BEFORE: {
      description:
        "The source gives no date, only an earlier event this came after: the date is the earliest it can be. The source's publication date, when known, is the latest.",
    },
    NOT_AFTER: { description: "The source gives no date, only that this had happened by then: the latest it can be." },
  },
});

/** `includePossible` beside every `asOf`: what `asOf` answers, and what the argument adds. */
export const includePossibleArg = {
  defaultValue: false,
  description:
    "With asOf: also what may have been valid that day, a start bounded (validFromBound NOT_BEFORE or NOT_AFTER) but not certainly before it.",
} as const;
export const CertaintyEnum = builder.enumType(Certainty, {
  name: "Certainty",
  description: "How firmly the source supports a fact.",
  values: {
    STATED: { description: "Stated outright, as a figure or a plain fact." },
    STATED_LOOSELY: { description: "Stated in vague words, kept in the fact's note; no number was made up." },
    INFERRED: { description: "Follows from the text without being said; the note says how." },
  },
});
export const SourceKindEnum = builder.enumType(SourceKind, { name: "SourceKind" });
export const QualifierEnum = builder.enumType(Qualifier, { name: "Qualifier" });
export const FigureKindEnum = builder.enumType(FigureKind, { name: "FigureKind" });

export const SortOrderEnum = builder.enumType("SortOrder", { values: ["ASC", "DESC"] as const });
