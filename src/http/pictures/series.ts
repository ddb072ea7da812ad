// An indicator series as a line chart: periods in order along x, values on a scale with round ticks.
// Points whose value the source gives only as a bound ("more than") are drawn hollow.
import type { Observation } from "../../generated/prisma/client.js";
import { escapeXml, round, svgDocument } from "./svg.js";

const width = 880;
const height = 480;
const plot = { left: 80, right: width - 30, top: 60, bottom: height - 70 };

function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min || Math.abs(max) || 1;
  const step0 = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count)!;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick <= max + step / 2; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

function formatValue(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${round(value / 1e12)}T`;
  if (abs >= 1e9) return `${round(value / 1e9)}B`;
  if (abs >= 1e6) return `${round(value / 1e6)}M`;
  if (abs >= 1e4) return `${round(value / 1e3)}k`;
  return String(round(value));
}

export function seriesSvg(points: Observation[], title: string, unit: string): string {
  const valued = points.filter((point): point is Observation & { value: number } => point.value !== null);
  const body: string[] = [];
  if (valued.length === 0) {
    body.push(
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="14" fill="#6b7280">No observation with a value.</text>`,
    );
    return svgDocument(width, height, title, body);
  }
  const values = valued.map((point) => point.value);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(...values));
  const [low, high] = [ticks[0]!, ticks.at(-1)!];
  const x = (index: number) =>
    plot.left +
    (valued.length === 1 ? (plot.right - plot.left) / 2 : (index * (plot.right - plot.left)) / (valued.length - 1));
  const y = (value: number) => plot.bottom - ((value - low) / (high - low || 1)) * (plot.bottom - plot.top);

  body.push(`<text x="16" y="${plot.top - 14}" font-size="12" fill="#374151">${escapeXml(unit)}</text>`);
  for (const tick of ticks) {
    body.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#e5e7eb"/>`,
    );
    body.push(
      `<text x="${plot.left - 8}" y="${round(y(tick) + 4)}" text-anchor="end" font-size="11" fill="#6b7280">${formatValue(tick)}</text>`,
    );
  }
  const everyNth = Math.ceil(valued.length / 16);
  valued.forEach((point, index) => {
    if (index % everyNth !== 0) return;
    body.push(
      `<text x="${round(x(index))}" y="${plot.bottom + 18}" text-anchor="middle" font-size="11" fill="#6b7280">${escapeXml(point.period)}</text>`,
    );
  });
  body.push(
    `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${valued.map((point, i) => `${round(x(i))},${round(y(point.value))}`).join(" ")}"/>`,
  );
  valued.forEach((point, index) => {
    const bound = point.qualifier !== "EXACT";
    const hint = `${point.period}: ${point.qualifier === "EXACT" ? "" : `${point.qualifier.toLowerCase().replace("_", " ")} `}${point.value} ${unit} — “${point.quote}”`;
    body.push(
      `<circle cx="${round(x(index))}" cy="${round(y(point.value))}" r="4.5" fill="${bound ? "#ffffff" : "#2563eb"}" stroke="#2563eb" stroke-width="2"><title>${escapeXml(hint)}</title></circle>`,
    );
  });
  return svgDocument(width, height, title, body);
}
