// Real values of the seeded graph (ids, names, keys, cursors), read from the running service once, so
// generated requests find things and go deep instead of answering null at the first lookup. Read, not
// hand-listed: the pools follow the seed as it changes, and both databases hold the same seed.

export interface DomainPools {
  /** Global ids of seeded nodes of every kind: entities, indicators, sources, rankings, facts. */
  ids: string[];
  /** Names, Chinese names, aliases and keys of entities and indicators. */
  names: string[];
  relationTypes: string[];
  indicators: string[];
  sourceKeys: string[];
  topics: string[];
  /** Cursors the service handed out, so `after`/`before` sometimes point somewhere real. */
  cursors: string[];
}

/** Sends one query and returns its data; throws when the service answers with errors. */
export type Reader = (query: string, variables?: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface NamedNode {
  id: string;
  key: string;
  name?: string;
  nameZh?: string | null;
  aliases?: string[];
}

interface Page<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const entityPage = `query($after: String) {
  entities(first: 100, after: $after) {
    edges { cursor node { id key name nameZh aliases } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// One entity with facts of every kind, for the ids of relationships, observations and ranking entries.
const catalogue = `{
  indicators(first: 100) { edges { cursor node { id key name nameZh } } pageInfo { hasNextPage endCursor } }
  sources(first: 100) { edges { cursor node { id key } } pageInfo { hasNextPage endCursor } }
  rankings(first: 100) { edges { cursor node { id key topic entries { id } } } pageInfo { hasNextPage endCursor } }
  relationTypes { key }
  entity(name: "Chongqing") {
    relationships(first: 100) { edges { cursor node { id } } }
    observations { id }
  }
}`;

export async function readPools(read: Reader): Promise<DomainPools> {
  const entities: NamedNode[] = [];
  const cursors: string[] = [];
  for (let after: string | null = null; ; ) {
    const data = await read(entityPage, { after });
    const page = data.entities as Page<NamedNode>;
    entities.push(...page.edges.map((edge) => edge.node));
    cursors.push(...page.edges.slice(0, 3).map((edge) => edge.cursor));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const data = await read(catalogue);
  const indicators = (data.indicators as Page<NamedNode>).edges.map((edge) => edge.node);
  const sources = (data.sources as Page<NamedNode>).edges.map((edge) => edge.node);
  const rankings = (data.rankings as Page<NamedNode & { topic: string; entries: { id: string }[] }>).edges.map(
    (edge) => edge.node,
  );
  const chongqing = data.entity as { relationships: Page<{ id: string }>; observations: { id: string }[] };
  for (const connection of ["indicators", "sources", "rankings"]) {
    cursors.push(...(data[connection] as Page<unknown>).edges.slice(0, 2).map((edge) => edge.cursor));
  }
  cursors.push(...chongqing.relationships.edges.slice(0, 2).map((edge) => edge.cursor));
  return {
    ids: unique([
      ...entities.map((node) => node.id),
      ...indicators.map((node) => node.id),
      ...sources.map((node) => node.id),
      ...rankings.flatMap((node) => [node.id, ...node.entries.map((entry) => entry.id)]),
      ...chongqing.relationships.edges.map((edge) => edge.node.id),
      ...chongqing.observations.map((node) => node.id),
    ]),
    names: unique(
      [...entities, ...indicators].flatMap((node) => [node.name, node.nameZh, node.key, ...(node.aliases ?? [])]),
    ),
    relationTypes: (data.relationTypes as { key: string }[]).map((type) => type.key),
    indicators: unique(indicators.flatMap((node) => [node.key, node.name, node.nameZh])),
    sourceKeys: sources.map((node) => node.key),
    topics: unique(rankings.map((node) => node.topic)),
    cursors: unique(cursors),
  };
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value !== ""))];
}
