// The left column's exports: a link that reopens the view, the picture as PNG or SVG, its nodes and
// edges as CSV or Cytoscape JSON.
import type Sigma from "sigma";
import { useState } from "preact/hooks";
import type { Positions } from "../graph/layout";
import type { Picture } from "../graph/picture";
import { cytoscapeJson, download, edgesCsv, type ExportNames, nodesCsv, picturePng, pictureSvg } from "./exports";

export interface TakeAwayProps {
  picture: Picture;
  positions: Positions;
  names: ExportNames;
  renderer: () => Sigma | null;
}

export function TakeAway({ picture, positions, names, renderer }: TakeAwayProps) {
  const [message, setMessage] = useState<string | null>(null);
  const exportPicture = async (format: "svg" | "png") => {
    const sigma = renderer();
    if (!sigma) return;
    const svg = pictureSvg(picture, sigma, names);
    if (format === "svg") download("graph.svg", svg, "image/svg+xml");
    else {
      const { width, height } = sigma.getDimensions();
      download("graph.png", await picturePng(svg, width, height), "image/png");
    }
  };
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setMessage("Link copied: it reopens this view.");
    } catch {
      setMessage(`Copy this link: ${location.href}`);
    }
  };
  return (
    <fieldset>
      <legend>Take away</legend>
      <div class="actions">
        <button type="button" onClick={copyLink}>
          Copy link
        </button>
        <button type="button" onClick={() => exportPicture("png")}>
          PNG
        </button>
        <button type="button" onClick={() => exportPicture("svg")}>
          SVG
        </button>
        <button type="button" onClick={() => download("nodes.csv", nodesCsv(picture, names), "text/csv")}>
          Nodes CSV
        </button>
        <button type="button" onClick={() => download("edges.csv", edgesCsv(picture, names), "text/csv")}>
          Edges CSV
        </button>
        <button
          type="button"
          onClick={() => download("graph.cyjs", cytoscapeJson(picture, positions, names), "application/json")}
        >
          Cytoscape JSON
        </button>
      </div>
      {message && <p class="muted">{message}</p>}
    </fieldset>
  );
}
