// One box that finds any entity as you type (English, Chinese, pinyin, typos forgiven: the API's
// `search`), showing each hit's kind and where it is. Arrow keys move, Enter opens, Escape closes: the
// WAI-ARIA combobox pattern.
import { useEffect, useRef, useState } from "preact/hooks";
import { ask } from "../client";
import { SearchQuery } from "../documents";
import type { ResultOf } from "../graphql";
import { kindColors, kindNames } from "./kinds";
import type { EntityKind } from "../graph/view";

type Hit = ResultOf<typeof SearchQuery>["search"]["edges"][number]["node"];

export interface SearchProps {
  id: string;
  label: string;
  placeholder: string;
  lang: "en" | "zh";
  onPick: (entity: { id: string; name: string }) => void;
}

export function Search({ id, label, placeholder, lang, onPick }: SearchProps) {
  const [text, setText] = useState("");
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    const query = text.trim();
    if (!query) {
      setHits([]);
      return;
    }
    const mine = ++asked.current;
    const timer = setTimeout(async () => {
      try {
        const data = await ask(SearchQuery, { query });
        if (mine !== asked.current) return;
        setHits(data.search.edges.map((edge) => edge.node));
        setActive(0);
        setError(null);
      } catch (failure) {
        if (mine === asked.current) setError((failure as Error).message);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [text]);

  const pick = (hit: Hit | undefined) => {
    if (!hit) return;
    onPick({ id: hit.entity.id, name: hit.entity.name });
    setText("");
    setHits([]);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown") setActive((index) => Math.min(index + 1, hits.length - 1));
    else if (event.key === "ArrowUp") setActive((index) => Math.max(index - 1, 0));
    else if (event.key === "Enter") pick(hits[active]);
    else if (event.key === "Escape") setHits([]);
    else return;
    event.preventDefault();
  };
  const listId = `${id}-hits`;
  return (
    <div class="search">
      <label for={id} class="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="search"
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={hits.length ? `${listId}-${active}` : undefined}
        autocomplete="off"
        placeholder={placeholder}
        value={text}
        onInput={(event) => setText((event.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      {error && <p class="error">{error}</p>}
      <div id={listId} role="listbox" aria-label={label} class="hits" hidden={!hits.length}>
        {hits.map((hit, index) => {
          const entity = hit.entity;
          const kind = entity.kind as EntityKind;
          const within = "locatedIn" in entity ? entity.locatedIn[0] : undefined;
          const name = lang === "zh" && entity.nameZh ? entity.nameZh : entity.name;
          const other = lang === "zh" ? entity.name : entity.nameZh;
          return (
            // Options take no focus: the box keeps it and names the active one (aria-activedescendant).
            <div
              id={`${listId}-${index}`}
              tabIndex={-1}
              key={entity.id}
              role="option"
              aria-selected={index === active}
              class={index === active ? "active" : ""}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(hit);
              }}
            >
              <span class="dot" style={{ background: kindColors[kind] }} />
              <span class="hit-name">{name}</span>
              {other && <span class="hit-other">{other}</span>}
              <span class="hit-kind">
                {kindNames[kind][lang]}
                {within ? ` · ${lang === "zh" && within.nameZh ? within.nameZh : within.name}` : ""}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
