// Observations of the generated graph: which (entity, indicator) series exist and how long they
// are (drawn from the plan's PRNG stream), and their values (from a per-entity stream, so GDP and
// GDP growth of one place follow the same path).
import { parsePeriod } from "../../partial-date.js";
import { anyPlace, K, kindAt, kindCounts, place } from "./kinds.js";
import type { GraphPlan, GraphSizes } from "./shape.js";
import { rowRandom, Salt, shuffle } from "./random.js";

interface IndicatorSpec {
  key: string;
  kinds: readonly number[];
  periods: readonly string[];
}

const years = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const quarters = (from: number, to: number) => years(from, to).flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`));

/** Indicators observed, in a fixed order (the plan stores their index). gdp and gdp-growth are the seed's own. */
export const indicatorSpecs: readonly IndicatorSpec[] = [
  { key: "gdp", kinds: anyPlace, periods: years(2000, 2025) },
  { key: "gdp-growth", kinds: anyPlace, periods: years(2000, 2025) },
  { key: "gen-population", kinds: anyPlace, periods: years(2000, 2025) },
  { key: "gen-retail-sales-growth", kinds: place, periods: quarters(2015, 2025) },
  { key: "gen-company-revenue", kinds: [K.company], periods: years(2005, 2025) },
];

/** Definitions of the generated indicators (the seed defines gdp and gdp-growth). */
export const generatedIndicators = [
  {
    key: "gen-population",
    name: "Resident population (synthetic)",
    unit: "persons",
    description: "Year-end resident population. Synthetic: made by the graph generator.",
  },
  {
    key: "gen-retail-sales-growth",
    name: "Retail sales growth, quarterly (synthetic)",
    unit: "%",
    description:
      "Year-on-year growth of retail sales of consumer goods by quarter. Synthetic: made by the graph generator.",
  },
  {
    key: "gen-company-revenue",
    name: "Company revenue (synthetic)",
    unit: "CNY",
    description: "Annual operating revenue of a company. Synthetic: made by the graph generator.",
  },
] as const;

/** How many observations the graph can hold: every indicator's every period for every entity it applies to. */
export function observationCapacity(entities: number): number {
  const counts = kindCounts(entities);
  return indicatorSpecs.reduce(
    (sum, spec) => sum + spec.kinds.reduce((n, kind) => n + counts[kind]!, 0) * spec.periods.length,
    0,
  );
}

export function planSeries(sizes: GraphSizes, random: () => number, counts: number[], starts: number[]) {
  const pairEntity: number[] = [];
  const pairIndicator: number[] = [];
  indicatorSpecs.forEach((spec, indicator) => {
    for (const kind of spec.kinds) {
      for (let i = 0; i < counts[kind]!; i++) {
        pairEntity.push(starts[kind]! + i);
        pairIndicator.push(indicator);
      }
    }
  });
  const order = shuffle(random, pairEntity.length);
  const length = new Uint8Array(pairEntity.length);
  let left = sizes.observations;
  // First pass: series of random length (5 to all periods); then, if more are asked for, fill them up.
  for (let p = 0; p < order.length && left > 0; p++) {
    const max = indicatorSpecs[pairIndicator[order[p]!]!]!.periods.length;
    const min = Math.min(5, max);
    length[p] = Math.min(left, min + Math.floor(random() * (max - min + 1)));
    left -= length[p]!;
  }
  for (let p = 0; p < order.length && left > 0; p++) {
    const extra = Math.min(left, indicatorSpecs[pairIndicator[order[p]!]!]!.periods.length - length[p]!);
    length[p]! += extra;
    left -= extra;
  }
  const used = length.indexOf(0);
  const end = used === -1 ? order.length : used;
  return {
    entity: Int32Array.from({ length: end }, (_, p) => pairEntity[order[p]!]!),
    indicator: Uint8Array.from({ length: end }, (_, p) => pairIndicator[order[p]!]!),
    length: length.slice(0, end),
  };
}

export interface ObservationRow {
  key: string;
  entity: number;
  indicator: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  value: number;
}

const periodDates = new Map<string, { start: string; end: string }>();
function datesOf(period: string) {
  let dates = periodDates.get(period);
  if (!dates) {
    const parsed = parsePeriod(period)!;
    dates = { start: parsed.start.toISOString().slice(0, 10), end: parsed.end.toISOString().slice(0, 10) };
    periodDates.set(period, dates);
  }
  return dates;
}

const round = (value: number, step: number) => Math.round(value / step) * step;
const roundTo1 = (value: number) => Math.round(value * 10) / 10;
// Scale by prominence: the biggest hub of a kind is the largest economy, falling off by power law.
const sizeFactor = (rank: number, random: () => number) => (rank + 1) ** -0.8 * (0.7 + 0.6 * random());
const kindScale: Record<number, { gdp: number; population: number }> = {
  [K.province]: { gdp: 1.2e13, population: 6e7 },
  [K.city]: { gdp: 2.5e12, population: 9e6 },
  [K.district]: { gdp: 3e11, population: 1.2e6 },
};

/** The whole series of one indicator for one entity, oldest first, aligned with the indicator's periods. */
function seriesValues(plan: GraphPlan, entity: number, indicator: number): number[] {
  const seed = plan.sizes.seed;
  const spec = indicatorSpecs[indicator]!;
  const rank = plan.prominence[entity]!;
  const kind = kindAt(plan.kindStart, entity);
  const scale = kindScale[kind] ?? kindScale[K.city]!;
  if (spec.key === "gdp" || spec.key === "gdp-growth") {
    // GDP and its growth come from one growth path, so the two indicators agree with each other.
    const random = rowRandom(seed, Salt.economy, entity);
    const size = sizeFactor(rank, random);
    const bias = (random() - 0.5) * 3;
    const growth = spec.periods.map((p) => {
      const year = Number(p);
      const shock = year === 2020 ? -5 : year === 2009 ? -2 : 0;
      return roundTo1(11 - 0.25 * (year - 2000) + bias + shock + (random() - 0.5) * 2);
    });
    if (spec.key === "gdp-growth") return growth;
    const gdp: number[] = new Array(growth.length);
    gdp[growth.length - 1] = scale.gdp * size;
    for (let i = growth.length - 1; i > 0; i--) gdp[i - 1] = gdp[i]! / (1 + growth[i]! / 100);
    return gdp.map((v) => round(v, 1e6));
  }
  if (spec.key === "gen-population") {
    const random = rowRandom(seed, Salt.population, entity);
    const trend = (random() - 0.3) * 0.02;
    const values: number[] = new Array(spec.periods.length);
    values[values.length - 1] = scale.population * sizeFactor(rank, random);
    for (let i = values.length - 1; i > 0; i--) values[i - 1] = values[i]! / (1 + trend + (random() - 0.5) * 0.004);
    return values.map((v) => round(v, 100));
  }
  if (spec.key === "gen-retail-sales-growth") {
    const random = rowRandom(seed, Salt.retail, entity);
    const bias = (random() - 0.5) * 4;
    const shocks: Record<string, number> = { "2020-Q1": -25, "2020-Q2": -8, "2021-Q1": 25, "2022-Q2": -10 };
    return spec.periods.map((p) =>
      roundTo1(8 - 0.3 * (Number(p.slice(0, 4)) - 2015) + bias + (shocks[p] ?? 0) + (random() - 0.5) * 6),
    );
  }
  const random = rowRandom(seed, Salt.revenue, entity);
  const values: number[] = new Array(spec.periods.length);
  values[values.length - 1] = 4e10 * (rank + 1) ** -1.1 * (0.5 + random());
  for (let i = values.length - 1; i > 0; i--) values[i - 1] = values[i]! / (1 + 0.1 + (random() - 0.45) * 0.3);
  return values.map((v) => round(v, 1e4));
}

/** Observation rows in order, series by series, oldest period first. */
export function* observationRows(plan: GraphPlan): Generator<ObservationRow> {
  let n = 0;
  for (let p = 0; p < plan.series.entity.length; p++) {
    const entity = plan.series.entity[p]!;
    const indicator = plan.series.indicator[p]!;
    const spec = indicatorSpecs[indicator]!;
    const values = seriesValues(plan, entity, indicator);
    const first = spec.periods.length - plan.series.length[p]!;
    for (let i = first; i < spec.periods.length; i++) {
      const period = spec.periods[i]!;
      const { start, end } = datesOf(period);
      n++;
      yield {
        key: `${plan.keyPrefix}o-${String(n).padStart(7, "0")}`,
        entity,
        indicator: spec.key,
        period,
        periodStart: start,
        periodEnd: end,
        value: values[i]!,
      };
    }
  }
}
