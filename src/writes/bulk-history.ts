// History for the writes that do not go record by record: a bundle import and an article ingest write
// many rows in bulk, then record what changed as one batch of Changes, exactly as a mutation's
// WriteBatch would have, so `changes` lists them and `revertChange` undoes them. What changed is not
// guessed from the rows sent: every record the write may touch is read (as its record kind reads it)
// before and after, in the write's transaction, and each difference is one Change.
import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client.js";
import { batchSize, insertRows, type Value } from "./bulk-rows.js";
import { noteEmptyTables, wasEmpty, withDeferredIndexes } from "./bulk-load.js";
import { bulkTable } from "./rows.js";
import { sameSnapshot, type RecordKind, type Snapshot, type Tx } from "./record.js";

/** The records of one kind a bulk write may create, change or delete. */
export interface BulkTarget {
  kind: RecordKind<Snapshot>;
  keys: Iterable<string>;
}

/** The target of `keys` among the records of `kind`. */
export const bulkTarget = <S extends Snapshot>(kind: RecordKind<S>, keys: Iterable<string>): BulkTarget => ({
  // A kind's snapshots are Snapshots; only its methods' parameters make the kind itself narrower.
  kind: kind as unknown as RecordKind<Snapshot>,
  keys,
});

export interface BulkHistory {
  /** The batch id of the changes recorded, null when the write changed no record. */
  batch: string | null;
  changes: number;
}

// Keys per read: Prisma sends `IN (…)` with one parameter per key, and PostgreSQL takes at most 65,535.
const readChunk = 5_000;
const existenceChunk = 50_000;

// Change rows go in through the bulk writer: Prisma's createMany spent a second per thousand rows
// serialising their JSON snapshots, most of an import's time.
const changeTable = bulkTable("Change", {
  key: "targetKey",
  hasId: false,
  columns: ["actor", "operation", "batch", "action", "targetType", "entityKeys", "before", "after"],
});

async function readAll(tx: Tx, kind: RecordKind<Snapshot>, keys: readonly string[]): Promise<Map<string, Snapshot>> {
  const found = new Map<string, Snapshot>();
  for (let i = 0; i < keys.length; i += readChunk) {
    for (const [key, snapshot] of await kind.readMany(tx, keys.slice(i, i + readChunk))) found.set(key, snapshot);
  }
  return found;
}

/**
 * The keys among `keys` that are stored: one statement with one array parameter per chunk, so that
 * the snapshots taken before a write are read only for the records there are (none, for a bundle of
 * new records). The kinds written in bulk are named after their tables, keyed by a `key` column.
 */
async function storedKeys(tx: Tx, kind: RecordKind<Snapshot>, keys: readonly string[]): Promise<string[]> {
  const stored: string[] = [];
  for (let i = 0; i < keys.length; i += existenceChunk) {
    const rows = await tx.$queryRaw<{ key: string }[]>`
      SELECT key FROM ${Prisma.raw(`"${kind.type}"`)} WHERE key = ANY(${keys.slice(i, i + existenceChunk)}::text[])`;
    for (const row of rows) stored.push(row.key);
  }
  return stored;
}

/**
 * Runs `write` and records what it changed among `targets` as one batch by `actor` through
 * `operation`. Targets are listed in the order their records depend on each other (sources, then
 * entities, then the facts about them): a revert undoes a batch newest first, so facts go before the
 * entities and sources they cite.
 */
export async function withBulkHistory<T>(
  tx: Tx,
  who: { actor: string; operation: string },
  targets: readonly BulkTarget[],
  write: () => Promise<T>,
): Promise<{ result: T; history: BulkHistory }> {
  const lists = targets.map((target) => ({ kind: target.kind, keys: [...new Set(target.keys)] }));
  // Before the write: which tables it loads first (src/writes/bulk-load.ts), the history's included.
  // An empty table has no record to read before, and every row in it afterwards was created.
  await noteEmptyTables(tx, ["Change", ...lists.map(({ kind }) => kind.type)]);
  const before: Map<string, Snapshot>[] = [];
  for (const { kind, keys } of lists)
    before.push(wasEmpty(tx, kind.type) ? new Map() : await readAll(tx, kind, await storedKeys(tx, kind, keys)));
  const result = await write();
  const batch = randomUUID();
  let changes = 0;
  // At most one Change per key: enough to tell whether building Change's indexes afterwards pays.
  const most = lists.reduce((sum, { keys }) => sum + keys.length, 0);
  await withDeferredIndexes(tx, "Change", most, async () => {
    for (const [i, { kind, keys }] of lists.entries()) {
      // A record that was not there before and is now was created: with its snapshots in SQL, its
      // Change is written from them in the database. The others are read back and compared here.
      const { snapshotsSql } = kind;
      const compared = snapshotsSql ? keys.filter((key) => before[i]!.has(key)) : keys;
      const after = await readAll(tx, kind, compared);
      const rows: { key: string; values: Record<string, Value> }[] = [];
      for (const key of compared) {
        const was = before[i]!.get(key) ?? null;
        const now = after.get(key) ?? null;
        // Only a record there before and after needs comparing; most of a large import is new records.
        if (was === null ? now === null : now !== null && sameSnapshot(was, now)) continue;
        const entityKeys = new Set([...(was ? kind.entityKeys(was) : []), ...(now ? kind.entityKeys(now) : [])]);
        rows.push({
          key,
          values: {
            ...who,
            batch,
            action: was === null ? "CREATE" : now === null ? "DELETE" : "UPDATE",
            targetType: kind.type,
            entityKeys: [...entityKeys],
            before: was,
            after: now,
          },
        });
      }
      // One statement per batch, kinds in the order of `targets`: ids follow it, and a revert goes newest first.
      for (let j = 0; j < rows.length; j += batchSize) await insertRows(tx, changeTable, rows.slice(j, j + batchSize));
      changes += rows.length;
      if (!snapshotsSql) continue;
      const insertCreated = (keys: Prisma.Sql | null) => tx.$executeRaw`
        INSERT INTO "Change" ("targetKey", actor, operation, batch, action, "targetType", "entityKeys", before, after)
        SELECT s.key, ${who.actor}, ${who.operation}, ${batch}::uuid, 'CREATE'::"ChangeAction", ${kind.type},
          s."entityKeys", NULL, s.snapshot
        FROM (${snapshotsSql(keys)}) s ${keys ? Prisma.sql`ORDER BY s.key` : Prisma.empty}`;
      if (wasEmpty(tx, kind.type)) {
        // A first load: every row of the table is one this write created, so no key need be sent.
        // Unsorted: the changes of one kind are independent (a revert undoes the whole batch), and
        // sorting a whole table's snapshots spilled to disk (a quarter of the statement's time).
        changes += await insertCreated(null);
        continue;
      }
      const created = keys.filter((key) => !before[i]!.has(key));
      for (let j = 0; j < created.length; j += existenceChunk) {
        changes += await insertCreated(Prisma.sql`${created.slice(j, j + existenceChunk)}::text[]`);
      }
    }
  });
  return { result, history: { batch: changes ? batch : null, changes } };
}
