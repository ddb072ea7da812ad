// Where a picture's labels go: widths estimated from the characters (no font metrics on a server),
// each label tried at a few places in order of priority, and dropped (its text stays in the hover
// title) when every place overlaps a label already placed, unless it must be shown.

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

// Wide: CJK ideographs, kana, hangul and full-width forms take about a full em.
const wide =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** A generous estimate of how wide `text` is drawn at `fontSize` in a sans-serif face. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) ems += wide.test(char) ? 1 : /[A-Z@MW%]/.test(char) ? 0.72 : 0.6;
  return ems * fontSize;
}

export type Anchor = "start" | "middle" | "end";

/** The box of a one-line text drawn at (x, y), y its baseline. */
export function textBox(text: string, fontSize: number, x: number, y: number, anchor: Anchor): Box {
  const width = textWidth(text, fontSize);
  const left = anchor === "start" ? x : anchor === "end" ? x - width : x - width / 2;
  return { left, top: y - fontSize * 0.85, right: left + width, bottom: y + fontSize * 0.25 };
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
  Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));

export interface Placement {
  x: number;
  y: number;
  anchor: Anchor;
}

export interface LabelRequest {
  text: string;
  fontSize: number;
  /** Places to try, best first. */
  candidates: Placement[];
  /** Shown even when every place overlaps: then at the place that overlaps least. */
  required: boolean;
}

/**
 * Places labels in the order given (highest priority first) around fixed `obstacles` (the nodes):
 * the chosen placement of each, or null for one left out.
 */
export function placeLabels(requests: LabelRequest[], obstacles: Box[]): (Placement | null)[] {
  const taken: Box[] = [...obstacles];
  return requests.map((request) => {
    let best: { placement: Placement; box: Box; cost: number } | null = null;
    for (const placement of request.candidates) {
      const box = textBox(request.text, request.fontSize, placement.x, placement.y, placement.anchor);
      // A pixel of air around each label, which also outlasts the rounding of coordinates.
      const padded = { left: box.left - 1, top: box.top - 1, right: box.right + 1, bottom: box.bottom + 1 };
      const cost = taken.reduce((sum, other) => sum + overlap(padded, other), 0);
      if (!best || cost < best.cost) best = { placement, box, cost };
      if (cost === 0) break;
    }
    if (!best || (best.cost > 0 && !request.required)) return null;
    taken.push(best.box);
    return best.placement;
  });
}

export function boundsOf(boxes: Box[]): Box {
  return {
    left: Math.min(...boxes.map((box) => box.left)),
    top: Math.min(...boxes.map((box) => box.top)),
    right: Math.max(...boxes.map((box) => box.right)),
    bottom: Math.max(...boxes.map((box) => box.bottom)),
  };
}
