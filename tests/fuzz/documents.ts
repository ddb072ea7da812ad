// Operations built from the executable schema by type introspection: root fields with generated
// arguments (inline or as declared variables), selections to a bounded depth with aliases, __typename
// and inline fragments on interfaces and unions, mutations included (sent without a token, so they
// must be refused), a share of documents and requests broken on purpose (tests/fuzz/flaws.ts).
import fc from "fast-check";
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isNonNullType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";
import { applyFlaw, flawArbitrary, rawRequestArbitrary, type Flaw } from "./flaws.js";
import type { ArgPlan, DocumentPlan, FieldPlan, OperationPlan, SelectionPlan } from "./plans.js";
import type { DomainPools } from "./pools.js";
import { ValueArbitraries } from "./values.js";

export interface FuzzRequest {
  /** A JSON POST, a GET with the parameters in the URL, or a POST of `body` as it is. */
  transport: "post" | "get" | "raw";
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
  body?: string;
  /** The content type of `body`. */
  contentType?: string;
  /** How the request was broken on purpose; null when it was built to be valid. */
  flaw: Flaw["kind"] | "raw-body" | null;
}

export interface DocumentOptions {
  /** Levels of fields below the root, the root field included. */
  maxDepth: number;
}

/** `value` in `percent` of cases, else null: for optional parts of a selection. */
function sometimes<T>(value: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(null), weight: 100 - percent },
    { arbitrary: value, weight: percent },
  );
}

// Pagination arguments are given most of the time: the default page (20) at every level of a nested
// selection would make each request slow without finding more.
const pageArguments = new Set(["first", "last", "limit"]);

export class DocumentArbitraries {
  private readonly values: ValueArbitraries;
  private readonly selectionCache = new Map<string, fc.Arbitrary<SelectionPlan[]>>();

  constructor(
    private readonly schema: GraphQLSchema,
    pools: DomainPools,
    private readonly options: DocumentOptions = { maxDepth: 4 },
  ) {
    const node = schema.getType("Node");
    const nodeTypes = node && isAbstractType(node) ? schema.getPossibleTypes(node).map((type) => type.name) : [];
    this.values = new ValueArbitraries(pools, nodeTypes);
  }

  /** A request: mostly valid documents over POST, some over GET, some broken, a few raw bodies. */
  request(): fc.Arbitrary<FuzzRequest> {
    const built = fc
      .tuple(
        this.document(),
        flawArbitrary(this.values),
        fc.constantFrom<FuzzRequest["transport"]>("post", "post", "post", "post", "post", "get"),
      )
      .map(([plan, flaw, transport]): FuzzRequest => {
        const broken = applyFlaw(plan, flaw);
        return { transport, ...broken, flaw: flaw?.kind ?? null };
      });
    return fc.oneof({ arbitrary: built, weight: 24 }, { arbitrary: rawRequestArbitrary(), weight: 1 });
  }

  /** One operation most of the time; sometimes two, with the one to run named. */
  document(): fc.Arbitrary<DocumentPlan> {
    const single = fc.tuple(this.operation(), fc.constantFrom(null, "Q")).map(
      ([operation, name]): DocumentPlan => ({
        operations: [{ ...operation, name }],
        operationName: name,
      }),
    );
    const pair = fc.tuple(this.operation(), this.operation(), fc.constantFrom("A", "B")).map(
      ([a, b, operationName]): DocumentPlan => ({
        operations: [
          { ...a, name: "A" },
          { ...b, name: "B" },
        ],
        operationName,
      }),
    );
    return fc.oneof({ arbitrary: single, weight: 6 }, { arbitrary: pair, weight: 1 });
  }

  /** A query, or now and then a mutation. Subscriptions are left out: over HTTP they are a stream, not one answer. */
  operation(): fc.Arbitrary<OperationPlan> {
    const query = this.schema.getQueryType()!;
    const mutation = this.schema.getMutationType();
    const root = (type: GraphQLObjectType, operation: OperationPlan["operation"]) =>
      fc
        .array(
          fc.oneof(...Object.values(type.getFields()).map((field) => this.field(field, this.options.maxDepth, null))),
          {
            minLength: 1,
            maxLength: 2,
          },
        )
        .map((selections): OperationPlan => ({ operation, name: null, selections: uniqueResponseNames(selections) }));
    if (!mutation) return root(query, "query");
    return fc.oneof(
      { arbitrary: root(query, "query"), weight: 7 },
      { arbitrary: root(mutation, "mutation"), weight: 1 },
    );
  }

