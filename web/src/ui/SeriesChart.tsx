// One indicator's observations over time as a small line chart: a point per period (at its end), a
// bar for a range ("1.1 to 1.2 trillion"), the latest value written out. Values only; the list below
// the chart carries each point's sentence and source.
export interface SeriesPoint {
  id: string;
  period: string;
  periodEnd: string;
  value: number | null;
  valueMax: number | null;
  unit: string;
}

const width = 280;
const height = 90;
const pad = { left: 36, right: 8, top: 8, bottom: 18 };

export function SeriesChart({ points }: { points: SeriesPoint[] }) {
  const known = points.filter((point) => point.value !== null);
  if (known.length === 0) return null;
  const times = known.map((point) => Date.parse(point.periodEnd));
  const values = known.flatMap((point) => [point.value!, point.valueMax ?? point.value!]);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(0, ...values), Math.max(...values)];
  const x = (time: number) => pad.left + (t1 === t0 ? 0.5 : (time - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (value: number) =>
    height - pad.bottom - (v1 === v0 ? 0.5 : (value - v0) / (v1 - v0)) * (height - pad.top - pad.bottom);
  const line = known.map((point, index) => `${index ? "L" : "M"}${x(times[index]!)},${y(point.value!)}`).join(" ");
  const last = known.at(-1)!;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${known.length} observations, latest ${last.period}: ${last.value} ${last.unit}`}
    >
      <line x1={pad.left} x2={width - pad.right} y1={y(v0)} y2={y(v0)} class="axis" />
      <text x={pad.left - 4} y={y(v1) + 4} text-anchor="end" class="tick">
        {v1}
      </text>
      <text x={pad.left - 4} y={y(v0)} text-anchor="end" class="tick">
        {v0}
      </text>
      {known.length > 1 && <path d={line} class="series-line" />}
      {known.map((point, index) => (
        <g key={point.id}>
          {point.valueMax !== null && (
            <line
              x1={x(times[index]!)}
              x2={x(times[index]!)}
              y1={y(point.value!)}
              y2={y(point.valueMax)}
              class="range"
            />
          )}
          <circle cx={x(times[index]!)} cy={y(point.value!)} r={3} class="series-point">
            <title>
              {point.period}: {point.value} {point.unit}
            </title>
          </circle>
        </g>
      ))}
      <text x={pad.left} y={height - 4} class="tick">
        {known[0]!.period}
      </text>
      <text x={width - pad.right} y={height - 4} text-anchor="end" class="tick">
        {last.period} · {last.unit}
      </text>
    </svg>
  );
}
