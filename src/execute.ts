// graphql-js's `execute` as the server runs it (src/server.ts, `useEngine`), with one cost taken out:
// the arguments of a field that takes none.
//
// graphql-js builds every field's arguments anew, even for a field that has none: two objects made
// with `Object.create(null)`, which V8 makes in dictionary mode, about 470 bytes per field. On the
// benchmark's `cities.observations` (635 observations of 20-odd fields) that was 6.6 MB of the
// request's 16.5 MB of garbage, and the young generation's collections were a fifth of its CPU
// (docs/performance.md, "Every shape, fifth pass"). A field without arguments gets one shared empty
// object instead, frozen: a resolver that wrote into it would fail at once rather than hand what it
// wrote to another field or request. A field with arguments, and a directive's (`@include(if:)`),
// still has them coerced by graphql-js itself, errors included.
import type { getArgumentValues } from "graphql/execution/values.js";
// The default import of a CommonJS module is its exports object itself, under Node, under vitest and
// in npm start's bundle (esbuild, which then holds graphql-js's one copy): the object patched below.
import values from "graphql/execution/values.js";

export { execute } from "graphql";

type ArgumentValues = typeof getArgumentValues;

/** What every field without arguments is given: empty, without a prototype like graphql-js's, frozen. */
export const NO_ARGUMENTS: Record<string, unknown> = Object.freeze(Object.create(null));

// graphql-js's executor calls `getArgumentValues` through its module's exports object at every
// field (`(0, _values.getArgumentValues)(...)`), the CommonJS build that Node loads for `graphql`;
// that object is the one replaced here, once per process.
const marked = Symbol.for("china-regional-graph.noArguments");

if (!(values.getArgumentValues as { [marked]?: true })[marked]) {
  const coerce = values.getArgumentValues;
  const withShortcut: ArgumentValues = (def, node, variableValues) =>
    def.args.length === 0 ? NO_ARGUMENTS : coerce(def, node, variableValues);
  values.getArgumentValues = Object.assign(withShortcut, { [marked]: true as const });
}
