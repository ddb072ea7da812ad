// The synthetic graph as a plan, before anything is written. The structure (edges, observation
// series) comes from one PRNG stream drawn in a fixed order; per-row details (names, dates, values)
// come from a PRNG seeded by the row's index. So the same seed and sizes give the same rows whatever
// the batch size, the database or the order in which rows are written.
import type { AdminLevel, DivisionType, EntityKind, PolicyType } from "../../generated/prisma/enums.js";
import { anyPlace, K, kindAt, kindCounts, kindSpecs, place, policyStyles } from "./kinds.js";
import { mix, mulberry32, rowRandom, Salt, shuffle, zipf } from "./random.js";
import { planSeries } from "./series.js";
import type { GraphPlan, GraphSizes } from "./shape.js";

// Pinyin-like syllables: names read like Chinese places without being real ones (every kind's name
// also ends in a kind word, so "Hefei" of the seed graph is never shadowed by a generated "Hefei").
const syllables = [
  "an",
  "bai",
  "bao",
  "bei",
  "chang",
  "cheng",
  "chun",
  "da",
  "dong",
  "feng",
  "fu",
  "gao",
  "guang",
  "hai",
  "he",
  "heng",
  "hua",
  "jia",
  "jian",
  "jin",
  "jing",
  "kang",
  "lan",
  "le",
  "lin",
  "long",
  "ming",
  "nan",
  "ning",
  "ou",
  "ping",
  "qing",
  "rui",
  "shan",
  "sheng",
  "shi",
  "tai",
  "tian",
  "wan",
  "wei",
  "wen",
  "xi",
  "xin",
  "xing",
  "ya",
  "yang",
  "yi",
  "yong",
  "yuan",
  "yun",
  "ze",
  "zhong",
] as const;

export interface EntityRow {
  key: string;
  kind: EntityKind;
  name: string;
  adminLevel: AdminLevel | null;
  divisionType: DivisionType | null;
  policyType: PolicyType | null;
  /** For policies: the year the policy starts. */
  startsYear: number | null;
}

export const keyPrefixFor = (seed: number) => `gen-s${seed}-`;

