// The errors a client may see. Each has a fixed `extensions.code`; anything else is masked by Yoga.
import { GraphQLError } from "graphql";

export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "INVALID_ID" | "INVALID_CURSOR" | "PAGE_SIZE_OUT_OF_RANGE" | "UNKNOWN_RELATION_TYPE";

export class UserInputError extends GraphQLError {
  constructor(message: string, code: ErrorCode = "BAD_USER_INPUT", details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}
