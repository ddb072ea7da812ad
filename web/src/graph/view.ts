// What the user is looking at, as plain data: the entities opened, the groups unfolded, what is hidden
// or filtered, the date, the selection. It is all the URL holds (a shared link reopens the same
// picture) and all undo restores; everything drawn is derived from it and the answers fetched for it.

export type EntityKind =
  | "BRAND"
  | "CITY"
  | "COMPANY"
  | "COUNTRY"
  | "DISTRICT"
  | "ORGANIZATION"
  | "POLICY"
  | "PROVINCE"
  | "REGION";

export const entityKinds: readonly EntityKind[] = [
  "COUNTRY",
  "PROVINCE",
  "CITY",
  "DISTRICT",
  "REGION",
  "ORGANIZATION",
  "COMPANY",
  "BRAND",
  "POLICY",
];

export interface View {
  /** Entities whose neighbours are drawn, by global id, in the order they were opened. */
  open: string[];
  /** Folded groups the user unfolded: `groupKey(entity, type, direction)`. */
  unfolded: string[];
  /** Entities the user hid. */
  hidden: string[];
  /** Relation types drawn; all when null. */
  types: string[] | null;
  /** Kinds of neighbours drawn; all when null (opened entities are always drawn). */
  kinds: EntityKind[] | null;
  /** The graph as of this date (YYYY, YYYY-MM or YYYY-MM-DD); today's when null. */
  asOf: string | null;
  /** The selected entity's id, or `edge:` and a relationship's id. */
  selected: string | null;
  /** Shortest paths asked for, from and to. */
  path: [string, string] | null;
  lang: "en" | "zh";
  mode: "graph" | "map";
}

export const emptyView: View = {
  open: [],
  unfolded: [],
  hidden: [],
  types: null,
  kinds: null,
  asOf: null,
  selected: null,
  path: null,
  lang: "en",
  mode: "graph",
};

export type Direction = "INCOMING" | "OUTGOING";

export function groupKey(entity: string, type: string, direction: Direction): string {
  return `${entity}|${type}|${direction}`;
}

const list = (text: string | null) => (text ? text.split(",").filter(Boolean) : []);

/** The view a URL's hash describes; what it does not say is the empty view's. */
export function viewFromHash(hash: string): View {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const kinds = params.get("kinds");
  const types = params.get("types");
  const path = list(params.get("path"));
  const asOf = params.get("asOf");
  return {
    open: list(params.get("open")),
    unfolded: list(params.get("unfold")),
    hidden: list(params.get("hide")),
    types: types === null ? null : list(types),
    kinds:
      kinds === null ? null : (list(kinds).filter((kind) => entityKinds.includes(kind as EntityKind)) as EntityKind[]),
    asOf: asOf && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(asOf) ? asOf : null,
    selected: params.get("sel"),
    path: path.length === 2 ? [path[0]!, path[1]!] : null,
    lang: params.get("lang") === "zh" ? "zh" : "en",
    mode: params.get("mode") === "map" ? "map" : "graph",
  };
}

/** The hash that reopens `view`: only what differs from the empty view, so links stay short. */
export function hashOfView(view: View): string {
  const params = new URLSearchParams();
  if (view.open.length) params.set("open", view.open.join(","));
  if (view.unfolded.length) params.set("unfold", view.unfolded.join(","));
  if (view.hidden.length) params.set("hide", view.hidden.join(","));
  if (view.types) params.set("types", view.types.join(","));
  if (view.kinds) params.set("kinds", view.kinds.join(","));
  if (view.asOf) params.set("asOf", view.asOf);
  if (view.selected) params.set("sel", view.selected);
  if (view.path) params.set("path", view.path.join(","));
  if (view.lang !== "en") params.set("lang", view.lang);
  if (view.mode !== "graph") params.set("mode", view.mode);
  const text = params.toString();
  return text ? `#${text}` : "";
}
