// A neighbourhood as a picture: the centre in the middle, each further hop on a wider ring, nodes
// coloured by kind, every edge an arrow from its relationship's `from` to its `to` labelled with the
// relation; a group larger than the fold threshold is one grey node ("+28 provinces and cities"), as
// in the explorer (web/src/graph/picture.ts). Hovering a node or an edge shows its name, or the
// relation and its quote; that is also where a label left out for lack of room can be read.
import type { Fold, Neighborhood } from "../../reads/subgraph.js";
import type { EntityKind } from "../../generated/prisma/enums.js";
import { type Box, boundsOf, type LabelRequest, type Placement, placeLabels, textBox, textWidth } from "./labels.js";
import { escapeXml, round, svgDocument } from "./svg.js";

export interface RelationLabels {
  label: string;
  inverseLabel: string;
  symmetric: boolean;
}

const kindColors: Record<EntityKind, string> = {
  COUNTRY: "#6b7280",
  PROVINCE: "#2563eb",
  CITY: "#0891b2",
  DISTRICT: "#0d9488",
  REGION: "#65a30d",
  COMPANY: "#dc2626",
  BRAND: "#f97316",
  ORGANIZATION: "#7c3aed",
  POLICY: "#ca8a04",
};

const plurals: Record<EntityKind, string> = {
  BRAND: "brands",
  CITY: "cities",
  COMPANY: "companies",
  COUNTRY: "countries",
  DISTRICT: "districts",
  ORGANIZATION: "organizations",
  POLICY: "policies",
  PROVINCE: "provinces",
  REGION: "regions",
};

const foldColor = "#d1d5db";
const margin = 24;
const labelSize = 11;
const centreLabelSize = 14;
const edgeLabelSize = 9;

/** "+298 cities", "+28 provinces and cities"; the relation read from the anchor when more varied. */
export function foldLabel(fold: Fold, relation: RelationLabels | undefined): string {
  const kinds = fold.kinds.map((kind) => plurals[kind]);
  const read = fold.direction === "OUTGOING" || relation?.symmetric ? relation?.label : relation?.inverseLabel;
  const what = kinds.length === 1 ? kinds[0] : kinds.length === 2 ? `${kinds[0]} and ${kinds[1]}` : (read ?? fold.type);
  return `+${fold.count} ${what}`;
}

interface Dot {
  id: string;
  depth: number;
  name: string;
  title: string;
  color: string;
  radius: number;
  fold: boolean;
  x: number;
  y: number;
  angle: number;
}

interface Arrow {
  from: string;
  to: string;
  type: string;
  label: string;
  hint: string;
}

function dotsAndArrows(graph: Neighborhood, relations: Map<string, RelationLabels>) {
  const dots = new Map<string, Dot>();
  const place = { x: 0, y: 0, angle: 0 };
  for (const { entity, depth } of graph.nodes)
    dots.set(`e${entity.id}`, {
      id: `e${entity.id}`,
      depth,
      name: entity.name,
      title: `${entity.nameZh ? `${entity.name} ${entity.nameZh}` : entity.name} (${entity.kind.toLowerCase()})`,
      color: kindColors[entity.kind],
      radius: depth === 0 ? 12 : 7,
      fold: false,
      ...place,
    });
  const labelOf = (type: string) => relations.get(type)?.label ?? type;
  const arrows: Arrow[] = [];
  for (const edge of graph.edges) {
    const [from, to] = [dots.get(`e${edge.fromId}`), dots.get(`e${edge.toId}`)];
    if (!from || !to) continue;
    const label = labelOf(edge.typeKey);
    const hint = `${from.name} ${label} ${to.name}${edge.quote ? ` — “${edge.quote}”` : ""}`;
    arrows.push({ from: from.id, to: to.id, type: edge.typeKey, label, hint });
  }
  for (const fold of graph.folds) {
    const anchor = dots.get(`e${fold.anchorId}`);
    if (!anchor) continue;
    const id = `f${fold.anchorId}:${fold.type}:${fold.direction}`;
    const name = foldLabel(fold, relations.get(fold.type));
    const outgoing = fold.direction === "OUTGOING";
    const label = labelOf(fold.type);
    dots.set(id, {
      id,
      depth: fold.depth,
      name,
      title: `${name}, folded: ${fold.count} more ${outgoing ? `that ${anchor.name} ${label}` : `that ${label} ${anchor.name}`}`,
      color: foldColor,
      radius: 9,
      fold: true,
      ...place,
    });
    const [from, to] = outgoing ? [anchor.id, id] : [id, anchor.id];
    arrows.push({
      from,
      to,
      type: fold.type,
      label,
      hint: outgoing ? `${anchor.name} ${label} ${name}` : `${name} ${label} ${anchor.name}`,
    });
  }
  return { dots, arrows };
}

