// Where each node of a picture goes: a force layout in a worker (graph view), or the places' own
// coordinates (map view). Both are functions of the picture alone, so a shared link draws the same
// picture; pinned nodes keep the place the user dragged them to.
import type { LayoutAnswer, LayoutRequest } from "./layout.worker";
import type { Picture } from "./picture";

export type Positions = Map<string, { x: number; y: number }>;

/** A stable pseudo-random angle per id (FNV-1a), so initial positions never depend on chance. */
function hashAngle(id: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  return ((hash >>> 0) / 0xffffffff) * 2 * Math.PI;
}

/** Start positions: opened entities on a spiral in the order they were opened, each neighbour near the
 * first opened entity it belongs to. */
function startPositions(picture: Picture, open: string[]): Positions {
  const positions: Positions = new Map();
  open.forEach((id, index) => {
    const radius = index === 0 ? 0 : 60 + 25 * index;
    const angle = index * 2.4;
    positions.set(id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
  });
  const anchorOf = new Map<string, string>();
  for (const edge of picture.edges) {
    for (const [node, other] of [
      [edge.source, edge.target],
      [edge.target, edge.source],
    ] as const) {
      if (!positions.has(node) && positions.has(other) && !anchorOf.has(node)) anchorOf.set(node, other);
    }
  }
  for (const node of picture.nodes) {
    if (positions.has(node.id)) continue;
    const anchor = positions.get(anchorOf.get(node.id) ?? "") ?? { x: 0, y: 0 };
    const angle = hashAngle(node.id);
    positions.set(node.id, { x: anchor.x + 20 * Math.cos(angle), y: anchor.y + 20 * Math.sin(angle) });
  }
  return positions;
}

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, (answer: LayoutAnswer) => void>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<LayoutAnswer>) => {
    waiting.get(event.data.seq)?.(event.data);
    waiting.delete(event.data.seq);
  };
  return worker;
}

export async function forceLayout(
  picture: Picture,
  open: string[],
  pinned: ReadonlyMap<string, { x: number; y: number }>,
  size: (id: string) => number,
): Promise<Positions> {
  const start = startPositions(picture, open);
  const request: LayoutRequest = {
    seq: ++seq,
    nodes: picture.nodes.map((node) => {
      const pin = pinned.get(node.id);
      const at = pin ?? start.get(node.id)!;
      return { id: node.id, x: at.x, y: at.y, fixed: Boolean(pin), size: size(node.id) };
    }),
    edges: picture.edges.map((edge) => [edge.source, edge.target]),
    iterations: picture.nodes.length > 1000 ? 120 : 250,
  };
  const answer = await new Promise<LayoutAnswer>((resolve) => {
    waiting.set(request.seq, resolve);
    layoutWorker().postMessage(request);
  });
  return new Map(answer.positions.map(([id, x, y]) => [id, { x, y }]));
}

/** Places at their coordinates (an equirectangular projection true at 35°N, China's middle); any
 * other entity at the middle of its placed neighbours, or left out when it has none. */
export function mapLayout(picture: Picture): Positions {
  const positions: Positions = new Map();
  const scale = Math.cos((35 * Math.PI) / 180);
  for (const node of picture.nodes) {
    const location = node.card?.location;
    if (location) positions.set(node.id, { x: location.lon * scale, y: location.lat });
  }
  for (const node of picture.nodes) {
    if (positions.has(node.id)) continue;
    const around = picture.edges
      .filter((edge) => edge.source === node.id || edge.target === node.id)
      .map((edge) => positions.get(edge.source === node.id ? edge.target : edge.source))
      .filter((at) => at !== undefined);
    if (!around.length) continue;
    const angle = hashAngle(node.id);
    positions.set(node.id, {
      x: around.reduce((sum, at) => sum + at.x, 0) / around.length + 0.6 * Math.cos(angle),
      y: around.reduce((sum, at) => sum + at.y, 0) / around.length + 0.6 * Math.sin(angle),
    });
  }
  return positions;
}
