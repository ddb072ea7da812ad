// The explorer: a search box, the graph (or the map), filters, a date, and the inspector. The view
// (graph/view.ts) is the single state: every control changes it, undo restores the previous one, the
// URL holds it, and the picture is derived from it and the API's answers.
import type Sigma from "sigma";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Canvas, nodeSize } from "./graph/Canvas";
import { type Card, fetchGroup, fetchNeighbours, fetchPaths, fetchRelationTypes, type PathStep } from "./graph/fetch";
import { forceLayout, mapLayout, type Positions } from "./graph/layout";
import { type Answers, assemblePicture, foldLabel, type Fold } from "./graph/picture";
import { emptyView, groupKey, hashOfView, type View, viewFromHash } from "./graph/view";
import { Filters, type RelationType } from "./ui/Filters";
import { Inspector } from "./ui/Inspector";
import { PathPanel } from "./ui/PathPanel";
import { TakeAway } from "./ui/TakeAway";
import { Search } from "./ui/Search";

const noAnswers: Answers = { neighbours: new Map(), groups: new Map(), paths: [], cards: new Map() };

export function App() {
  const [view, setView] = useState<View>(() => viewFromHash(location.hash));
  const undoStack = useRef<View[]>([]);
  const [relationTypes, setRelationTypes] = useState<Map<string, RelationType>>(new Map());
  const [answers, setAnswers] = useState<Answers>(noAnswers);
  const [positions, setPositions] = useState<Positions>(new Map());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pathFrom, setPathFrom] = useState<string | null>(null);
  const pinned = useRef(new Map<string, { x: number; y: number }>());
  const renderer = useRef<Sigma | null>(null);

  const change = useCallback((next: (current: View) => View) => {
    setView((current) => {
      const updated = next(current);
      if (updated !== current) undoStack.current = [...undoStack.current.slice(-99), current];
      return updated;
    });
  }, []);
  const undo = useCallback(() => {
    const previous = undoStack.current.pop();
    if (previous) setView(previous);
  }, []);

  // The URL follows the view without adding a history entry per click; a pasted link is followed.
  useEffect(() => {
    const hash = hashOfView(view);
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname);
  }, [view]);
  useEffect(() => {
    const follow = () => setView(viewFromHash(location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);

  useEffect(() => {
    fetchRelationTypes().then(
      (types) => setRelationTypes(new Map(types.map((type) => [type.key, type]))),
      (failure: Error) => setError(failure.message),
    );
  }, []);

  // What the view needs from the API: neighbours of every opened entity, unfolded groups, paths.
  const openKey = view.open.join(",");
  const unfoldedKey = view.unfolded.join(",");
  const pathKey = view.path?.join(",") ?? "";
  useEffect(() => {
    let current = true;
    setBusy(true);
    (async () => {
      const { open, unfolded, path, asOf } = view;
      const neighbours = new Map(
        (await Promise.all(open.map(async (id) => [id, await fetchNeighbours(id, asOf)] as const))).filter(
          (entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== null,
        ),
      );
      const groups = new Map(
        await Promise.all(
          unfolded
            .filter((key) => open.includes(key.split("|")[0]!))
            .map(async (key) => {
              const [entity, type, direction] = key.split("|") as [string, string, "INCOMING" | "OUTGOING"];
              return [key, await fetchGroup(entity, type, direction, asOf)] as const;
            }),
        ),
      );
      const paths: PathStep[][] = path ? await fetchPaths(path[0], path[1], asOf) : [];
      const cards = new Map<string, Card>();
      for (const entry of neighbours.values()) cards.set(entry.center.id, entry.center);
      if (current) {
        setAnswers({ neighbours, groups, paths, cards });
        setError(path && paths.length === 0 ? "No path of at most 4 steps joins those two entities." : null);
      }
    })()
      .catch((failure: Error) => current && setError(failure.message))
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [openKey, unfoldedKey, pathKey, view.asOf]);

  const picture = useMemo(() => assemblePicture(view, answers), [answers, view.hidden, view.types, view.kinds]);

  useEffect(() => {
    if (view.mode === "map") {
      setPositions(mapLayout(picture));
      return;
    }
    let current = true;
    forceLayout(picture, view.open, pinned.current, (id) => nodeSize(picture, id)).then(
      (laid) => current && setPositions(laid),
    );
    return () => {
      current = false;
    };
  }, [picture, view.mode]);

  const nodes = useMemo(() => new Map(picture.nodes.map((node) => [node.id, node])), [picture]);
  const edges = useMemo(() => new Map(picture.edges.map((edge) => [edge.id, edge])), [picture]);
  const relationLabel = useCallback(
    (type: string, direction: "INCOMING" | "OUTGOING") => {
      const known = relationTypes.get(type);
      if (!known) return type;
      return direction === "OUTGOING" || known.symmetric ? known.label : known.inverseLabel;
    },
    [relationTypes],
  );
  const nodeLabel = useCallback(
    (id: string) => {
      const node = nodes.get(id);
      if (!node) return id;
      if (node.fold) return foldLabel(node.fold, relationLabel(node.fold.type, node.fold.direction));
      const card = node.card!;
      return view.lang === "zh" && card.nameZh ? card.nameZh : card.name;
    },
    [nodes, view.lang, relationLabel],
  );
  const edgeLabel = useCallback(
    (id: string) => {
      const edge = edges.get(id);
      return edge ? (relationTypes.get(edge.type)?.label ?? edge.type) : id;
    },
    [edges, relationTypes],
  );

  const openEntity = (id: string) =>
    change((current) => ({
      ...current,
      open: current.open.includes(id) ? current.open : [...current.open, id],
      hidden: current.hidden.filter((hidden) => hidden !== id),
      selected: id,
    }));
  const unfold = (fold: Fold) =>
    change((current) => ({
      ...current,
      unfolded: [...current.unfolded, groupKey(fold.entity, fold.type, fold.direction)],
      selected: fold.entity,
    }));
  const activate = (id: string) => {
    const node = nodes.get(id);
    if (node?.fold) unfold(node.fold);
    else if (node && !node.open) openEntity(id);
  };
  const collapse = (id: string) =>
    change((current) => ({
      ...current,
      open: current.open.filter((open) => open !== id),
      unfolded: current.unfolded.filter((key) => !key.startsWith(`${id}|`)),
    }));
  const hide = (id: string) =>
    change((current) => ({
      ...current,
      hidden: [...current.hidden, id],
      open: current.open.filter((open) => open !== id),
      selected: null,
    }));
  const pick = ({ id }: { id: string }) => {
    if (pathFrom) {
      const from = pathFrom;
      setPathFrom(null);
      change((current) => ({ ...current, path: [from, id], selected: null }));
    } else openEntity(id);
  };
  const select = (id: string | null) =>
    change((current) => (current.selected === id ? current : { ...current, selected: id }));

  // Keyboard: "/" to search, Escape to clear the selection, Ctrl+Z or "u" to undo; e/c/h on the selection.
  // Registered once, reading the latest render's state: a key pressed right after a click must see it.
  const latest = useRef({ view, activate, collapse, hide, select });
  latest.current = { view, activate, collapse, hide, select };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
      if ((event.ctrlKey || event.metaKey) && event.key === "z" && !typing) {
        event.preventDefault();
        undo();
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      const { view: current, ...act } = latest.current;
      const selected = current.selected && !current.selected.startsWith("edge:") ? current.selected : null;
      if (event.key === "/") {
        event.preventDefault();
        document.getElementById("search")?.focus();
      } else if (event.key === "Escape") act.select(null);
      else if (event.key === "u") undo();
      else if (event.key === "e" && selected) act.activate(selected);
      else if (event.key === "c" && selected) act.collapse(selected);
      else if (event.key === "h" && selected) act.hide(selected);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo]);

  useEffect(() => {
    document.body.dataset.nodes = String(positions.size);
    document.body.dataset.busy = String(busy);
  }, [positions, busy]);

  const names = { node: nodeLabel, edge: edgeLabel };
  const selectedNode = view.selected ? nodes.get(view.selected) : undefined;
  const fold = selectedNode?.fold ?? null;

  return (
    <div class={`app lang-${view.lang}`}>
      <header>
        <h1>
          <a href="/">China regional economy graph</a>
        </h1>
        <Search
          id="search"
          label="Find an entity"
          placeholder="Find a city, company, policy… (重庆, Chongqing, chongqin)"
          lang={view.lang}
          onPick={pick}
        />
        <nav aria-label="View">
          <button type="button" onClick={undo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={() => change(() => ({ ...emptyView, lang: view.lang }))}>
            Clear
          </button>
          <button
            type="button"
            aria-pressed={view.mode === "map"}
            onClick={() => change((current) => ({ ...current, mode: current.mode === "map" ? "graph" : "map" }))}
          >
            {view.mode === "map" ? "Graph view" : "Map view"}
          </button>
          <button
            type="button"
            lang={view.lang === "en" ? "zh" : "en"}
            onClick={() => change((current) => ({ ...current, lang: current.lang === "en" ? "zh" : "en" }))}
          >
            {view.lang === "en" ? "中文" : "English"}
          </button>
          <a href="/graphql">GraphiQL</a>
        </nav>
      </header>
      <aside class="controls" aria-label="Filters and date">
        <Filters view={view} relationTypes={relationTypes} change={change} />
        <PathPanel
          view={view}
          pathFrom={pathFrom}
          paths={answers.paths}
          nodeLabel={nodeLabel}
          onPick={pick}
          onCancel={() => setPathFrom(null)}
          change={change}
        />
        <TakeAway picture={picture} positions={positions} names={names} renderer={() => renderer.current} />
      </aside>
      <main>
        <div class="status" role="status" aria-live="polite">
          {error ? (
            <span class="error">{error}</span>
          ) : busy ? (
            "Loading…"
          ) : (
            `${picture.nodes.length} entities, ${picture.edges.length} relationships${view.asOf ? ` as of ${view.asOf}` : ""}`
          )}
        </div>
        {view.open.length === 0 && !view.path ? (
          <div class="welcome">
            <h2>Explore the graph</h2>
            <p>Search for an entity to start, or open one of these:</p>
            <ul>
              {[
                ["Chongqing", "City:chongqing"],
                ["Seres", "Company:seres"],
                ["VAT refund scheme", "Policy:cross-provincial-vat-refund"],
              ].map(([label, id]) => (
                <li key={id}>
                  <button type="button" onClick={() => openEntity(btoa(id!))}>
                    {label}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Canvas
          picture={picture}
          positions={positions}
          nodeLabel={nodeLabel}
          edgeLabel={edgeLabel}
          selected={view.selected}
          onSelect={select}
          onActivate={activate}
          onPin={(id, at) => pinned.current.set(id, at)}
          onRenderer={(sigma) => {
            renderer.current = sigma;
          }}
        />
        <details class="as-text">
          <summary>
            The picture as text ({picture.nodes.length} entities, {picture.edges.length} relationships)
          </summary>
          <ul class="node-list">
            {picture.nodes.map((node) => (
              <li key={node.id}>
                <button
                  type="button"
                  data-node={node.id}
                  aria-current={node.id === view.selected}
                  onClick={() => (node.fold ? unfold(node.fold) : select(node.id))}
                  onDblClick={() => activate(node.id)}
                >
                  {nodeLabel(node.id)}
                </button>
                {node.open ? " (open)" : ""}
              </li>
            ))}
          </ul>
          <ul class="edge-list">
            {picture.edges.map((edge) => (
              <li key={edge.id} data-edge={edge.id} class={edge.onPath ? "on-path" : ""}>
                <button type="button" onClick={() => select(edge.id.startsWith("fold:") ? edge.id : `edge:${edge.id}`)}>
                  {nodeLabel(edge.source)} — {edgeLabel(edge.id)} → {nodeLabel(edge.target)}
                </button>
              </li>
            ))}
          </ul>
        </details>
      </main>
      <Inspector
        selected={fold ? null : view.selected}
        fold={fold}
        foldLabel={fold ? nodeLabel(view.selected!) : ""}
        lang={view.lang}
        asOf={view.asOf}
        isOpen={view.selected ? view.open.includes(view.selected) : false}
        relationLabel={relationLabel}
        onOpen={openEntity}
        onCollapse={collapse}
        onHide={hide}
        onPathFrom={(id) => {
          setPathFrom(id);
          setTimeout(() => document.getElementById("path-to")?.focus(), 0);
        }}
        onUnfold={unfold}
        onSelect={(id) => select(id)}
      />
    </div>
  );
}
