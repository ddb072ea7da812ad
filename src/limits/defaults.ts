// What one request may ask for, by default. Apart from the plugin (plugin.ts) so that the settings
// (src/config.ts), read before the service loads (src/main.ts), take them without loading GraphQL.
import type { CostOptions } from "./cost.js";
import type { DocumentLimits } from "./document.js";
import { DEFAULT_PAGE_SIZE } from "../schema/page-size.js";

export interface RequestLimits extends DocumentLimits {
  /** Lexical tokens of a document (graphql-js stops parsing past them). */
  maxTokens: number;
  /** Cost of an operation (src/limits/cost.ts). */
  maxCost: number;
  /** Nesting of the variables' values. */
  maxVariablesDepth: number;
  /** Characters of an answer's data printed as JSON. */
  maxResponseChars: number;
  /** Milliseconds a query may run; 0: no deadline. */
  requestTimeoutMs: number;
  cost: CostOptions;
}

/** The defaults (README, "Operating it"); each has an environment variable of the same name in capitals. */
export const defaultLimits: RequestLimits = {
  maxTokens: 5_000,
  maxDepth: 15,
  maxAliases: 30,
  maxDirectives: 50,
  maxCost: 100_000,
  maxVariablesDepth: 32,
  maxResponseChars: 10_000_000,
  requestTimeoutMs: 15_000,
  cost: { defaultPageSize: DEFAULT_PAGE_SIZE, assumedListSize: 20, maxListSize: 1_000 },
};
