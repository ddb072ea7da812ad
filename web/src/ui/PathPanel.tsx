// The left column's path finder: "Path from here…" asks for the other end, then lists the shortest
// paths step by step, each step with its sentence and, between places, its distance.
import type { PathStep } from "../graph/fetch";
import type { View } from "../graph/view";
import { Search } from "./Search";

export interface PathPanelProps {
  view: View;
  pathFrom: string | null;
  paths: PathStep[][];
  nodeLabel: (id: string) => string;
  onPick: (entity: { id: string; name: string }) => void;
  onCancel: () => void;
  change: (next: (current: View) => View) => void;
}

export function PathPanel({ view, pathFrom, paths, nodeLabel, onPick, onCancel, change }: PathPanelProps) {
  return (
    <fieldset>
      <legend>Path</legend>
      {pathFrom ? (
        <>
          <p>From {nodeLabel(pathFrom)} to:</p>
          <Search id="path-to" label="Path to" placeholder="Find the other end…" lang={view.lang} onPick={onPick} />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      ) : view.path ? (
        <>
          <ol class="path-steps" aria-label="Shortest paths">
            {paths.map((path, index) => (
              <li key={String(index)}>
                {path.map((step) => (
                  <p key={step.link.id}>
                    {step.from.name} <em>{step.label}</em> {step.to.name}
                    {step.distanceKm !== null ? ` (${Math.round(step.distanceKm)} km)` : ""}
                    <q>{step.quote}</q>
                  </p>
                ))}
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => change((current) => ({ ...current, path: null }))}>
            Clear path
          </button>
        </>
      ) : (
        <p class="muted">Select an entity and choose “Path from here…”.</p>
      )}
    </fieldset>
  );
}