  /** A selection of `type` with fields down to `depth` levels; never empty (__typename at worst). */
  private selections(type: GraphQLCompositeType, depth: number): fc.Arbitrary<SelectionPlan[]> {
    const key = `${type.name}:${depth}`;
    let arbitrary = this.selectionCache.get(key);
    if (arbitrary) return arbitrary;
    const typename: FieldPlan = { kind: "field", name: "__typename", alias: null, args: [], selections: null };
    const fields = isUnionType(type)
      ? []
      : Object.values(type.getFields()).filter((field) => depth > 1 || !isCompositeType(getNamedType(field.type)));
    // About two fields per selection, whatever the type's width.
    const percent = Math.min(60, Math.max(5, Math.round(200 / Math.max(1, fields.length))));
    const parts: fc.Arbitrary<SelectionPlan | null>[] = [
      sometimes(fc.constant(typename), isUnionType(type) ? 50 : 15),
      ...fields.map((field) => sometimes(this.field(field, depth, null), percent)),
    ];
    if (isAbstractType(type)) {
      const possible = this.schema.getPossibleTypes(type);
      const each = Math.max(10, Math.round(100 / possible.length));
      parts.push(...possible.map((object) => sometimes(this.fragment(object, depth), each)));
    }
    arbitrary = fc.tuple(...parts).map((chosen) => {
      const selections = chosen.filter((selection): selection is SelectionPlan => selection !== null);
      return selections.length ? uniqueResponseNames(selections) : [typename];
    });
    this.selectionCache.set(key, arbitrary);
    return arbitrary;
  }

  private fragment(type: GraphQLObjectType, depth: number): fc.Arbitrary<SelectionPlan> {
    // A fragment is no level of its own. Its fields with arguments or selections get aliases named after
    // the type: the same field under two types' fragments may differ, and validation refuses that.
    const fields = Object.values(type.getFields()).filter(
      (field) => depth > 1 || !isCompositeType(getNamedType(field.type)),
    );
    const percent = Math.min(60, Math.max(5, Math.round(150 / Math.max(1, fields.length))));
    return fc.tuple(...fields.map((field) => sometimes(this.field(field, depth, type.name), percent))).map((chosen) => {
      const selections = chosen.filter((selection): selection is FieldPlan => selection !== null);
      return {
        kind: "fragment",
        on: type.name,
        selections: selections.length
          ? selections
          : [{ kind: "field", name: "__typename", alias: null, args: [], selections: null }],
      };
    });
  }

  private field(
    field: GraphQLField<unknown, unknown>,
    depth: number,
    fragmentOf: string | null,
  ): fc.Arbitrary<FieldPlan> {
    const returned = getNamedType(field.type);
    const selections: fc.Arbitrary<SelectionPlan[] | null> = isCompositeType(returned)
      ? this.selections(returned, depth - 1)
      : fc.constant(null);
    const args = fc.tuple(...field.args.map((arg) => this.argument(arg)));
    const alias = sometimes(fc.constantFrom("a", "b", "first", "x1"), 10);
    return fc.tuple(alias, args, selections).map(([chosenAlias, chosenArgs, chosenSelections]) => {
      const plan: FieldPlan = {
        kind: "field",
        name: field.name,
        alias: chosenAlias,
        args: chosenArgs.filter((arg): arg is ArgPlan => arg !== null),
        selections: chosenSelections,
      };
      if (fragmentOf && (plan.args.length || plan.selections)) plan.alias = `${field.name}_on${fragmentOf}`;
      return plan;
    });
  }

  private argument(arg: GraphQLArgument): fc.Arbitrary<ArgPlan | null> {
    const value = fc.tuple(this.values.of(arg.type, arg.name), fc.constantFrom(false, false, false, true)).map(
      ([generated, asVariable]): ArgPlan => ({
        name: arg.name,
        typeName: String(arg.type),
        value: generated,
        asVariable,
      }),
    );
    if (isNonNullType(arg.type) && arg.defaultValue === undefined) return value;
    return sometimes(value, pageArguments.has(arg.name) ? 80 : 30);
  }
}

/** Aliases for fields that would answer under a name already taken in the same selection set. */
function uniqueResponseNames(selections: SelectionPlan[]): SelectionPlan[] {
  const taken = new Set<string>();
  return selections.map((selection, index) => {
    if (selection.kind !== "field") return selection;
    const name = selection.alias ?? selection.name;
    if (!taken.has(name)) {
      taken.add(name);
      return selection;
    }
    const alias = `${selection.name}_${index}`;
    taken.add(alias);
    return { ...selection, alias };
  });
}
