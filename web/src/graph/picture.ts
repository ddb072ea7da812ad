// The picture a view draws, derived from the view and the answers fetched for it, and nothing else:
// which entities and relationships are shown, which groups stay folded, what lies on a path. Pure, so
// the same view over the same graph always draws the same picture.
import type { Card, Link, Neighbours, PathStep } from "./fetch";
import { type Direction, type EntityKind, groupKey, type View } from "./view";

export interface Fold {
  entity: string;
  type: string;
  direction: Direction;
  count: number;
  kinds: EntityKind[];
}

export interface PictureNode {
  id: string;
  card: Card | null;
  /** A folded group stands in for its members: "+298 cities". */
  fold: Fold | null;
  open: boolean;
  onPath: boolean;
}

export interface PictureEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  certainty: string | null;
  onPath: boolean;
}

export interface Picture {
  nodes: PictureNode[];
  edges: PictureEdge[];
}

export interface Answers {
  neighbours: ReadonlyMap<string, Neighbours>;
  groups: ReadonlyMap<string, { link: Link; other: Card }[]>;
  paths: PathStep[][];
  cards: ReadonlyMap<string, Card>;
}

const plurals: Record<EntityKind, string> = {
  BRAND: "brands",
  CITY: "cities",
  COMPANY: "companies",
  COUNTRY: "countries",
  DISTRICT: "districts",
  ORGANIZATION: "organizations",
  POLICY: "policies",
  PROVINCE: "provinces",
  REGION: "regions",
};

/** "+298 cities", "+34 provinces and cities"; the relation's label when the kinds are more varied. */
export function foldLabel(fold: Fold, relationLabel: string): string {
  const kinds = fold.kinds.map((kind) => plurals[kind]);
  const what = kinds.length === 1 ? kinds[0] : kinds.length === 2 ? `${kinds[0]} and ${kinds[1]}` : relationLabel;
  return `+${fold.count} ${what}`;
}

export function foldId(fold: Pick<Fold, "entity" | "type" | "direction">): string {
  return `fold:${groupKey(fold.entity, fold.type, fold.direction)}`;
}

export function assemblePicture(view: View, answers: Answers): Picture {
  const hidden = new Set(view.hidden);
  const nodes = new Map<string, PictureNode>();
  const edges = new Map<string, PictureEdge>();
  const typeShown = (type: string) => !view.types || view.types.includes(type);
  const kindShown = (card: Card) => !view.kinds || view.kinds.includes(card.kind) || view.open.includes(card.id);

  const addCard = (card: Card) => {
    if (hidden.has(card.id)) return false;
    if (!nodes.has(card.id))
      nodes.set(card.id, { id: card.id, card, fold: null, open: view.open.includes(card.id), onPath: false });
    return true;
  };
  const addLink = (link: Link) => {
    if (!nodes.has(link.from) || !nodes.has(link.to) || edges.has(link.id)) return;
    edges.set(link.id, { ...link, source: link.from, target: link.to, onPath: false });
  };

  for (const id of view.open) {
    const card = answers.neighbours.get(id)?.center ?? answers.cards.get(id);
    if (card) addCard(card);
  }
  for (const id of view.open) {
    const neighbours = answers.neighbours.get(id);
    if (!neighbours || !nodes.has(id)) continue;
    for (const group of neighbours.groups) {
      if (!typeShown(group.type)) continue;
      const key = groupKey(id, group.type, group.direction);
      const members = view.unfolded.includes(key) ? answers.groups.get(key) : group.members;
      if (members) {
        for (const member of members) if (kindShown(member.other) && addCard(member.other)) addLink(member.link);
        continue;
      }
      if (view.kinds && group.kinds.length && !group.kinds.some((kind) => view.kinds!.includes(kind))) continue;
      const fold: Fold = {
        entity: id,
        type: group.type,
        direction: group.direction,
        count: group.count,
        kinds: group.kinds,
      };
      const node = foldId(fold);
      nodes.set(node, { id: node, card: null, fold, open: false, onPath: false });
      const outgoing = group.direction === "OUTGOING";
      edges.set(node, {
        id: node,
        source: outgoing ? id : node,
        target: outgoing ? node : id,
        type: group.type,
        certainty: null,
        onPath: false,
      });
    }
  }
  // A path is drawn whole, whatever the filters: it is what the user asked to see.
  for (const path of answers.paths) {
    for (const step of path) {
      for (const card of [step.from, step.to]) {
        if (!nodes.has(card.id))
          nodes.set(card.id, { id: card.id, card, fold: null, open: view.open.includes(card.id), onPath: true });
        nodes.get(card.id)!.onPath = true;
      }
      addLink(step.link);
      edges.get(step.link.id)!.onPath = true;
    }
  }
  // Relationships between drawn entities that another opened entity brought are drawn too.
  for (const neighbours of answers.neighbours.values())
    for (const group of neighbours.groups)
      if (typeShown(group.type)) for (const member of group.members ?? []) addLink(member.link);
  for (const [key, members] of answers.groups)
    if (view.unfolded.includes(key))
      for (const member of members) if (typeShown(member.link.type)) addLink(member.link);

  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId) };
}
