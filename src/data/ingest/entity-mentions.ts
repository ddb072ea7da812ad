// Which entities a text names, sentence by sentence: every alias of every entity goes into one
// compiled matcher, and each sentence that names an entity becomes that mention's quote.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { AdminLevel } from "../../generated/prisma/enums.js";
import { NameMatcher } from "./name-matcher.js";
import { splitSentences } from "./sentences.js";

/** One alias row, as much of its entity as deciding between namesakes needs. */
export interface EntityName {
  entityId: number;
  primary: boolean;
  adminLevel: AdminLevel | null;
}

export type EntityMatcher = NameMatcher<EntityName>;

export interface FoundMention {
  entityId: number;
  /** The sentence verbatim, so it can be found again in the body. */
  quote: string;
}

export interface MentionScan {
  sentences: number;
  /** Distinct (entity, sentence) pairs, in order of first appearance. */
  mentions: FoundMention[];
  /** Names, as written, that several entities answer to equally, with how many; none of them is linked. */
  ambiguous: { name: string; entities: number }[];
}

/**
 * Reads every alias (primary names included) in one joined statement: a generated graph of 100,000
 * entities is 100,000 rows, which Prisma's relation loading would fetch as a second query keyed by
 * every entity id.
 */
export async function loadEntityMatcher(prisma: PrismaClient): Promise<EntityMatcher> {
  const rows = await prisma.$queryRaw<
    { name: string; entityId: number; primary: boolean; adminLevel: AdminLevel | null }[]
  >`
    SELECT a.name, a."entityId", a."primary", e."adminLevel"::text AS "adminLevel"
    FROM "Alias" a JOIN "Entity" e ON e.id = a."entityId"
    ORDER BY a.id`;
  return NameMatcher.compile(
    rows.map((row) => ({
      name: row.name,
      value: { entityId: row.entityId, primary: row.primary, adminLevel: row.adminLevel },
    })),
  );
}

const levelRank: Record<AdminLevel, number> = { COUNTRY: 4, PROVINCIAL: 3, PREFECTURAL: 2, COUNTY: 1 };

/**
 * The entity a name stands for, or null when its namesakes cannot be told apart. A primary name beats
 * an alias, and a place beats its lower-level namesake: "Jilin" and "吉林" alone mean the province far
 * more often than the city. Two cities of one name (Suzhou, Taizhou) stay undecided rather than guessed.
 */
export function resolveEntity(names: readonly EntityName[]): number | null {
  let candidates = [...new Map(names.map((name) => [name.entityId, name])).values()];
  if (candidates.length > 1) {
    const primary = new Set(names.filter((name) => name.primary).map((name) => name.entityId));
    if (primary.size > 0) candidates = candidates.filter((candidate) => primary.has(candidate.entityId));
  }
  if (candidates.length > 1) {
    const rank = (candidate: EntityName) => (candidate.adminLevel ? levelRank[candidate.adminLevel] : 0);
    const top = Math.max(...candidates.map(rank));
    candidates = candidates.filter((candidate) => rank(candidate) === top);
  }
  return candidates.length === 1 ? candidates[0]!.entityId : null;
}

export function findMentions(matcher: EntityMatcher, body: string): MentionScan {
  const sentences = splitSentences(body);
  const seen = new Set<string>();
  const mentions: FoundMention[] = [];
  const ambiguous = new Map<string, number>();
  for (const sentence of sentences) {
    for (const match of matcher.findAll(sentence.text)) {
      const entityId = resolveEntity(match.values);
      if (entityId === null) {
        ambiguous.set(
          sentence.text.slice(match.start, match.end),
          new Set(match.values.map((value) => value.entityId)).size,
        );
        continue;
      }
      const id = `${entityId}\u0000${sentence.text}`;
      if (seen.has(id)) continue;
      seen.add(id);
      mentions.push({ entityId, quote: sentence.text });
    }
  }
  return {
    sentences: sentences.length,
    mentions,
    ambiguous: [...ambiguous].map(([name, entities]) => ({ name, entities })),
  };
}
