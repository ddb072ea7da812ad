// Argument values for any input type of the schema, as fast-check arbitraries: each value both as a
// GraphQL literal (inline arguments) and as JSON (variables), so one generated value can travel either
// way. Values are mostly valid for their type but reach for the edges a database trips on: NUL bytes,
// LIKE wildcards, backslashes, quotes, unicode, very long text, out-of-range numbers and dates.
import fc from "fast-check";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type ConstValueNode,
  type GraphQLInputType,
  type GraphQLNamedInputType,
} from "graphql";
import type { DomainPools } from "./pools.js";

export interface GenValue {
  literal: ConstValueNode;
  /** What a variable carries; undefined means the field of an input object is left out. */
  json: unknown;
}

const stringValue = (value: string): GenValue => ({ literal: { kind: Kind.STRING, value }, json: value });
const intValue = (value: number | bigint): GenValue => ({
  literal: { kind: Kind.INT, value: String(value) },
  json: Number(value),
});
const floatValue = (value: number): GenValue => {
  // A float literal needs digits on both sides of its point in GraphQL; String() gives "1e+21", which parses.
  const text = Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
  return { literal: { kind: Kind.FLOAT, value: text }, json: value };
};
const booleanValue = (value: boolean): GenValue => ({ literal: { kind: Kind.BOOLEAN, value }, json: value });
const nullValue: GenValue = { literal: { kind: Kind.NULL }, json: null };
const enumValue = (value: string): GenValue => ({ literal: { kind: Kind.ENUM, value }, json: value });

/** Text a database or a LIKE pattern may mishandle. */
export const hostileStrings = [
  "",
  " ",
  "\u0000",
  "Chong\u0000qing",
  "\\",
  "\\\\",
  "a\\",
  "%",
  "_",
  "%%",
  "Chong%",
  "%qing",
  "C_ongqing",
  "'",
  "''",
  '"',
  "`",
  "'; SELECT 1; --",
  "重庆",
  "四川省",
  "赛力斯",
  "🚗",
  "\u202e",
  "e\u0301",
  "İ",
  "ß",
  "Ｃｈｏｎｇｑｉｎｇ",
  "\n\t\r",
  "\ud83d",
  "x".repeat(10_000),
  "名".repeat(5_000),
  "Chong qing",
  "CHONGQING",
  "[a-z]*",
  "a:b",
];

/** Where an argument's name says which real values fit it; any other string argument draws from all. */
type Hint = "name" | "relationType" | "indicator" | "sourceKey" | "topic" | "period" | "cursor" | "lang" | "text";

// The schema types these arguments as plain strings; only their names tell what they hold.
const hintOfArgument: Record<string, Hint> = {
  name: "name",
  nameContains: "name",
  province: "name",
  query: "name",
  type: "relationType",
  types: "relationType",
  indicator: "indicator",
  key: "sourceKey",
  topic: "topic",
  period: "period",
  after: "cursor",
  before: "cursor",
  lang: "lang",
};

const periods = [
  "2025",
  "2024",
  "2025-H1",
  "2023-H2",
  "2025-Q3",
  "2025-Q5",
  "2025-H3",
  "2025-07",
  "2025-07-25",
  "2025-13",
  "latest",
  "2025-02-29",
];

export class ValueArbitraries {
  private readonly cache = new Map<string, fc.Arbitrary<GenValue>>();

  constructor(
    private readonly pools: DomainPools,
    /** Names of the types that implement Node: ids of each, with good and bad keys. */
    private readonly nodeTypeNames: string[],
  ) {}

  /** A value for an argument or input field `name` of `type`: mostly valid, null where allowed. */
  of(type: GraphQLInputType, name: string): fc.Arbitrary<GenValue> {
    const key = `${String(type)}|${hintOfArgument[name] ?? name}`;
    let arbitrary = this.cache.get(key);
    if (!arbitrary) {
      arbitrary = this.build(type, name);
      this.cache.set(key, arbitrary);
    }
    return arbitrary;
  }

