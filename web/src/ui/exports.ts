// The view taken away: its nodes and edges as CSV or Cytoscape JSON (for Gephi, Cytoscape, a
// spreadsheet), its picture as SVG or PNG. The picture is drawn from the positions on screen, so
// the file shows what the user sees, labels and arrows included.
import type Sigma from "sigma";
import type { Picture } from "../graph/picture";
import type { Positions } from "../graph/layout";
import { foldColor, kindColors } from "./kinds";

export interface ExportNames {
  node: (id: string) => string;
  edge: (id: string) => string;
}

function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csv = (rows: (string | number | null | undefined)[][]) =>
  `${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;

export function nodesCsv(picture: Picture, names: ExportNames): string {
  return csv([
    ["id", "key", "kind", "name", "nameZh", "label", "lat", "lon"],
    ...picture.nodes.map((node) => [
      node.id,
      node.card?.key,
      node.card?.kind ?? "FOLD",
      node.card?.name,
      node.card?.nameZh,
      names.node(node.id),
      node.card?.location?.lat,
      node.card?.location?.lon,
    ]),
  ]);
}

export function edgesCsv(picture: Picture, names: ExportNames): string {
  return csv([
    ["id", "source", "target", "type", "label", "certainty"],
    ...picture.edges.map((edge) => [edge.id, edge.source, edge.target, edge.type, names.edge(edge.id), edge.certainty]),
  ]);
}

export function cytoscapeJson(picture: Picture, positions: Positions, names: ExportNames): string {
  return JSON.stringify(
    {
      format_version: "1.0",
      generated_by: "china-regional-graph explorer",
      elements: {
        nodes: picture.nodes.map((node) => ({
          data: {
            id: node.id,
            label: names.node(node.id),
            kind: node.card?.kind ?? "FOLD",
            key: node.card?.key ?? null,
            nameZh: node.card?.nameZh ?? null,
          },
          position: positions.get(node.id) ?? { x: 0, y: 0 },
        })),
        edges: picture.edges.map((edge) => ({
          data: {
            id: edge.id,
            source: edge.source,
            target: edge.target,
            type: edge.type,
            label: names.edge(edge.id),
            certainty: edge.certainty,
          },
        })),
      },
    },
    null,
    2,
  );
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (char) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[char]!);

/** The picture as on screen: each node where the renderer draws it, arrows and labels as SVG. */
export function pictureSvg(picture: Picture, renderer: Sigma, names: ExportNames): string {
  const { width, height } = renderer.getDimensions();
  const graph = renderer.getGraph();
  const at = (id: string) => renderer.graphToViewport(graph.getNodeAttributes(id) as { x: number; y: number });
  const lines: string[] = [];
  for (const edge of picture.edges) {
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    const [a, b] = [at(edge.source), at(edge.target)];
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    // Stop the line at the target's rim so the arrow head shows.
    const r = renderer.scaleSize(graph.getNodeAttribute(edge.target, "size") as number) + 2;
    const end = { x: b.x - ((b.x - a.x) * r) / length, y: b.y - ((b.y - a.y) * r) / length };
    const colour = edge.onPath ? "#d1495b" : "#8a94a0";
    lines.push(
      `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${end.x.toFixed(1)}" y2="${end.y.toFixed(1)}" stroke="${colour}" stroke-width="${edge.onPath ? 3 : 1.2}" marker-end="url(#arrow)"/>`,
      `<text x="${((a.x + b.x) / 2).toFixed(1)}" y="${((a.y + b.y) / 2 - 3).toFixed(1)}" font-size="10" fill="#5b6570" text-anchor="middle">${escapeXml(names.edge(edge.id))}</text>`,
    );
  }
  for (const node of picture.nodes) {
    if (!graph.hasNode(node.id)) continue;
    const p = at(node.id);
    const r = renderer.scaleSize(graph.getNodeAttribute(node.id, "size") as number);
    const colour = node.fold ? foldColor : kindColors[node.card!.kind];
    lines.push(
      `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${r.toFixed(1)}" fill="${colour}"/>`,
      `<text x="${(p.x + r + 3).toFixed(1)}" y="${(p.y + 4).toFixed(1)}" font-size="12" fill="#1f2933">${escapeXml(names.node(node.id))}</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#8a94a0"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...lines,
    "</svg>",
  ].join("\n");
}

/** The SVG picture rasterised at twice the screen's size. */
export async function picturePng(svg: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext("2d")!;
    context.scale(2, 2);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error("The picture could not be drawn."))),
        "image/png",
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function download(name: string, content: Blob | string, type: string): void {
  const blob = typeof content === "string" ? new Blob([content], { type }) : content;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
