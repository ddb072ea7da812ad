// `npm run bench -- --shapes`: every shape of bench/shapes.ts as a query of its own, ours on each and
// PostGraphile where it has the same list beneath the same list (its relations over the same foreign
// keys, in the same order). Answers are compared as each parent's key with its children's keys.
import type { GraphQLSchema } from "graphql";
import { SHAPE_PAGE, shapesOf } from "./shapes.js";
import { data, graphql, systems, type QueryPlan, type SystemName } from "./queries.js";

type Canonical = [string, string[]][];

/** The key behind one of our global ids (base64 of "Type:key"). */
const keyOf = (id: string) =>
  Buffer.from(id, "base64")
    .toString("utf8")
    .replace(/^[^:]+:/, "");

/** A nested list as our answer holds it: a plain list, or a connection's edges. */
const itemsOf = (value: any): any[] => (Array.isArray(value) ? value : (value?.edges ?? []).map((e: any) => e.node));

/** An item of a nested list by its key, or, for items without an id (degree rows), by its content. */
const itemKey = (item: any) => (typeof item?.id === "string" ? keyOf(item.id) : JSON.stringify(item));

/** Our answer to a shape: each parent's key and its children's, children sorted where the peer's order differs. */
function ourCanonical(field: string, sorted: boolean) {
  return (body: any): Canonical =>
    data(body).list.edges.map((edge: any) => {
      const keys = itemsOf(edge.node[field]).map(itemKey);
      return [keyOf(edge.node.id), sorted ? keys.sort() : keys];
    });
}

/** A PostGraphile equivalent: its document and where each parent's children are in its answer. */
interface PeerShape {
  note?: string;
  /** Children compared as sets: the two order them differently (or one does not promise an order). */
  sorted?: boolean;
  /** Parents compared as a set too. */
  sortedParents?: boolean;
  document: string;
  /** Each parent with its key and its children's keys. */
  pick(list: any): Canonical;
}

const nodes = (list: any, children: string, parentKey = "key", childKey = "key"): Canonical =>
  list.nodes.map((node: any) => [
    node[parentKey] as string,
    node[children].nodes.map((child: any) => child[childKey] as string),
  ]);

const cityPage = `allEntities(condition: { kind: CITY }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC], first: ${SHAPE_PAGE.root})`;
const policyPage = `allEntities(condition: { kind: POLICY }, orderBy: [NAME_ASC, PRIMARY_KEY_ASC], first: ${SHAPE_PAGE.root})`;
const observationColumns =
  "key period periodStart periodEnd value valueMax qualifier unit note quote certainty entityByEntityId { key } indicatorByIndicatorId { key } sourceBySourceId { key }";
const entryColumns =
  "key rank value unit note quote certainty entityByEntityId { key } rankingByRankingId { key } sourceBySourceId { key }";
const mentionColumns = "id quote entityByEntityId { key } sourceBySourceId { key }";

/** Shapes PostGraphile answers the same way, by name (`root.field`). */
const postgraphileShapes: Record<string, PeerShape> = {
  "indicators.observations": {
    note: "PostGraphile cannot order indicators by name (no index on it): its page is by key, compared as a set of indicators, which is the same set while the graph has no more indicators than the page holds",
    sortedParents: true,
    document: `{ list: allIndicators(orderBy: [KEY_ASC], first: ${SHAPE_PAGE.root}) { nodes { key
      observationsByIndicatorId(orderBy: [PERIOD_START_ASC, PRIMARY_KEY_ASC], first: ${SHAPE_PAGE.nested}) { nodes { ${observationColumns} } } } } }`,
    pick: (list) => nodes(list, "observationsByIndicatorId"),
  },
  "cities.observations": {
    document: `{ list: ${cityPage} { nodes { key
      observationsByEntityId(orderBy: [PERIOD_START_ASC, PRIMARY_KEY_ASC]) { nodes { ${observationColumns} } } } } }`,
    pick: (list) => nodes(list, "observationsByEntityId"),
  },
  "policies.observations": {
    document: `{ list: ${policyPage} { nodes { key
      observationsByEntityId(orderBy: [PERIOD_START_ASC, PRIMARY_KEY_ASC]) { nodes { ${observationColumns} } } } } }`,
    pick: (list) => nodes(list, "observationsByEntityId"),
  },
  "cities.rankings": {
    note: "the city's ranking entries by id; ours orders them by ranking, compared as sets",
    sorted: true,
    document: `{ list: ${cityPage} { nodes { key
      rankingEntriesByEntityId(orderBy: [PRIMARY_KEY_ASC]) { nodes { ${entryColumns} } } } } }`,
    pick: (list) => nodes(list, "rankingEntriesByEntityId"),
  },
  "rankings.entries": {
    note: "PostGraphile cannot order entries by rank (no index on it): by id, compared as sets",
    sorted: true,
    document: `{ list: allRankings(orderBy: [PRIMARY_KEY_ASC], first: ${SHAPE_PAGE.root}) { nodes { key
      rankingEntriesByRankingId(orderBy: [PRIMARY_KEY_ASC]) { nodes { ${entryColumns} } } } } }`,
    pick: (list) => nodes(list, "rankingEntriesByRankingId"),
  },
  "cities.mentions": {
    note: "mentions have no key: compared by their count per city",
    sorted: true,
    document: `{ list: ${cityPage} { nodes { key
      mentionsByEntityId(orderBy: [PRIMARY_KEY_ASC]) { nodes { ${mentionColumns} } } } } }`,
    pick: (list) => nodes(list, "mentionsByEntityId", "key", "id"),
  },
};

export interface ShapeMix {
  names: string[];
  titles: Record<string, string>;
  plans: Record<string, Record<SystemName, QueryPlan>>;
}

/** The shapes of `schema` as a query mix: ours everywhere, PostGraphile where written above. */
export function shapeMix(schema: GraphQLSchema): ShapeMix {
  const shapes = shapesOf(schema);
  const plans: ShapeMix["plans"] = {};
  const titles: ShapeMix["titles"] = {};
  for (const shape of shapes) {
    const field = shape.name.split(".")[1]!;
    const peer = postgraphileShapes[shape.name];
    const counted = shape.name === "cities.mentions";
    const ours: QueryPlan = {
      request: () => graphql(shape.document, {}),
      canonical: (body) => {
        const answer = ourCanonical(field, Boolean(peer?.sorted))(body);
        if (!answer.length) throw new Error("an empty page");
        if (peer?.sortedParents) answer.sort(([a], [b]) => a.localeCompare(b));
        // Mentions have no key of their own: what both answers share is how many each city has.
        return counted ? answer.map(([key, children]) => [key, [String(children.length)]]) : answer;
      },
    };
    const none: QueryPlan = { na: "no equivalent written (bench/shape-mix.ts)" };
    const row = Object.fromEntries(systems.map((system) => [system, none])) as Record<SystemName, QueryPlan>;
    row.ours = ours;
    row["ours-cached"] = ours;
    if (peer)
      row.postgraphile = {
        ...(peer.note ? { note: peer.note } : {}),
        request: () => graphql(peer.document, {}),
        canonical: (body) => {
          const answer = peer.pick(data(body).list);
          const shaped = peer.sorted
            ? answer.map(([key, children]): [string, string[]] => [key, children.sort()])
            : answer;
          return counted ? shaped.map(([key, children]) => [key, [String(children.length)]]) : shaped;
        },
      };
    plans[shape.name] = row;
    titles[shape.name] = shape.name;
  }
  return { names: shapes.map((shape) => shape.name), titles, plans };
}
