// What a document asks for before anything runs: how deep its selections go, how many aliases and
// directives it holds once its fragments are spread, and text PostgreSQL could not store. Measured
// right after parsing, before graphql-js validates it: validation itself is what a fragment bomb
// (20 levels of two aliases each, 1.5 KB) keeps busy for minutes.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from "graphql";
import { LimitExceededError, NulCharacterError } from "../errors.js";

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

interface Shape {
  depth: number;
  aliases: number;
  directives: number;
}

const none: Shape = { depth: 0, aliases: 0, directives: 0 };

/**
 * The deepest, and the largest counts of, the document's operations with every fragment spread where
 * it is used. Each fragment is measured once, so the time is linear in the document's size however
 * many times its fragments multiply (the counts themselves may be astronomical: that is the point).
 */
export function measureDocument(document: DocumentNode): Shape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Shape>();
  const measuring = new Set<string>();

  const fragmentShape = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown or cyclic fragments are validation's to refuse; they add nothing here.
    if (!fragment || measuring.has(name)) return none;
    measuring.add(name);
    const shape = selectionShape(fragment.selectionSet);
    shape.directives += fragment.directives?.length ?? 0;
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const selectionShape = (set: SelectionSetNode): Shape => {
    const shape = { depth: 0, aliases: 0, directives: 0 };
    for (const selection of set.selections) {
      shape.directives += selection.directives?.length ?? 0;
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        inner = selection.selectionSet ? selectionShape(selection.selectionSet) : none;
        shape.depth = Math.max(shape.depth, 1 + inner.depth);
        if (selection.alias) shape.aliases += 1;
      } else {
        inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selectionShape(selection.selectionSet)
            : fragmentShape(selection.name.value);
        shape.depth = Math.max(shape.depth, inner.depth);
      }
      shape.aliases += inner.aliases;
      shape.directives += inner.directives;
    }
    return shape;
  };

  const total = { depth: 0, aliases: 0, directives: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = selectionShape(definition.selectionSet);
    total.depth = Math.max(total.depth, shape.depth);
    total.aliases = Math.max(total.aliases, shape.aliases);
    total.directives = Math.max(total.directives, shape.directives + (definition.directives?.length ?? 0));
  }
  return total;
}

/** The first limit the document breaks, or a NUL in one of its strings; null when it may run. */
export function checkDocument(
  document: DocumentNode,
  limits: DocumentLimits,
): LimitExceededError | NulCharacterError | null {
  const shape = measureDocument(document);
  if (shape.depth > limits.maxDepth) {
    return new LimitExceededError(
      `The query is ${shape.depth} levels deep; the limit is ${limits.maxDepth} (MAX_DEPTH).`,
      "depth",
      limits.maxDepth,
      shape.depth,
    );
  }
  if (shape.aliases > limits.maxAliases) {
    return new LimitExceededError(
      `The query holds ${count(shape.aliases)} aliases with its fragments spread; the limit is ${limits.maxAliases} (MAX_ALIASES).`,
      "aliases",
      limits.maxAliases,
      shape.aliases,
    );
  }
  if (shape.directives > limits.maxDirectives) {
    return new LimitExceededError(
      `The query holds ${count(shape.directives)} directives with its fragments spread; the limit is ${limits.maxDirectives} (MAX_DIRECTIVES).`,
      "directives",
      limits.maxDirectives,
      shape.directives,
    );
  }
  return nulInStrings(document);
}

function nulInStrings(document: DocumentNode): NulCharacterError | null {
  // Strings are leaves of small documents (the token limit bounds them): a plain walk of the tree.
  const pending: unknown[] = [document];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
    } else if (node && typeof node === "object") {
      const { kind, value, loc } = node as {
        kind?: string;
        value?: unknown;
        loc?: { startToken: { line: number; column: number } };
      };
      if (kind === Kind.STRING && typeof value === "string" && value.includes("\0")) {
        const at = loc ? ` at line ${loc.startToken.line}, column ${loc.startToken.column}` : "";
        return new NulCharacterError(`The string${at}`);
      }
      for (const key in node) if (key !== "loc") pending.push((node as Record<string, unknown>)[key]);
    }
  }
  return null;
}

/** Large counts in words a person can read (a fragment bomb's aliases run to 2^20 and beyond). */
export function count(value: number): string {
  return value < 1e15 ? Math.round(value).toLocaleString("en-US") : value.toExponential(1);
}
