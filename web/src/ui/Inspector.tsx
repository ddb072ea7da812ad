// The side panel: everything known about the selected entity or relationship, every fact with its
// provenance (the sentence, how certain, the note, the article with title, date and link). INFERRED
// facts are marked as such; they are not what the article says in so many words.
import { useEffect, useState } from "preact/hooks";
import { ask } from "../client";
import { EntityDetailQuery, RelationshipDetailQuery } from "../documents";
import type { ResultOf } from "../graphql";
import { kindColors, kindNames } from "./kinds";
import { SeriesChart } from "./SeriesChart";
import type { EntityKind } from "../graph/view";
import type { Fold } from "../graph/picture";

type EntityDetail = Extract<NonNullable<ResultOf<typeof EntityDetailQuery>["node"]>, { aliases: unknown }>;
type RelationshipDetail = Extract<NonNullable<ResultOf<typeof RelationshipDetailQuery>["node"]>, { type: unknown }>;
type Provenance = RelationshipDetail & { source: RelationshipDetail["source"] };

export interface InspectorProps {
  selected: string | null;
  fold: Fold | null;
  foldLabel: string;
  lang: "en" | "zh";
  asOf: string | null;
  isOpen: boolean;
  relationLabel: (type: string, direction: "INCOMING" | "OUTGOING") => string;
  onOpen: (id: string) => void;
  onCollapse: (id: string) => void;
  onHide: (id: string) => void;
  onPathFrom: (id: string) => void;
  onUnfold: (fold: Fold) => void;
  onSelect: (id: string) => void;
}

const name = (entity: { name: string; nameZh: string | null }, lang: "en" | "zh") =>
  lang === "zh" && entity.nameZh ? entity.nameZh : entity.name;

function Certainty({ certainty }: { certainty: string }) {
  const text: Record<string, string> = {
    STATED: "stated",
    STATED_LOOSELY: "stated loosely",
    INFERRED: "inferred, not stated",
  };
  return <span class={`certainty ${certainty.toLowerCase()}`}>{text[certainty] ?? certainty}</span>;
}

function Source({ fact }: { fact: Pick<Provenance, "certainty" | "quote" | "note" | "source"> }) {
  const { source } = fact;
  return (
    <div class="provenance">
      {fact.quote ? <blockquote>{fact.quote}</blockquote> : <p class="muted">No sentence quoted.</p>}
      <p class="cite">
        <Certainty certainty={fact.certainty} /> ·{" "}
        {source.url ? (
          <a href={source.url} target="_blank" rel="noreferrer">
            {source.title}
          </a>
        ) : (
          source.title
        )}
        {source.publisher ? `, ${source.publisher}` : ""}
        {source.publishedOn ? `, ${source.publishedOn}` : ""}
      </p>
      {fact.note && <p class="note">Note: {fact.note}</p>}
    </div>
  );
}

function since(fact: { validFrom: string | null; validFromBound: string; validTo: string | null }): string {
  if (!fact.validFrom && !fact.validTo) return "";
  const bound: Record<string, string> = { EXACT: "since", NOT_BEFORE: "not before", NOT_AFTER: "by" };
  const from = fact.validFrom ? `${bound[fact.validFromBound] ?? "since"} ${fact.validFrom}` : "";
  return [from, fact.validTo ? `until ${fact.validTo}` : ""].filter(Boolean).join(", ");
}