/**
 * Rings, each wide enough for its nodes; the nodes an inner node brings sit around it, beside the
 * others it brings by the same relation, spread apart only as far as their labels need.
 */
function layout(dots: Map<string, Dot>, arrows: Arrow[]): void {
  const all = [...dots.values()];
  const maxDepth = Math.max(0, ...all.map((dot) => dot.depth));
  const parentOf = new Map<string, { dot: Dot; type: string }>();
  for (const arrow of arrows)
    for (const [mine, other] of [
      [arrow.from, arrow.to],
      [arrow.to, arrow.from],
    ] as const) {
      const [dot, parent] = [dots.get(mine)!, dots.get(other)!];
      if (parent.depth < dot.depth && !parentOf.has(mine)) parentOf.set(mine, { dot: parent, type: arrow.type });
    }
  let radius = 0;
  for (let depth = 1; depth <= maxDepth; depth++) {
    const ring = all
      .filter((dot) => dot.depth === depth)
      .map((dot) => ({ dot, parent: parentOf.get(dot.id) }))
      .sort(
        (a, b) =>
          compare(a.parent?.dot.id ?? "", b.parent?.dot.id ?? "") ||
          compare(a.parent?.type ?? "", b.parent?.type ?? "") ||
          Number(a.dot.fold) - Number(b.dot.fold) ||
          compare(a.dot.name, b.dot.name) ||
          compare(a.dot.id, b.dot.id),
      );
    // 22 px of circumference per node keeps neighbouring labels of the sides apart.
    radius = Math.max(radius + (depth === 1 ? 200 : 220), (ring.length * 22) / (2 * Math.PI));
    const step = 22 / radius;
    const full = 2 * Math.PI;
    let angles: number[];
    if (depth === 1 || ring.length * step >= full * 0.9) {
      angles = ring.map((_, index) => (full * index) / ring.length + depth * 0.3);
    } else {
      // Siblings centred on their parent's angle, then pushed apart in one sweep and turned back
      // by their mean displacement.
      const siblings = new Map<string, number>();
      for (const { parent } of ring) siblings.set(parent?.dot.id ?? "", (siblings.get(parent?.dot.id ?? "") ?? 0) + 1);
      const seen = new Map<string, number>();
      const wanted = ring.map(({ parent }) => {
        const key = parent?.dot.id ?? "";
        const index = seen.get(key) ?? 0;
        seen.set(key, index + 1);
        return (parent?.dot.angle ?? 0) + (index - (siblings.get(key)! - 1) / 2) * step;
      });
      const order = wanted
        .map((angle, index) => ({ angle, index }))
        .sort((a, b) => a.angle - b.angle || a.index - b.index);
      const spread: number[] = [];
      for (const [i, { angle }] of order.entries())
        spread.push(i === 0 ? angle : Math.max(angle, spread[i - 1]! + step));
      const shift = order.reduce((sum, { angle }, i) => sum + spread[i]! - angle, 0) / order.length;
      angles = new Array(ring.length);
      order.forEach(({ index }, i) => {
        angles[index] = spread[i]! - shift;
      });
      // Pushed all the way round: evenly spaced in the same order instead.
      if (spread.at(-1)! - spread[0]! > full - step)
        order.forEach(({ index }, i) => {
          angles[index] = spread[0]! + (full * i) / order.length;
        });
    }
    ring.forEach(({ dot }, index) => {
      dot.angle = angles[index]!;
      dot.x = radius * Math.cos(dot.angle);
      dot.y = radius * Math.sin(dot.angle);
    });
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Label places for a node: outward from the centre, then the other side, above, below. */
function nodeCandidates(dot: Dot, fontSize: number): Placement[] {
  const gap = dot.radius + 3;
  const right: Placement = { x: dot.x + gap, y: dot.y + fontSize * 0.35, anchor: "start" };
  const left: Placement = { x: dot.x - gap, y: dot.y + fontSize * 0.35, anchor: "end" };
  return [
    ...(dot.x < -1 ? [left, right] : [right, left]),
    { x: dot.x, y: dot.y - gap - 1, anchor: "middle" },
    { x: dot.x, y: dot.y + gap + fontSize * 0.85, anchor: "middle" },
  ];
}

/** The visible part of an arrow: from the rim of its tail's circle to the rim of its head's. */
function segment(from: Dot, to: Dot) {
  const [dx, dy] = [to.x - from.x, to.y - from.y];
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  return {
    x1: from.x + ux * from.radius,
    y1: from.y + uy * from.radius,
    x2: to.x - ux * (to.radius + 1),
    y2: to.y - uy * (to.radius + 1),
  };
}

function legendItems(dots: Dot[]): { text: string; color: string }[] {
  const kinds = Object.entries(kindColors).filter(([, color]) => dots.some((dot) => !dot.fold && dot.color === color));
  const items = kinds.map(([kind, color]) => ({ text: kind.toLowerCase(), color }));
  if (dots.some((dot) => dot.fold)) items.push({ text: "folded group", color: foldColor });
  return items;
}

export function neighborhoodSvg(graph: Neighborhood, relations: Map<string, RelationLabels>, title: string): string {
  const { dots, arrows } = dotsAndArrows(graph, relations);
  layout(dots, arrows);
  const dotList = [...dots.values()];
  const segments = arrows.map((arrow) => segment(dots.get(arrow.from)!, dots.get(arrow.to)!));

  // Labels by priority: the centre (always shown), its neighbours and its folds, the labels of its
  // edges, then outwards, a ring's folds and nodes before its edges.
  const sizeOf = (dot: Dot) => (dot.depth === 0 ? centreLabelSize : labelSize);
  const requests: { request: LabelRequest; priority: number; target: { dot: Dot } | { arrow: number } }[] = [
    ...dotList.map((dot) => ({
      request: {
        text: dot.name,
        fontSize: sizeOf(dot),
        candidates: nodeCandidates(dot, sizeOf(dot)),
        // The centre's neighbours come first and, folded, always find room (the tests hold it to
        // that); unfolded, a crowded ring would pile them up, so they too may be left out.
        required: dot.depth === 0,
      },
      priority: dot.depth === 0 ? 0 : dot.fold ? 2 * dot.depth - 1.5 : 2 * dot.depth - 1,
      target: { dot },
    })),
    ...arrows.map((arrow, index) => {
      const { x1, y1, x2, y2 } = segments[index]!;
      return {
        request: {
          text: arrow.label,
          fontSize: edgeLabelSize,
          // Along the edge, then just above or below it (parallel edges share a middle).
          candidates: [0, -edgeLabelSize - 1, edgeLabelSize + 1].flatMap((shift) =>
            [0.5, 0.38, 0.62, 0.26, 0.74, 0.82, 0.18].map((t) => ({
              x: x1 + (x2 - x1) * t,
              y: y1 + (y2 - y1) * t + edgeLabelSize * 0.35 + shift,
              anchor: "middle" as const,
            })),
          ),
          required: false,
        },
        priority: 2 * Math.max(dots.get(arrow.from)!.depth, dots.get(arrow.to)!.depth),
        target: { arrow: index },
      };
    }),
  ];
  const ordered = requests
    .map((entry, index) => ({ ...entry, index }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index);
  const circles: Box[] = dotList.map((dot) => ({
    left: dot.x - dot.radius,
    top: dot.y - dot.radius,
    right: dot.x + dot.radius,
    bottom: dot.y + dot.radius,
  }));
  const placements = placeLabels(
    ordered.map((entry) => entry.request),
    circles,
  );
  const nodeLabels = new Map<string, Placement>();
  const arrowLabels = new Map<number, Placement>();
  const labelBoxes: Box[] = [];
  ordered.forEach((entry, index) => {
    const placement = placements[index];
    if (!placement) return;
    if ("dot" in entry.target) nodeLabels.set(entry.target.dot.id, placement);
    else arrowLabels.set(entry.target.arrow, placement);
    labelBoxes.push(textBox(entry.request.text, entry.request.fontSize, placement.x, placement.y, placement.anchor));
  });

  // The picture is as large as what is drawn, under a header of the title and the legend.
  const drawing = boundsOf([...circles, ...labelBoxes]);
  const legend = legendItems(dotList);
  const titleWidth = 16 + textWidth(title, 17) + 16;
  const width = Math.ceil(Math.max(drawing.right - drawing.left + 2 * margin, titleWidth, 480));
  const legendAt: { x: number; y: number }[] = [];
  let [legendX, legendY] = [16, 54];
  for (const item of legend) {
    const itemWidth = 14 + textWidth(item.text, 12) + 18;
    if (legendX > 16 && legendX + itemWidth > width - 16) [legendX, legendY] = [16, legendY + 18];
    legendAt.push({ x: legendX, y: legendY });
    legendX += itemWidth;
  }
  const header = legendY + 16;
  const dx = (width - (drawing.right - drawing.left)) / 2 - drawing.left;
  const dy = header + margin - drawing.top;
  const X = (x: number) => round(x + dx);
  const Y = (y: number) => round(y + dy);
  const height = Math.ceil(header + drawing.bottom - drawing.top + 2 * margin + (graph.truncated ? 20 : 0));

  const body: string[] = [
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="#6b7280"/></marker></defs>`,
    `<g stroke="#9ca3af" stroke-width="1.2">`,
  ];
  arrows.forEach((arrow, index) => {
    const { x1, y1, x2, y2 } = segments[index]!;
    body.push(
      `<line data-edge="${index}" data-type="${escapeXml(arrow.type)}" x1="${X(x1)}" y1="${Y(y1)}" x2="${X(x2)}" y2="${Y(y2)}" marker-end="url(#arrow)"><title>${escapeXml(arrow.hint)}</title></line>`,
    );
  });
  body.push(`</g>`);
  // A white halo keeps an edge's label readable over the lines it crosses.
  body.push(`<g fill="#4b5563" stroke="#ffffff" stroke-width="3" paint-order="stroke">`);
  arrows.forEach((arrow, index) => {
    const at = arrowLabels.get(index);
    if (at)
      body.push(
        `<text data-edge="${index}" x="${X(at.x)}" y="${Y(at.y)}" text-anchor="middle" font-size="${edgeLabelSize}">${escapeXml(arrow.label)}</text>`,
      );
  });
  body.push(`</g>`);
  for (const dot of dotList) {
    const at = nodeLabels.get(dot.id);
    const size = sizeOf(dot);
    body.push(
      `<g><title>${escapeXml(dot.title)}</title>` +
        `<circle cx="${X(dot.x)}" cy="${Y(dot.y)}" r="${dot.radius}" fill="${dot.color}" stroke="${dot.fold ? "#9ca3af" : "#ffffff"}" stroke-width="1.5"/>` +
        (at
          ? `<text x="${X(at.x)}" y="${Y(at.y)}"${at.anchor === "start" ? "" : ` text-anchor="${at.anchor}"`} font-size="${size}" fill="${dot.fold ? "#4b5563" : "#111827"}"${dot.fold ? ` font-style="italic"` : ""}>${escapeXml(dot.name)}</text>`
          : "") +
        `</g>`,
    );
  }
  legend.forEach((item, index) => {
    const { x, y } = legendAt[index]!;
    body.push(
      `<circle cx="${x + 5}" cy="${y - 4}" r="5" fill="${item.color}"/><text x="${x + 14}" y="${y}" font-size="12" fill="#374151">${escapeXml(item.text)}</text>`,
    );
  });
  if (graph.truncated)
    body.push(
      `<text x="16" y="${height - 12}" font-size="12" fill="#b91c1c">Truncated: more edges than the limit; raise ?limit= to see more.</text>`,
    );
  return svgDocument(width, height, title, body);
}
