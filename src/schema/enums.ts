// GraphQL enums generated from the Prisma enums, so the two can never disagree.
import { builder } from "./builder.js";
import {
  AdminLevel,
  Certainty,
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