  /** A value of some other type than the one asked for, to break a document on purpose. */
  wrong(): fc.Arbitrary<GenValue> {
    return fc.constantFrom<GenValue>(
      stringValue("x"),
      intValue(7),
      intValue(2n ** 31n),
      intValue(-(2n ** 63n)),
      floatValue(1.5),
      booleanValue(true),
      nullValue,
      enumValue("PLANET"),
      { literal: { kind: Kind.LIST, values: [{ kind: Kind.STRING, value: "x" }] }, json: ["x"] },
      { literal: { kind: Kind.OBJECT, fields: [objectField("a", intValue(1))] }, json: { a: 1 } },
    );
  }

  private build(type: GraphQLInputType, name: string): fc.Arbitrary<GenValue> {
    if (isNonNullType(type)) return this.of(type.ofType, name).filter((value) => value.json !== null);
    if (isListType(type)) {
      const item = this.of(type.ofType, name);
      const list = fc.array(item, { maxLength: 3 }).map(
        (items): GenValue => ({
          literal: { kind: Kind.LIST, values: items.map((i) => i.literal) },
          json: items.map((i) => i.json),
        }),
      );
      // Input coercion takes a lone value for a list of one; null where the list may be null.
      return fc.oneof(
        { arbitrary: list, weight: 6 },
        { arbitrary: item, weight: 1 },
        { arbitrary: fc.constant(nullValue), weight: 1 },
      );
    }
    const named = this.named(getNamedType(type), name);
    return fc.oneof({ arbitrary: named, weight: 12 }, { arbitrary: fc.constant(nullValue), weight: 1 });
  }

