// The comparison as a hand-written SVG: throughput (left) and latency (right, bar to p50, whisker to
// p99) per query and system, both on log scales since the queries differ by orders of magnitude.
import { cellOf, type BenchReport } from "./report.js";
import { queryNames, queryTitles, systems, type SystemName } from "./queries.js";

const colors: Record<SystemName, string> = {
  ours: "#d9480f",
  "ours-cached": "#f59f00",
  postgraphile: "#1c7ed6",
  "pothos-textbook": "#7048e8",
  naive: "#868e96",
  floor: "#2b8a3e",
};

const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) =>
  v >= 1000
    ? `${Math.round(v).toLocaleString("en-US")}`
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

interface Axis {
  min: number;
  max: number;
}

function logAxis(values: number[]): Axis {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!finite.length) return { min: 1, max: 10 };
  return {
    min: 10 ** Math.floor(Math.log10(Math.min(...finite))),
    max: 10 ** Math.ceil(Math.log10(Math.max(...finite))),
  };
}

export function renderChart(report: BenchReport): string {
  const barH = 11;
  const barGap = 2;
  const groupGap = 16;
  const labelW = 170;
  const panelW = 380;
  const panelGap = 60;
  const top = 78;
  const groupH = systems.length * (barH + barGap) + groupGap;
  const height = top + queryNames.length * groupH + 40;
  const width = labelW + panelW * 2 + panelGap + 30;
  const left1 = labelW;
  const left2 = labelW + panelW + panelGap;

  const loads = report.cells.filter((c) => c.load).map((c) => c.load!);
  const rpsAxis = logAxis(loads.map((l) => l.rps));
  const latAxis = logAxis(loads.flatMap((l) => [l.latencyMs.p50, l.latencyMs.p99]));
  const x = (axis: Axis, left: number, v: number) =>
    left + (panelW * Math.log10(Math.max(v, axis.min) / axis.min)) / Math.log10(axis.max / axis.min);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  const g = report.database.graph;
  out.push(
    `<text x="12" y="20" font-size="14" font-weight="600">Ours vs peers: ${esc(g.entities.toLocaleString("en-US"))} entities, ${esc(g.relationships.toLocaleString("en-US"))} relationships (${report.mode}, ${esc(report.startedAt.slice(0, 10))})</text>`,
  );
  out.push(
    `<text x="12" y="36" fill="#555">autocannon, ${report.settings.connections} connections, ${report.settings.durationSeconds} s per cell; ${esc(report.machine.description)}</text>`,
  );
  // Legend
  systems.forEach((s, i) => {
    const lx = 12 + i * 150;
    out.push(
      `<rect x="${lx}" y="46" width="12" height="10" fill="${colors[s]}"/><text x="${lx + 16}" y="55">${esc(s)}</text>`,
    );
  });

  // Panels: titles, grid, ticks.
  for (const [axis, left, title] of [
    [rpsAxis, left1, "throughput, requests/s (log scale; longer is better)"],
    [latAxis, left2, "latency, ms: bar p50, whisker p99 (log scale; shorter is better)"],
  ] as const) {
    out.push(`<text x="${left}" y="${top - 8}" font-weight="600">${esc(title)}</text>`);
    for (let v = axis.min; v <= axis.max * 1.0001; v *= 10) {
      for (const m of [1, 2, 5]) {
        const tick = v * m;
        if (tick > axis.max * 1.0001) break;
        const tx = x(axis, left, tick);
        out.push(
          `<line x1="${tx.toFixed(1)}" y1="${top}" x2="${tx.toFixed(1)}" y2="${height - 34}" stroke="${m === 1 ? "#ced4da" : "#f1f3f5"}"/>`,
        );
        const label = tick >= 1 ? Math.round(tick).toLocaleString("en-US") : String(Number(tick.toPrecision(1)));
        if (m === 1)
          out.push(`<text x="${tx.toFixed(1)}" y="${height - 20}" text-anchor="middle" fill="#555">${label}</text>`);
      }
    }
  }

  queryNames.forEach((query, qi) => {
    const gy = top + qi * groupH;
    out.push(
      `<text x="${labelW - 10}" y="${gy + (systems.length * (barH + barGap)) / 2 + 4}" text-anchor="end" font-weight="600">${esc(queryTitles[query])}</text>`,
    );
    systems.forEach((system, si) => {
      const y = gy + si * (barH + barGap);
      const cell = cellOf(report, query, system);
      if (!cell?.load) {
        const why = cell?.status === "failed" ? "failed" : "n/a";
        out.push(`<text x="${left1 + 4}" y="${y + barH - 2}" fill="#adb5bd">${esc(system)}: ${why}</text>`);
        out.push(`<text x="${left2 + 4}" y="${y + barH - 2}" fill="#adb5bd">${why}</text>`);
        return;
      }
      const l = cell.load;
      const w1 = x(rpsAxis, left1, l.rps) - left1;
      out.push(
        `<rect x="${left1}" y="${y}" width="${Math.max(1, w1).toFixed(1)}" height="${barH}" fill="${colors[system]}"><title>${esc(`${system}, ${queryTitles[query]}: ${fmt(l.rps)} req/s`)}</title></rect>`,
      );
      out.push(`<text x="${(left1 + w1 + 4).toFixed(1)}" y="${y + barH - 2}" fill="#333">${fmt(l.rps)}</text>`);
      const p50 = x(latAxis, left2, l.latencyMs.p50) - left2;
      const p99 = x(latAxis, left2, l.latencyMs.p99);
      out.push(
        `<rect x="${left2}" y="${y}" width="${Math.max(1, p50).toFixed(1)}" height="${barH}" fill="${colors[system]}"><title>${esc(`${system}, ${queryTitles[query]}: p50 ${fmt(l.latencyMs.p50)} ms, p99 ${fmt(l.latencyMs.p99)} ms`)}</title></rect>`,
      );
      out.push(
        `<line x1="${(left2 + p50).toFixed(1)}" y1="${y + barH / 2}" x2="${p99.toFixed(1)}" y2="${y + barH / 2}" stroke="${colors[system]}" stroke-width="1.5"/>`,
      );
      out.push(
        `<line x1="${p99.toFixed(1)}" y1="${y + 1}" x2="${p99.toFixed(1)}" y2="${y + barH - 1}" stroke="${colors[system]}" stroke-width="1.5"/>`,
      );
      out.push(
        `<text x="${(p99 + 4).toFixed(1)}" y="${y + barH - 2}" fill="#333">${fmt(l.latencyMs.p50)} / ${fmt(l.latencyMs.p99)}</text>`,
      );
    });
  });
  out.push(`</svg>`);
  return out.join("\n");
}
