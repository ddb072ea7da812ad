// ForceAtlas2 off the main thread, for a fixed number of iterations from the positions it is given:
// the same picture always lands in the same places, and a 2,000-node picture does not freeze the page.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";

export interface LayoutRequest {
  seq: number;
  nodes: { id: string; x: number; y: number; fixed: boolean; size: number }[];
  edges: [string, string][];
  iterations: number;
}

export interface LayoutAnswer {
  seq: number;
  positions: [string, number, number][];
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { seq, nodes, edges, iterations } = event.data;
  const graph = new Graph({ multi: true, type: "directed" });
  for (const node of nodes) graph.addNode(node.id, { x: node.x, y: node.y, fixed: node.fixed, size: node.size });
  for (const [source, target] of edges) if (source !== target) graph.addEdge(source, target);
  if (graph.order > 1) {
    const settings = {
      ...forceAtlas2.inferSettings(graph),
      barnesHutOptimize: graph.order > 400,
      adjustSizes: graph.order <= 400,
      strongGravityMode: true,
      gravity: 0.5,
    };
    forceAtlas2.assign(graph, { iterations, settings });
  }
  const positions = graph.mapNodes((id, attributes): [string, number, number] => [id, attributes.x, attributes.y]);
  (self as unknown as Worker).postMessage({ seq, positions } satisfies LayoutAnswer);
};
