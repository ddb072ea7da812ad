// A neighbourhood as a picture: the centre in the middle, each further hop on a wider ring, nodes
// coloured by kind; hovering a node or an edge shows its name, or the relation and its quote.
import type { Neighborhood } from "../../reads/subgraph.js";
import type { EntityKind } from "../../generated/prisma/enums.js";
import { escapeXml, round, svgDocument } from "./svg.js";

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

// Wider than tall: labels run sideways, outward from the centre.
const width = 1280;
const height = 1000;
const centre = width / 2;
const middle = height / 2 + 20;

/** Positions on rings; a node of the outer ring sits near the first inner node it is linked to. */
function layout(graph: Neighborhood, labels: Map<string, string>): Map<number, { x: number; y: number }> {
  const depthOf = new Map(graph.nodes.map((node) => [node.entity.id, node.depth]));
  const maxDepth = Math.max(1, ...depthOf.values());
  const ringGap = (height / 2 - 90) / maxDepth;
  const positions = new Map<number, { x: number; y: number; angle: number }>();
  const parentAngle = (id: number): number => {
    for (const edge of graph.edges) {
      const other = edge.fromId === id ? edge.toId : edge.toId === id ? edge.fromId : null;
      if (other !== null && depthOf.get(other)! < depthOf.get(id)! && positions.has(other))
        return positions.get(other)!.angle;
    }
    return 0;
  };
  for (let depth = 0; depth <= maxDepth; depth++) {
    const ring = graph.nodes.filter((node) => node.depth === depth).map((node) => node.entity.id);
    const ordered = ring
      .map((id) => ({ id, angle: parentAngle(id), label: labels.get(String(id)) ?? "" }))
      .sort((a, b) => a.angle - b.angle || a.label.localeCompare(b.label));
    ordered.forEach(({ id }, index) => {
      const angle = depth === 0 ? 0 : (2 * Math.PI * index) / ordered.length + depth * 0.3;
      const radius = depth * ringGap;
      positions.set(id, { x: centre + radius * Math.cos(angle), y: middle + radius * Math.sin(angle), angle });
    });
  }
  return positions;
}

export function neighborhoodSvg(graph: Neighborhood, relationLabels: Map<string, string>, title: string): string {
  const labels = new Map(graph.nodes.map((node) => [String(node.entity.id), node.entity.name]));
  const at = layout(graph, labels);
  const body: string[] = [];
  body.push(`<g stroke="#9ca3af" stroke-width="1.2" opacity="0.8">`);
  for (const edge of graph.edges) {
    const from = at.get(edge.fromId);
    const to = at.get(edge.toId);
    if (!from || !to) continue;
    const hint = `${labels.get(String(edge.fromId))} ${relationLabels.get(edge.typeKey) ?? edge.typeKey} ${labels.get(String(edge.toId))}${edge.quote ? ` — “${edge.quote}”` : ""}`;
    body.push(
      `<line x1="${round(from.x)}" y1="${round(from.y)}" x2="${round(to.x)}" y2="${round(to.y)}"><title>${escapeXml(hint)}</title></line>`,
    );
  }
  body.push(`</g>`);
  for (const node of graph.nodes) {
    const { x, y } = at.get(node.entity.id)!;
    const radius = node.depth === 0 ? 12 : 7;
    const name = node.entity.nameZh ? `${node.entity.name} ${node.entity.nameZh}` : node.entity.name;
    body.push(
      `<g><title>${escapeXml(`${name} (${node.entity.kind.toLowerCase()})`)}</title>` +
        `<circle cx="${round(x)}" cy="${round(y)}" r="${radius}" fill="${kindColors[node.entity.kind]}" stroke="#ffffff" stroke-width="1.5"/>` +
        // Labels point away from the centre, so the outer rings' labels do not cross the drawing.
        (x < centre - 1
          ? `<text x="${round(x - radius - 3)}" y="${round(y + 4)}" text-anchor="end" font-size="11" fill="#111827">${escapeXml(node.entity.name)}</text></g>`
          : `<text x="${round(x + radius + 3)}" y="${round(y + 4)}" font-size="${node.depth === 0 ? 14 : 11}" fill="#111827">${escapeXml(node.entity.name)}</text></g>`),
    );
  }
  const kinds = [...new Set(graph.nodes.map((node) => node.entity.kind))];
  kinds.forEach((kind, index) => {
    const y = 52 + index * 18;
    body.push(
      `<circle cx="24" cy="${y - 4}" r="5" fill="${kindColors[kind]}"/><text x="34" y="${y}" font-size="12" fill="#374151">${kind.toLowerCase()}</text>`,
    );
  });
  if (graph.truncated)
    body.push(
      `<text x="16" y="${height - 16}" font-size="12" fill="#b91c1c">Truncated: more edges than the limit; raise ?limit= to see more.</text>`,
    );
  return svgDocument(width, height + 20, title, body);
}
