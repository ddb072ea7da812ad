// The answers a view needs, fetched through the public API: an opened entity's neighbours grouped by
// relation type and direction, an unfolded group's members, the paths asked for. Hubs are never read
// whole: a group larger than `foldAt` arrives as its count and the kind of its first member.
import { ask } from "../client";
import { GroupQuery, NeighboursQuery, PathsQuery, RelationTypesQuery } from "../documents";
import type { ResultOf } from "gql.tada";
import type { EntityCard } from "../documents";
import type { Direction, EntityKind } from "./view";

export interface Card {
  id: string;
  key: string;
  kind: EntityKind;
  name: string;
  nameZh: string | null;
  location: { lat: number; lon: number } | null;
}

/** One relationship as the picture draws it: from -> to. */
export interface Link {
  id: string;
  type: string;
  certainty: string;
  from: string;
  to: string;
}

export interface Group {
  type: string;
  direction: Direction;
  /** How many neighbours the group has as of the view's date. */
  count: number;
  /** The kinds of its members, most frequent first (for "+298 cities"); a hub's from its first page. */
  kinds: EntityKind[];
  /** Its members, when it is small enough to draw unasked (at most `foldAt`). */
  members: { link: Link; other: Card }[] | null;
}

export interface Neighbours {
  center: Card;
  groups: Group[];
}

export interface PathStep {
  link: Link;
  label: string;
  from: Card;
  to: Card;
  quote: string;
  sourceTitle: string;
  distanceKm: number | null;
}

/** Groups larger than this arrive folded. */
export const foldAt = 12;
/** An unfolded group draws at most this many members. */
export const unfoldLimit = 500;

export function cardOf(card: ResultOf<typeof EntityCard>): Card {
  return {
    id: card.id,
    key: card.key,
    kind: card.kind as EntityKind,
    name: card.name,
    nameZh: card.nameZh,
    location: "location" in card && card.location ? { lat: card.location.lat, lon: card.location.lon } : null,
  };
}

type EdgeData = NonNullable<
  Extract<NonNullable<ResultOf<typeof GroupQuery>["node"]>, { relationships: unknown }>
>["relationships"]["edges"][number];

function memberOf(centerId: string, edge: EdgeData): { link: Link; other: Card } {
  const other = cardOf(edge.other);
  const outgoing = edge.direction === "OUTGOING";
  return {
    other,
    link: {
      id: edge.node.id,
      type: edge.node.type,
      certainty: edge.node.certainty,
      from: outgoing ? centerId : other.id,
      to: outgoing ? other.id : centerId,
    },
  };
}

function kindsOf(members: { other: Card }[]): EntityKind[] {
  const counts = new Map<EntityKind, number>();
  for (const { other } of members) counts.set(other.kind, (counts.get(other.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind]) => kind);
}

export async function fetchRelationTypes() {
  return (await ask(RelationTypesQuery, {})).relationTypes;
}

export async function fetchNeighbours(id: string, asOf: string | null): Promise<Neighbours | null> {
  const data = await ask(NeighboursQuery, { id, asOf, first: 100 });
  const node = data.node;
  if (!node || !("relationships" in node)) return null;
  const center = cardOf(node);
  const { relationships, degree } = node;
  if (relationships.totalCount <= relationships.edges.length) {
    // Every relationship in one page: group them here.
    const byGroup = new Map<string, { link: Link; other: Card }[]>();
    for (const edge of relationships.edges) {
      const key = `${edge.node.type}|${edge.direction}`;
      const members = byGroup.get(key) ?? [];
      members.push(memberOf(id, edge));
      byGroup.set(key, members);
    }
    const groups = [...byGroup].map(([key, members]): Group => {
      const [type, direction] = key.split("|") as [string, Direction];
      const small = members.length <= foldAt;
      return { type, direction, count: members.length, kinds: kindsOf(members), members: small ? members : null };
    });
    return { center, groups: groups.sort(byTypeAndDirection) };
  }
  // A hub: one small page per group says its size as of the date and the kind of its members.
  const groups = await Promise.all(
    degree
      .filter((entry) => entry.direction === "INCOMING" || entry.direction === "OUTGOING")
      .map(async (entry): Promise<Group> => {
        const direction = entry.direction as Direction;
        const page = await fetchGroupPage(id, entry.type, direction, asOf, foldAt, null);
        const small = page.total <= foldAt;
        return {
          type: entry.type,
          direction,
          count: page.total,
          kinds: kindsOf(page.members),
          members: small ? page.members : null,
        };
      }),
  );
  return { center, groups: groups.filter((group) => group.count > 0).sort(byTypeAndDirection) };
}

function byTypeAndDirection(a: Group, b: Group): number {
  return a.type.localeCompare(b.type) || a.direction.localeCompare(b.direction);
}

async function fetchGroupPage(
  id: string,
  type: string,
  direction: Direction,
  asOf: string | null,
  first: number,
  after: string | null,
) {
  const data = await ask(GroupQuery, { id, type, direction, asOf, first, after });
  const node = data.node;
  if (!node || !("relationships" in node)) return { total: 0, members: [], next: null };
  const { relationships } = node;
  return {
    total: relationships.totalCount,
    members: relationships.edges.map((edge) => memberOf(id, edge)),
    next: relationships.pageInfo.hasNextPage ? relationships.pageInfo.endCursor : null,
  };
}

/** An unfolded group's members, page by page, up to `unfoldLimit`. */
export async function fetchGroup(id: string, type: string, direction: Direction, asOf: string | null) {
  const members: { link: Link; other: Card }[] = [];
  let after: string | null = null;
  do {
    const page = await fetchGroupPage(id, type, direction, asOf, 100, after);
    members.push(...page.members);
    after = page.next;
  } while (after && members.length < unfoldLimit);
  return members.slice(0, unfoldLimit);
}

export async function fetchPaths(from: string, to: string, asOf: string | null): Promise<PathStep[][]> {
  const data = await ask(PathsQuery, { from, to, asOf });
  return data.paths.map((path) =>
    path.steps.map((step) => {
      const fromCard = cardOf(step.from);
      const toCard = cardOf(step.to);
      // A step walks a relationship either way; the picture draws it as stated (from -> to).
      const forward = step.direction === "OUTGOING";
      return {
        label: step.label,
        from: fromCard,
        to: toCard,
        quote: step.relationship.quote,
        sourceTitle: step.relationship.source.title,
        distanceKm: step.distanceKm,
        link: {
          id: step.relationship.id,
          type: step.relationship.type,
          certainty: step.relationship.certainty,
          from: forward ? fromCard.id : toCard.id,
          to: forward ? toCard.id : fromCard.id,
        },
      };
    }),
  );
}
