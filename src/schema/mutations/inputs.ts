// Input checks shared by the mutations, in zod: their failures become a ValidationError whose
// field paths start at the mutation's argument ("input", "validFrom").
import { z } from "zod";
import { parsePartialDate, parsePeriod, formatPartialDate } from "../../partial-date.js";
import { kebabCase } from "../../names.js";
import type { Json } from "../../writes/record.js";
import { ValidationError } from "../../errors.js";
import { entityAliasFields } from "../../writes/rows.js";

export const key = z
  .string()
  .regex(kebabCase, "must be kebab-case: lower-case letters and digits in words joined by '-'");
export const text = z.string().trim().min(1, "must not be empty");
export const quote = z.string().min(1, "must not be empty");

/** "2025", "2025-07" or "2025-07-25", normalised; the same parser the seed and the PartialDate scalar use. */
export const partialDate = z.string().transform((value, ctx) => {
  const parsed = parsePartialDate(value.trim());
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: `expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"` });
    return z.NEVER;
  }
  return formatPartialDate(parsed);
});

export const period = z
  .string()
  .refine(
    (value) => parsePeriod(value) !== null,
    'expected a period such as "2025", "2025-H1", "2025-Q3" or "2025-07"',
  );

export const properties = z.record(z.string(), z.unknown()).transform((value) => value as { [key: string]: Json });

/** The languages a name may be in: the alias row's (src/writes/rows.ts). */
export const aliasLang = entityAliasFields.lang;

/** Parses arguments with a schema; problems become one ValidationError listing every field. */
export function parseArgs<T>(schema: z.ZodType<T>, args: unknown): T {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  );
}

/** The current snapshot with the fields the client sent; `undefined` means "not sent, keep". */
export function patch<S extends Record<string, Json>>(current: S, changes: { [K in keyof S]?: S[K] | undefined }): S {
  const next: Record<string, Json> = { ...current };
  for (const [field, value] of Object.entries(changes)) if (value !== undefined) next[field] = value as Json;
  return next as S;
}

/** Runs a write whose record-level problems (["to"]) belong to an argument (["input", "to"]). */
export async function within<T>(argument: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ValidationError ? error.within([argument]) : error;
  }
}