function useAnswer<T>(load: () => Promise<T>, key: string | null): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string | null; data: T | null; error: string | null }>({
    key: null,
    data: null,
    error: null,
  });
  useEffect(() => {
    if (!key) return;
    let current = true;
    load().then(
      (data) => current && setState({ key, data, error: null }),
      (error: Error) => current && setState({ key, data: null, error: error.message }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state.key === key ? state : { data: null, error: null };
}

export function Inspector(props: InspectorProps) {
  const { selected, fold } = props;
  if (fold) {
    return (
      <section class="inspector" aria-label="Inspector">
        <h2>{props.foldLabel}</h2>
        <p>
          A group too large to draw unasked: {fold.count} relationships of one type. Unfold it to draw them (up to 500).
        </p>
        <button type="button" onClick={() => props.onUnfold(fold)}>
          Unfold
        </button>
      </section>
    );
  }
  if (!selected) {
    return (
      <section class="inspector" aria-label="Inspector">
        <h2>Nothing selected</h2>
        <p>
          Search for an entity above, then click a node or an edge to see what is known about it and where each fact
          comes from. Double-click a node to open its neighbours.
        </p>
      </section>
    );
  }
  return selected.startsWith("edge:") ? (
    <RelationshipPanel {...props} id={selected.slice(5)} />
  ) : (
    <EntityPanel {...props} id={selected} />
  );
}

function RelationshipPanel(props: InspectorProps & { id: string }) {
  const { data, error } = useAnswer(() => ask(RelationshipDetailQuery, { id: props.id }), props.id);
  if (error) return <p class="error">{error}</p>;
  const relationship = data?.node && "type" in data.node ? (data.node as RelationshipDetail) : null;
  if (!relationship) return <p class="muted">Loading…</p>;
  const { lang } = props;
  return (
    <section class="inspector" aria-label="Inspector">
      <h2>
        {name(relationship.from, lang)} {relationship.relationType.label} {name(relationship.to, lang)}
      </h2>
      <p class="muted">
        {relationship.type} {since(relationship)}
      </p>
      <Source fact={relationship} />
      <p>
        <button type="button" onClick={() => props.onSelect(relationship.from.id)}>
          {name(relationship.from, lang)}
        </button>{" "}
        <button type="button" onClick={() => props.onSelect(relationship.to.id)}>
          {name(relationship.to, lang)}
        </button>
      </p>
    </section>
  );
}

function EntityPanel(props: InspectorProps & { id: string }) {
  const { data, error } = useAnswer(() => ask(EntityDetailQuery, { id: props.id }), props.id);
  if (error) return <p class="error">{error}</p>;
  const entity = data?.node && "aliases" in data.node ? (data.node as EntityDetail) : null;
  if (!entity) return <p class="muted">Loading…</p>;
  const { lang } = props;
  const kind = entity.kind as EntityKind;
  const series = new Map<string, EntityDetail["observations"]>();
  for (const observation of entity.observations) {
    const list = series.get(observation.indicator.name) ?? [];
    list.push(observation);
    series.set(observation.indicator.name, list);
  }
  const place = "divisionCode" in entity ? entity : null;
  return (
    <section class="inspector" aria-label="Inspector">
      <h2>
        <span class="dot" style={{ background: kindColors[kind] }} /> {entity.name}
        {entity.nameZh && <span class="zh"> {entity.nameZh}</span>}
      </h2>
      <p class="muted">
        {kindNames[kind][lang]}
        {place?.divisionCode ? ` · division code ${place.divisionCode}` : ""}
        {place?.locatedIn.length ? ` · in ${place.locatedIn.map((within) => name(within, lang)).join(", ")}` : ""}
      </p>
      {entity.description && <p>{entity.description}</p>}
      <div class="actions">
        {props.isOpen ? (
          <button type="button" onClick={() => props.onCollapse(entity.id)}>
            Collapse
          </button>
        ) : (
          <button type="button" onClick={() => props.onOpen(entity.id)}>
            Expand neighbours
          </button>
        )}
        <button type="button" onClick={() => props.onHide(entity.id)}>
          Hide
        </button>
        <button type="button" onClick={() => props.onPathFrom(entity.id)}>
          Path from here…
        </button>
      </div>
      {entity.aliases.length > 0 && (
        <p class="aliases">
          <strong>Also called:</strong> {entity.aliases.join(", ")}
        </p>
      )}
      {place?.location && (
        <p class="muted">
          Located at {place.location.quote ? `“${place.location.quote}”` : ""} ({place.location.source.title}).
        </p>
      )}
      <h3>Relationships ({entity.relationships.totalCount})</h3>
      <ul class="facts">
        {entity.relationships.edges.map((edge) => (
          <li key={edge.node.id}>
            <p>
              {edge.direction === "OUTGOING" ? name(entity, lang) : ""}{" "}
              <em>{props.relationLabel(edge.node.type, edge.direction as "INCOMING" | "OUTGOING")}</em>{" "}
              <button type="button" class="link" onClick={() => props.onSelect(edge.other.id)}>
                {name(edge.other, lang)}
              </button>{" "}
              <span class="muted">{since(edge.node)}</span>
            </p>
            <details>
              <summary>
                Source <Certainty certainty={edge.node.certainty} />
              </summary>
              <Source fact={edge.node} />
            </details>
          </li>
        ))}
      </ul>
      {entity.relationships.totalCount > entity.relationships.edges.length && (
        <p class="muted">
          The first {entity.relationships.edges.length} of {entity.relationships.totalCount}.
        </p>
      )}
      {series.size > 0 && <h3>Indicators</h3>}
      {[...series].map(([indicator, points]) => (
        <div class="series" key={indicator}>
          <h4>{indicator}</h4>
          <SeriesChart points={points} />
          <ul class="facts">
            {points.map((point) => (
              <li key={point.id}>
                <details>
                  <summary>
                    {point.period}: {point.value ?? "?"}
                    {point.valueMax !== null ? `–${point.valueMax}` : ""} {point.unit}{" "}
                    <Certainty certainty={point.certainty} />
                  </summary>
                  <Source fact={point} />
                </details>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {entity.rankings.length > 0 && <h3>Rankings</h3>}
      <ul class="facts">
        {entity.rankings.map((entry) => (
          <li key={entry.id}>
            <details>
              <summary>
                {entry.ranking.name} ({entry.ranking.period}): {entry.rank !== null ? `#${entry.rank}` : "ranked"}
                {entry.value !== null ? `, ${entry.value} ${entry.unit ?? ""}` : ""}
              </summary>
              <Source fact={entry} />
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