  private named(type: GraphQLNamedInputType, name: string): fc.Arbitrary<GenValue> {
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => enumValue(value.name)));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).map((field) => {
        const value = this.of(field.type, field.name);
        return isNonNullType(field.type) ? value : fc.option(value, { nil: undefined, freq: 2 });
      });
      return fc.tuple(...fields).map((values): GenValue => {
        const names = Object.keys(type.getFields());
        const present = values.flatMap((value, i) => (value ? [[names[i]!, value] as const] : []));
        return {
          literal: { kind: Kind.OBJECT, fields: present.map(([field, value]) => objectField(field, value)) },
          json: Object.fromEntries(present.map(([field, value]) => [field, value.json])),
        };
      });
    }
    switch (type.name) {
      case "Int":
        return this.int(name);
      case "Float":
        return fc.double({ noNaN: true, noDefaultInfinity: true }).map(floatValue);
      case "Boolean":
        return fc.boolean().map(booleanValue);
      case "ID":
        return this.id();
      case "PartialDate":
      case "Date":
        return this.partialDate();
      case "DateTime":
        return this.dateTime();
      case "JSON":
        return jsonValue;
      default:
        return this.string(hintOfArgument[name] ?? "text");
    }
  }

  private int(name: string): fc.Arbitrary<GenValue> {
    const edges = fc.constantFrom<number | bigint>(0, -1, 101, 1000, 2 ** 31 - 1, -(2 ** 31), 2n ** 31n, 10n ** 20n);
    // Page sizes stay small so a run stays fast; the limits themselves are among the edges.
    const typical = ["first", "last", "limit"].includes(name)
      ? fc.integer({ min: 0, max: 5 })
      : fc.integer({ min: -3, max: 12 });
    return fc
      .oneof({ arbitrary: typical, weight: 8 }, { arbitrary: edges, weight: 2 }, { arbitrary: fc.integer(), weight: 1 })
      .map(intValue);
  }

  private id(): fc.Arbitrary<GenValue> {
    const keys = fc.constantFrom(
      "chongqing",
      "sichuan",
      "seres",
      "gdp",
      "1",
      "0",
      "-1",
      "99999999999999999999",
      "1.5",
      "a b",
      "a\u0000b",
      "%",
      "\\",
      "重庆",
    );
    const forged = fc
      .tuple(fc.constantFrom(...this.nodeTypeNames, "Planet", "city"), keys)
      .map(([type, key]) => globalId(type, key));
    const garbage = fc.constantFrom(
      "",
      "not-an-id",
      "Q2l0eTo=",
      "Q2l0eTpjaG9uZ3Fpbmc",
      "====",
      "City:chongqing",
      "\u0000",
    );
    return fc
      .oneof(
        { arbitrary: fc.constantFrom(...this.pools.ids), weight: 6 },
        { arbitrary: forged, weight: 3 },
        { arbitrary: garbage, weight: 1 },
      )
      .map(stringValue);
  }

  private partialDate(): fc.Arbitrary<GenValue> {
    const day = fc
      .date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    const precise = fc.tuple(day, fc.constantFrom(4, 7, 10)).map(([text, length]) => text.slice(0, length));
    const edges = fc.constantFrom(
      "0000",
      "0001",
      "9999-12-31",
      "2024-02-29",
      "2023-02-29",
      "2025-13",
      "2025-00-10",
      "2025-1-1",
      "20250101",
      "",
      "2025-07-01T00:00:00Z",
      "yesterday",
    );
    const wrongKind = fc.constantFrom(intValue(2025), booleanValue(false));
    return fc.oneof(
      { arbitrary: precise.map(stringValue), weight: 5 },
      { arbitrary: edges.map(stringValue), weight: 3 },
      { arbitrary: wrongKind, weight: 1 },
    );
  }

  private dateTime(): fc.Arbitrary<GenValue> {
    const any = fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
    const edges = fc.constantFrom(
      "2025-01-01T00:00:00Z",
      "1970-01-01",
      "0000-01-01T00:00:00Z",
      "-271821-04-20T00:00:00.000Z",
      "+275760-09-13T00:00:00.000Z",
      "now",
      "",
      "1",
    );
    return fc.oneof(any, edges).map(stringValue);
  }

  private string(hint: Hint): fc.Arbitrary<GenValue> {
    const { pools } = this;
    const real: Record<Hint, string[]> = {
      name: pools.names,
      relationType: pools.relationTypes,
      indicator: pools.indicators,
      sourceKey: pools.sourceKeys,
      topic: [...pools.topics, "auto", "economy"],
      period: periods,
      cursor: pools.cursors,
      lang: ["en", "zh", "pinyin", "fr"],
      text: [...pools.names.slice(0, 20), ...pools.relationTypes, ...periods],
    };
    const known = fc.constantFrom(...real[hint]);
    // A real value with something hostile around it: still close enough to match by accident.
    const spiked = fc
      .tuple(known, fc.constantFrom(...hostileStrings.filter((text) => text.length < 100)), fc.boolean())
      .map(([value, spike, before]) => (before ? spike + value : value + spike));
    return fc
      .oneof(
        { arbitrary: known, weight: 8 },
        { arbitrary: fc.constantFrom(...hostileStrings), weight: 3 },
        { arbitrary: spiked, weight: 2 },
        { arbitrary: fc.string({ unit: "binary", maxLength: 12 }), weight: 1 },
        { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 1 },
      )
      .map(stringValue);
  }
}

function objectField(name: string, value: GenValue) {
  return { kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: name }, value: value.literal } as const;
}

export function globalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`).toString("base64");
}

// JSON for the JSON scalar: object keys are GraphQL names so the value prints as a literal too.
const jsonValue: fc.Arbitrary<GenValue> = fc.letrec<{ value: GenValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(nullValue),
    fc.boolean().map(booleanValue),
    fc.integer().map(intValue),
    fc.constantFrom(...hostileStrings.filter((text) => text.length < 100)).map(stringValue),
    fc.array(tie("value"), { maxLength: 3 }).map(
      (items): GenValue => ({
        literal: { kind: Kind.LIST, values: items.map((item) => item.literal) },
        json: items.map((item) => item.json),
      }),
    ),
    fc.dictionary(fc.constantFrom("a", "b", "note", "key", "x_1"), tie("value"), { maxKeys: 3 }).map(
      (entries): GenValue => ({
        literal: { kind: Kind.OBJECT, fields: Object.entries(entries).map(([key, value]) => objectField(key, value)) },
        json: Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, value.json])),
      }),
    ),
  ),
})).value;