/** A unique name stem per entity: its index mapped one-to-one onto strings of syllables. */
function stem(plan: GraphPlan, index: number): string {
  const base = syllables.length;
  let code = (plan.stems.a * index + plan.stems.b) % plan.stems.space;
  const digits: number[] = [];
  for (let i = 0; i < plan.stems.length; i++, code = Math.floor(code / base)) digits.push(code % base);
  // Feistel-like rounds: each digit is shifted by a hash of the others, which keeps the map one-to-one
  // but stops neighbouring indexes from getting neighbouring names.
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < digits.length; i++) {
      const others = digits.reduce((h, d, j) => (j === i ? h : mix(h, d * 8 + j)), plan.sizes.seed + round);
      digits[i] = (digits[i]! + others) % base;
    }
  }
  // An apostrophe keeps a vowel-initial syllable apart from the one before, as in Xi'an.
  const parts = digits.map((d, i) => (i > 0 && /^[aeo]/.test(syllables[d]!) ? `'${syllables[d]}` : syllables[d]!));
  const text = parts.join("");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function entityRow(plan: GraphPlan, index: number): EntityRow {
  const kindIndex = kindAt(plan.kindStart, index);
  const spec = kindSpecs[kindIndex]!;
  const random = rowRandom(plan.sizes.seed, Salt.name, index);
  const style = Math.floor(random() * spec.styles.length);
  const local = index - plan.kindStart[kindIndex]! + 1;
  const isPolicy = spec.kind === "POLICY";
  return {
    key: `${plan.keyPrefix}${spec.slug}-${String(local).padStart(plan.keyWidth, "0")}`,
    kind: spec.kind,
    name: `${stem(plan, index)} ${spec.styles[style]}`,
    adminLevel: spec.adminLevel,
    divisionType: spec.divisionType,
    policyType: isPolicy ? policyStyles[style]![1] : null,
    startsYear: isPolicy ? 2000 + Math.floor(random() * 26) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Relationships

interface Template {
  type: string;
  from: readonly number[];
  to: readonly number[];
  /** Power-law exponents for picking each end: the larger, the more edges go to the top hubs. */
  sFrom: number;
  sTo: number;
  /** Share of the edges left after the structural ones (0 for structural templates). */
  weight: number;
  /** One edge per entity of `from` (a city lies in one province); otherwise many-to-many. */
  structural: boolean;
  symmetric: boolean;
  /** Share of edges with a validFrom date, and of those, with a validTo. */
  dated: number;
  ended: number;
}

const tpl = (type: string, from: readonly number[], to: readonly number[], rest: Partial<Template>): Template => ({
  type,
  from,
  to,
  sFrom: 0.6,
  sTo: 1,
  weight: 0,
  structural: false,
  symmetric: false,
  dated: 0.85,
  ended: 0.12,
  ...rest,
});

export const templates: readonly Template[] = [
  tpl("LOCATED_IN", [K.city], [K.province], { structural: true, sTo: 0.6, dated: 0.2, ended: 0 }),
  tpl("LOCATED_IN", [K.district], [K.city], { structural: true, dated: 0.2, ended: 0.03 }),
  tpl("HEADQUARTERED_IN", [K.company], [K.city], { structural: true, sTo: 1.1, dated: 0.6, ended: 0.05 }),
  tpl("BRAND_OF", [K.brand], [K.company], { structural: true, dated: 0.7, ended: 0.05 }),
  tpl("GOVERNMENT_BODY_OF", [K.organization], place, { structural: true, sTo: 0.9, dated: 0.3, ended: 0 }),
  tpl("ISSUED_BY", [K.policy], [K.organization], { structural: true, dated: 0.9, ended: 0 }),
  tpl("APPLIES_TO", [K.policy], anyPlace, { weight: 18, sFrom: 0.9 }),
  tpl("PARTICIPATES_IN", place, [K.policy], { weight: 12, sFrom: 0.9 }),
  tpl("PARTICIPATES_IN", [K.organization], [K.policy], { weight: 5 }),
  tpl("BASED_IN", [K.company], anyPlace, { weight: 14, sFrom: 0.8, sTo: 1.05 }),
  tpl("BASED_IN", [K.brand], [K.city], { weight: 5 }),
  tpl("DEVELOPED_WITH", [K.brand], [K.company], { weight: 10, sTo: 1.1 }),
  tpl("UNDERPINS", [K.company], place, { weight: 6, sFrom: 1 }),
  tpl("FUNDED_BY", [K.policy], [K.organization], { weight: 8 }),
  tpl("ALIGNED_WITH", [K.policy], [K.policy], { weight: 8, sFrom: 0.3, sTo: 1.2 }),
  tpl("PLANS", [K.policy], [K.district], { weight: 3, sFrom: 0.5, sTo: 0.8 }),
  tpl("TWIN_CITY_OF", [K.city], [K.city], { weight: 5, symmetric: true, sFrom: 0.8, sTo: 0.8 }),
  tpl("VAT_REFUND_PARTNER", [K.province], [K.province], {
    weight: 1,
    symmetric: true,
    sFrom: 0.5,
    sTo: 0.5,
    ended: 0.05,
  }),
  tpl("OVERTOOK", [K.city], [K.city], { weight: 2, sFrom: 0.5, sTo: 0.7, ended: 0 }),
];

export const relationTypesUsed = [...new Set(templates.map((t) => t.type))];

/** Picks entities from a pool of kinds in prominence order: the provinces of a pool come first. */
class Pool {
  readonly size: number;
  constructor(
    private readonly kinds: readonly number[],
    private readonly counts: number[],
    private readonly starts: number[],
    private readonly byRank: Int32Array[],
  ) {
    this.size = kinds.reduce((sum, kind) => sum + counts[kind]!, 0);
  }
  at(rank: number): number {
    for (const kind of this.kinds) {
      if (rank < this.counts[kind]!) return this.starts[kind]! + this.byRank[kind]![rank]!;
      rank -= this.counts[kind]!;
    }
    throw new RangeError("rank outside the pool");
  }
}

function planEdges(sizes: GraphSizes, random: () => number, counts: number[], starts: number[], byRank: Int32Array[]) {
  const total = sizes.relationships;
  const edges = { template: new Uint8Array(total), from: new Int32Array(total), to: new Int32Array(total) };
  const pools = templates.map((t) => ({
    from: new Pool(t.from, counts, starts, byRank),
    to: new Pool(t.to, counts, starts, byRank),
  }));
  const samePool = templates.map((t) => t.from.join() === t.to.join());
  const usable = (i: number) => {
    const { from, to } = pools[i]!;
    return from.size > 0 && to.size > 0 && (!samePool[i] || from.size >= 2);
  };
  let n = 0;

  // Structural edges: each child gets one parent, the parent drawn by power law (big provinces, hub cities).
  const structural = templates.map((t, i) => (t.structural && usable(i) ? pools[i]!.from.size : 0));
  const structuralTotal = structural.reduce((a, b) => a + b, 0);
  const budget = Math.min(structuralTotal, total);
  const quota = structural.map((size) => Math.floor((budget * size) / Math.max(1, structuralTotal)));
  for (let i = 0, left = budget - quota.reduce((a, b) => a + b, 0); left > 0 && i < quota.length; i++) {
    if (quota[i]! < structural[i]!) {
      quota[i]! += 1;
      left--;
    }
  }
  templates.forEach((t, i) => {
    const start = starts[t.from[0]!]!;
    for (let child = 0; child < quota[i]!; child++) {
      edges.template[n] = i;
      edges.from[n] = start + child;
      edges.to[n] = pools[i]!.to.at(zipf(random(), pools[i]!.to.size, t.sTo));
      n++;
    }
  });

  // Many-to-many edges: both ends by power law; a pair already linked by the same type is redrawn, so
  // only graphs too small to hold that many distinct pairs get parallel edges.
  let candidates = templates.map((t, i) => (!t.structural && usable(i) ? t.weight : 0));
  if (!candidates.some((w) => w > 0)) candidates = templates.map((_, i) => (usable(i) ? 1 : 0));
  const cumulative: number[] = [];
  candidates.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const weightTotal = cumulative[cumulative.length - 1]!;
  const seen = new Set<number>();
  const entities = sizes.entities;
  const pairKey = (i: number, a: number, b: number) => (i * entities + a) * entities + b;
  for (let e = 0; e < n; e++) seen.add(pairKey(edges.template[e]!, edges.from[e]!, edges.to[e]!));
  while (n < total) {
    let pick = { template: 0, from: 0, to: 0 };
    for (let attempt = 0; attempt < 50; attempt++) {
      const u = random() * weightTotal;
      let i = 0;
      while (cumulative[i]! <= u) i++;
      const t = templates[i]!;
      const { from: fromPool, to: toPool } = pools[i]!;
      const fromRank = zipf(random(), fromPool.size, t.sFrom);
      let toRank = zipf(random(), toPool.size, t.sTo);
      if (samePool[i] && toRank === fromRank) toRank = (toRank + 1) % toPool.size;
      let a = fromPool.at(fromRank);
      let b = toPool.at(toRank);
      if (t.symmetric && b < a) [a, b] = [b, a];
      pick = { template: i, from: a, to: b };
      if (!seen.has(pairKey(i, a, b))) break;
    }
    seen.add(pairKey(pick.template, pick.from, pick.to));
    edges.template[n] = pick.template;
    edges.from[n] = pick.from;
    edges.to[n] = pick.to;
    n++;
  }
  return edges;
}

export interface RelationshipRow {
  key: string;
  type: string;
  from: number;
  to: number;
  validFrom: string | null;
  validFromPrecision: "YEAR" | "MONTH" | "DAY" | null;
  validTo: string | null;
  validToPrecision: "YEAR" | "MONTH" | "DAY" | null;
  properties: string | null;
}

function partialDate(random: () => number, minYear: number, maxYear: number) {
  const year = minYear + Math.floor(random() * (maxYear - minYear + 1));
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const p = random();
  const precision = p < 0.5 ? "YEAR" : p < 0.8 ? "MONTH" : "DAY";
  const mm = precision === "YEAR" ? "01" : String(month).padStart(2, "0");
  const dd = precision === "DAY" ? String(day).padStart(2, "0") : "01";
  return { year, text: `${year}-${mm}-${dd}`, precision } as const;
}

export function relationshipRow(plan: GraphPlan, index: number): RelationshipRow {
  const t = templates[plan.edges.template[index]!]!;
  const random = rowRandom(plan.sizes.seed, Salt.edge, index);
  const row: RelationshipRow = {
    key: `${plan.keyPrefix}r-${String(index + 1).padStart(7, "0")}`,
    type: t.type,
    from: plan.edges.from[index]!,
    to: plan.edges.to[index]!,
    validFrom: null,
    validFromPrecision: null,
    validTo: null,
    validToPrecision: null,
    properties: null,
  };
  let fromYear = 2010;
  if (random() < t.dated) {
    const from = partialDate(random, 1995, 2025);
    fromYear = from.year;
    row.validFrom = from.text;
    row.validFromPrecision = from.precision;
    if (random() < t.ended && from.year < 2025) {
      const to = partialDate(random, from.year + 1, 2026);
      row.validTo = to.text;
      row.validToPrecision = to.precision;
    }
  }
  if (t.type === "OVERTOOK") row.properties = JSON.stringify({ indicator: "gdp", year: fromYear });
  return row;
}

// ---------------------------------------------------------------------------------------------

export function planGraph(sizes: GraphSizes): GraphPlan {
  const random = mulberry32(sizes.seed);
  const counts = kindCounts(sizes.entities);
  const kindStart: number[] = [];
  let start = 0;
  for (const count of counts) {
    kindStart.push(start);
    start += count;
  }
  // Who is a hub is decided per kind by a shuffle, so hubs are spread over the keys, and the same
  // entities lead every relationship type (the city with most districts also hosts most companies).
  const byRank = counts.map((count) => shuffle(random, count));
  const prominence = new Int32Array(sizes.entities);
  for (const [kind, order] of byRank.entries()) {
    for (const [rank, local] of order.entries()) prominence[kindStart[kind]! + local] = rank;
  }

  let length = 3;
  while (syllables.length ** length < sizes.entities) length++;
  const space = syllables.length ** length;
  // An affine map with a multiplier coprime to the space (52 = 4 x 13) is a bijection: unique stems.
  let a = (mix(sizes.seed, Salt.stemA) % space) | 1;
  while (a % 13 === 0) a += 2;
  const b = mix(sizes.seed, Salt.stemB) % space;

  const edges = planEdges(sizes, random, counts, kindStart, byRank);
  const series = planSeries(sizes, random, counts, kindStart);
  return {
    sizes,
    keyPrefix: keyPrefixFor(sizes.seed),
    counts,
    kindStart,
    prominence,
    edges,
    series,
    stems: { length, space, a, b },
    keyWidth: Math.max(6, String(Math.max(...counts)).length),
  };
}
