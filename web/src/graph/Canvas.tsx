// The picture drawn with sigma.js (WebGL): nodes coloured by kind, edges as arrows labelled with their
// relation read from source to target, the selection and any path highlighted. Click selects, double
// click (or a fold's single click) grows the graph, dragging a node pins it where it is dropped.
import { DEFAULT_EDGE_CURVATURE, EdgeCurvedArrowProgram, indexParallelEdgesIndex } from "@sigma/edge-curve";
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeArrowProgram } from "sigma/rendering";
import { useEffect, useRef } from "preact/hooks";
import { kindColors, foldColor } from "../ui/kinds";
import type { Picture } from "./picture";
import type { Positions } from "./layout";

export interface CanvasProps {
  picture: Picture;
  positions: Positions;
  nodeLabel: (id: string) => string;
  edgeLabel: (id: string) => string;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onActivate: (id: string) => void;
  onPin: (id: string, at: { x: number; y: number }) => void;
  /** Receives the renderer once it exists, for exports. */
  onRenderer: (renderer: Sigma | null) => void;
}

/** Two relationships between the same two entities ("is headquartered in" and "underpins the
 * standing of") are drawn as arcs bent apart, so neither line nor label hides the other. */
function bendParallelEdges(graph: Graph): void {
  indexParallelEdgesIndex(graph, {
    edgeIndexAttribute: "parallelIndex",
    edgeMinIndexAttribute: "parallelMinIndex",
    edgeMaxIndexAttribute: "parallelMaxIndex",
  });
  graph.forEachEdge((edge, { parallelIndex, parallelMaxIndex }) => {
    if (typeof parallelIndex !== "number" || typeof parallelMaxIndex !== "number" || parallelMaxIndex <= 0) return;
    // Sigma's own spacing: arcs spread further apart the more of them there are, up to a bound.
    const spread = 3.5 * (1 - Math.exp(-parallelMaxIndex / 3.5)) * DEFAULT_EDGE_CURVATURE;
    graph.mergeEdgeAttributes(edge, { type: "curved", curvature: (spread * parallelIndex) / parallelMaxIndex });
  });
}

export function nodeSize(picture: Picture, id: string): number {
  const node = picture.nodes.find((candidate) => candidate.id === id);
  if (!node) return 4;
  if (node.fold) return 7;
  return node.open ? 11 : 6;
}

export function Canvas(props: CanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<Sigma | null>(null);
  const graph = useRef(new Graph({ multi: true, type: "directed" }));
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!container.current) return;
    const sigma = new Sigma(graph.current, container.current, {
      renderEdgeLabels: true,
      enableEdgeEvents: true,
      defaultEdgeType: "straight",
      edgeProgramClasses: { straight: EdgeArrowProgram, curved: EdgeCurvedArrowProgram },
      labelDensity: 0.9,
      labelGridCellSize: 90,
      labelRenderedSizeThreshold: 5,
      labelFont: "system-ui, sans-serif",
      edgeLabelFont: "system-ui, sans-serif",
      edgeLabelSize: 11,
      zIndex: true,
      allowInvalidContainer: true,
      // Room for the labels of the outermost nodes, which sigma would otherwise cut at the edge.
      stagePadding: 60,
    });
    renderer.current = sigma;
    handlers.current.onRenderer(sigma);
    let dragged: string | null = null;
    let moved = false;
    sigma.on("clickNode", ({ node }) => {
      if (moved) return;
      const current = handlers.current;
      if (node.startsWith("fold:")) current.onActivate(node);
      else current.onSelect(node);
    });
    sigma.on("doubleClickNode", (event) => {
      event.preventSigmaDefault();
      handlers.current.onActivate(event.node);
    });
    sigma.on("clickEdge", ({ edge }) => handlers.current.onSelect(`edge:${edge}`));
    sigma.on("clickStage", () => handlers.current.onSelect(null));
    sigma.on("downNode", ({ node }) => {
      dragged = node;
      moved = false;
    });
    sigma.on("moveBody", ({ event }) => {
      if (!dragged) return;
      moved = true;
      const at = sigma.viewportToGraph(event);
      graph.current.mergeNodeAttributes(dragged, { x: at.x, y: at.y });
      event.preventSigmaDefault();
      event.original.preventDefault();
      event.original.stopPropagation();
    });
    const drop = () => {
      if (dragged && moved) {
        const attributes = graph.current.getNodeAttributes(dragged);
        handlers.current.onPin(dragged, { x: attributes.x, y: attributes.y });
      }
      dragged = null;
      setTimeout(() => {
        moved = false;
      }, 0);
    };
    sigma.on("upNode", drop);
    sigma.on("upStage", drop);
    // Sigma follows the window's size only; the panel below the picture opening changes the container's.
    const resized = new ResizeObserver(() => sigma.resize().refresh());
    resized.observe(container.current);
    return () => {
      resized.disconnect();
      handlers.current.onRenderer(null);
      sigma.kill();
      renderer.current = null;
    };
  }, []);

  useEffect(() => {
    const target = graph.current;
    const { picture, positions, selected } = props;
    const selectedEdge = selected?.startsWith("edge:") ? selected.slice(5) : null;
    const neighbours = new Set<string>();
    for (const edge of picture.edges)
      if (edge.source === selected || edge.target === selected) neighbours.add(edge.source).add(edge.target);
    // A large picture moves smoothly only without its edges and labels while the camera moves (sigma's
    // advice for thousands of nodes); they are back the moment it stops.
    const large = picture.nodes.length > 800;
    renderer.current?.setSetting("hideEdgesOnMove", large);
    renderer.current?.setSetting("hideLabelsOnMove", large);
    target.clear();
    for (const node of picture.nodes) {
      const at = positions.get(node.id);
      if (!at) continue;
      const dimmed = selected !== null && !selectedEdge && neighbours.size > 0 && !neighbours.has(node.id);
      target.addNode(node.id, {
        x: at.x,
        y: at.y,
        size: nodeSize(picture, node.id),
        label: props.nodeLabel(node.id),
        color: node.fold ? foldColor : kindColors[node.card!.kind],
        forceLabel: node.open || node.onPath || node.id === selected || Boolean(node.fold),
        highlighted: node.id === selected,
        zIndex: node.onPath || node.id === selected ? 2 : node.open ? 1 : 0,
        ...(dimmed ? { color: "#d5d9de" } : {}),
      });
    }
    // Every edge is labelled in a small picture; in a crowded one, only those of the selection and the
    // path (the rest would be an unreadable tangle of text; the list and the inspector still name them).
    const labelAll = picture.edges.length <= 40;
    for (const edge of picture.edges) {
      if (!target.hasNode(edge.source) || !target.hasNode(edge.target)) continue;
      const chosen = edge.id === selectedEdge;
      const labelled = labelAll || chosen || edge.onPath || edge.source === selected || edge.target === selected;
      target.addEdgeWithKey(edge.id, edge.source, edge.target, {
        label: labelled ? props.edgeLabel(edge.id) : "",
        size: edge.onPath || chosen ? 4 : 1.5,
        color: edge.onPath ? "#d1495b" : chosen ? "#1d3557" : edge.certainty === "INFERRED" ? "#c4c9cf" : "#8a94a0",
        forceLabel: edge.onPath || chosen,
        zIndex: edge.onPath || chosen ? 1 : 0,
      });
    }
    bendParallelEdges(target);
    renderer.current?.refresh();
  }, [props.picture, props.positions, props.selected, props.nodeLabel, props.edgeLabel]);

  return (
    <div class="canvas" ref={container} role="img" aria-label="Graph of the entities opened and their neighbours" />
  );
}
