// Row locks taken at the start of a write, so concurrent writes to the same records queue up
// instead of interleaving: two updates of one entity record one after the other (each `before` is
// the other's `after`), and a merge waits for, or is waited on by, every write that touches its
// entities. Locks are taken in id order, which keeps two lockers from deadlocking each other.
import { Prisma } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { txQuery } from "../db/transaction.js";
import type { Tx } from "./record.js";

export type LockMode = "update" | "share";

export interface LockedEntity {
  id: number;
  key: string;
  kind: EntityKind;
}

const clause = { update: Prisma.sql`FOR UPDATE`, share: Prisma.sql`FOR SHARE` } as const;

async function lockByKey(tx: Tx, keys: string[], mode: LockMode): Promise<LockedEntity[]> {
  if (!keys.length) return [];
  return txQuery<LockedEntity>(
    tx,
    Prisma.sql`SELECT id, key, kind::text AS kind FROM "Entity" WHERE key = ANY(${keys}::text[]) ORDER BY id ${clause[mode]}`,
  );
}

/**
 * Locks the entities with these keys; a key of an entity merged away locks (and maps to) the entity
 * it was merged into. Keys that name nothing are absent from the map.
 */
export async function lockEntities(tx: Tx, keys: string[], mode: LockMode): Promise<Map<string, LockedEntity>> {
  const wanted = [...new Set(keys)];
  const found = new Map((await lockByKey(tx, wanted, mode)).map((row) => [row.key, row]));
  const missing = wanted.filter((key) => !found.has(key));
  if (missing.length) {
    // Read after the first lock: a merge that held it has committed its redirect by now.
    const redirects = await tx.entityRedirect.findMany({
      where: { key: { in: missing } },
      include: { target: { select: { key: true } } },
    });
    const targets = new Map(
      (
        await lockByKey(
          tx,
          redirects.map((r) => r.target.key),
          mode,
        )
      ).map((row) => [row.key, row]),
    );
    for (const redirect of redirects) {
      const target = targets.get(redirect.target.key);
      if (target) found.set(redirect.key, target);
    }
  }
  return found;
}

const lockableTables = {
  Relationship: "Relationship",
  Observation: "Observation",
  RankingEntry: "RankingEntry",
  Source: "Source",
} as const;

/** Locks fact rows or sources by key; returns the keys that exist. */
export async function lockRows(
  tx: Tx,
  table: keyof typeof lockableTables,
  keys: string[],
  mode: LockMode,
): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await tx.$queryRaw<{ key: string }[]>`
    SELECT key FROM ${Prisma.raw(`"${lockableTables[table]}"`)} WHERE key = ANY(${keys}::text[]) ORDER BY id ${clause[mode]}`;
  return new Set(rows.map((row) => row.key));
}
