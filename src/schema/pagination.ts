// Page sizes for every connection, with explicit errors instead of the silent clamping Pothos does.
import { UserInputError } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

interface PageArgs {
  first?: number | null;
  last?: number | null;
}

/** Validates `first`/`last` and returns the page size to load. */
export function pageSize(args: PageArgs): number {
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value == null) continue;
    if (value < 0 || value > MAX_PAGE_SIZE) {
      throw new UserInputError(
        `Argument "${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}.`,
        "PAGE_SIZE_OUT_OF_RANGE",
        {
          argument: name,
          min: 0,
          max: MAX_PAGE_SIZE,
        },
      );
    }
  }
  return args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
}

/** Pothos' `maxSize` hook runs before any query: the place to reject an out-of-range page. */
export function checkedMaxSize(args: PageArgs): number {
  pageSize(args);
  return MAX_PAGE_SIZE;
}
