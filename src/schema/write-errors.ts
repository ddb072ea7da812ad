// The typed failures of mutations: every one implements `Error` (message, code), so a client can
// select `... on Error { message code }` and add fragments for the details it cares about.
import { builder } from "./builder.js";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type WriteError,
  type FieldError,
} from "../errors.js";

export const ErrorInterface = builder.interfaceRef<WriteError>("Error").implement({
  description: "Why a mutation did not happen. Nothing was written.",
  fields: (t) => ({
    message: t.exposeString("message", { description: "What went wrong, in words for a person." }),
    code: t.exposeString("code", { description: "VALIDATION_FAILED, NOT_FOUND, CONFLICT or FORBIDDEN." }),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>("FieldError").implement({
  description: "One problem with one input field.",
  fields: (t) => ({
    path: t.exposeStringList("path", { description: 'From the argument down, e.g. ["input", "validFrom"].' }),
    message: t.exposeString("message", { description: "What is wrong with the value." }),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "The input was refused: a missing or malformed value, an unknown reference, a quote not in its source.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({
      type: [FieldErrorRef],
      description: "Each refused input field, with its path.",
      resolve: (error) => error.fieldErrors,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  description: "The record to change does not exist.",
  interfaces: [ErrorInterface],
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  description:
    "The write clashes with the graph as it is: a key taken, a change made since, an idempotency key reused.",
  interfaces: [ErrorInterface],
});

const ForbiddenReasonEnum = builder.enumType("ForbiddenReason", {
  description: "Why a write was refused.",
  values: {
    MISSING_TOKEN: { description: "No `Authorization: Bearer <token>` header." },
    INVALID_TOKEN: { description: "The token is malformed, unknown or revoked." },
    MISSING_SCOPE: { description: "The token lacks the scope the mutation needs." },
  },
});

builder.objectType(ForbiddenError, {
  name: "ForbiddenError",
  description: "The request may not make this change.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.field({ type: ForbiddenReasonEnum, description: "Why.", resolve: (error) => error.reason }),
    requiredScope: t.exposeString("requiredScope", {
      nullable: true,
      description: "The scope a token needs for this mutation (`graph:write` or `graph:admin`).",
    }),
  }),
});

export const writeErrorTypes = [ValidationError, NotFoundError, ConflictError, ForbiddenError];
