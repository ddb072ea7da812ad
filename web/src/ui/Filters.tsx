// The left column's filters: the date the graph is asked as of, and which kinds and relations are
// drawn (the legend is the kinds' filter). Each control changes the view, so undo and the URL follow.
import { entityKinds, type EntityKind, type View } from "../graph/view";
import { kindColors, kindNames } from "./kinds";

export interface RelationType {
  key: string;
  label: string;
  inverseLabel: string;
  symmetric: boolean;
}

const firstYear = 2015;
const thisYear = new Date().getFullYear();

/** A list's new value with `item` toggled; null (everything) when all are on again. */
function toggle<T>(list: T[] | null, all: readonly T[], item: T): T[] | null {
  const current = list ?? [...all];
  const next = current.includes(item) ? current.filter((entry) => entry !== item) : [...current, item];
  return next.length === all.length ? null : next;
}

export interface FiltersProps {
  view: View;
  relationTypes: ReadonlyMap<string, RelationType>;
  change: (next: (current: View) => View) => void;
}

export function Filters({ view, relationTypes, change }: FiltersProps) {
  const year = view.asOf ? Number(view.asOf.slice(0, 4)) : null;
  const shownKinds = view.kinds ?? entityKinds;
  return (
    <>
      <fieldset>
        <legend>Date</legend>
        <label>
          <input
            type="checkbox"
            checked={year !== null}
            onChange={(event) =>
              change((current) => ({
                ...current,
                asOf: (event.target as HTMLInputElement).checked ? `${thisYear}-12-31` : null,
              }))
            }
          />{" "}
          As of the end of {year ?? "…"}
        </label>
        <input
          type="range"
          aria-label="Year"
          min={firstYear}
          max={thisYear}
          step={1}
          value={year ?? thisYear}
          disabled={year === null}
          onChange={(event) =>
            change((current) => ({ ...current, asOf: `${(event.target as HTMLInputElement).value}-12-31` }))
          }
        />
        <p class="muted">
          {year === null ? "Every relationship, whenever it began." : "Only what was certainly valid then."}
        </p>
      </fieldset>
      <fieldset>
        <legend>Kinds</legend>
        <ul class="legend">
          {entityKinds.map((kind: EntityKind) => (
            <li key={kind}>
              <label>
                <input
                  type="checkbox"
                  checked={shownKinds.includes(kind)}
                  onChange={() =>
                    change((current) => ({ ...current, kinds: toggle(current.kinds, entityKinds, kind) }))
                  }
                />
                <span class="dot" style={{ background: kindColors[kind] }} /> {kindNames[kind][view.lang]}
              </label>
            </li>
          ))}
          <li class="muted">
            <span class="dot fold" /> folded group: click to unfold
          </li>
        </ul>
      </fieldset>
      <fieldset>
        <legend>Relations</legend>
        <ul class="relations">
          {[...relationTypes.values()].map((type) => (
            <li key={type.key}>
              <label>
                <input
                  type="checkbox"
                  checked={!view.types || view.types.includes(type.key)}
                  onChange={() =>
                    change((current) => ({
                      ...current,
                      types: toggle(current.types, [...relationTypes.keys()], type.key),
                    }))
                  }
                />{" "}
                {type.label}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </>
  );
}
