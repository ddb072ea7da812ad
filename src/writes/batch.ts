// One mutation's writes. Each create, update or delete goes through a record kind and leaves a
// Change row (who, when, what, before, after) in the same transaction; the batch id ties together
// the changes of one mutation, so a revert can undo all of them.
import { randomUUID } from "node:crypto";
import { Prisma, type Change } from "../generated/prisma/client.js";
import type { ChangeAction } from "../generated/prisma/enums.js";
import { NotFoundError } from "../errors.js";
import { txQuery } from "../db/transaction.js";
import { sameSnapshot, type ChangeInsert, type RecordKind, type Snapshot, type Tx } from "./record.js";

export interface Actor {
  tokenId: number;
  name: string;
}

interface RecordOptions {
  /** The change this one undoes (reverts only). */
  revertOf?: number;
}

export class WriteBatch {
  readonly id = randomUUID();
  readonly changes: Change[] = [];
  /** Table rows as this batch's last write of each record left them, by type and key (`Updated.row`). */
  private readonly rows = new Map<string, object>();

  constructor(
    readonly tx: Tx,
    readonly actor: Actor,
    readonly operation: string,
  ) {}

  async create<S extends Snapshot>(kind: RecordKind<S>, snapshot: S, options: RecordOptions = {}): Promise<S> {
    this.rows.delete(rowKey(kind.type, kind.keyOf(snapshot)));
    await kind.create(this.tx, snapshot);
    const after = (await kind.read(this.tx, kind.keyOf(snapshot)))!;
    await this.record(kind, "CREATE", null, after, options);
    return after;
  }

  /** Applies `change` to the record's current snapshot; an update that changes nothing records nothing. */
  async update<S extends Snapshot>(
    kind: RecordKind<S>,
    key: string,
    change: (current: S) => S,
    options: RecordOptions = {},
  ): Promise<S> {
    const before = await this.read(kind, key);
    const next = change(before);
    if (sameSnapshot(before, next)) return before;
    this.rows.delete(rowKey(kind.type, key));
    // The entities a change concerns, named before its record after exists: those of the record
    // before and of the one asked for. Checked against the record after below.
    const entityKeys = this.entityKeys(kind, before, next);
    const insert: ChangeInsert = (from, after) =>
      this.changeInsert(kind, "UPDATE", before, after, entityKeys, options, from, kind.keyOf(next));
    const updated = await kind.update(this.tx, key, before, next, insert);
    if (updated?.change) {
      const missed = kind.entityKeys(updated.after).filter((entity) => !entityKeys.includes(entity));
      // Never so for a kind whose entities are named by its key (an entity's), the one that inserts its change.
      if (missed.length)
        throw new Error(`The change of ${kind.type} "${key}" missed the entities ${missed.join(", ")}.`);
      this.changes.push(updated.change);
      if (updated.row) this.rows.set(rowKey(kind.type, key), updated.row);
      return updated.after;
    }
    const after = updated?.after ?? (await kind.read(this.tx, kind.keyOf(next)))!;
    await this.record(kind, "UPDATE", before, after, options);
    return after;
  }

  async delete<S extends Snapshot>(kind: RecordKind<S>, key: string, options: RecordOptions = {}): Promise<S> {
    this.rows.delete(rowKey(kind.type, key));
    const before = await this.read(kind, key);
    await kind.delete(this.tx, key);
    await this.record(kind, "DELETE", before, null, options);
    return before;
  }

  /**
   * The table row of the record `key` of `type` as this batch's last write of it left it, when that
   * write returned it (an entity's update of its row alone); undefined otherwise. An entity's row
   * changes only through its record kind, so nothing else in the batch can have changed it since.
   */
  rowLeft(type: string, key: string): object | undefined {
    return this.rows.get(rowKey(type, key));
  }

  async read<S extends Snapshot>(kind: RecordKind<S>, key: string): Promise<S> {
    const current = await kind.read(this.tx, key);
    if (!current) throw new NotFoundError(`No ${kind.type} has the key "${key}".`);
    return current;
  }

  private async record<S extends Snapshot>(
    kind: RecordKind<S>,
    action: ChangeAction,
    before: S | null,
    after: S | null,
    options: RecordOptions,
  ) {
    const insert = this.changeInsert(
      kind,
      action,
      before,
      Prisma.sql`${json(after)}::jsonb`,
      this.entityKeys(kind, before, after),
      options,
      null,
      kind.keyOf((after ?? before)!),
    );
    const [change] = await txQuery<Change>(this.tx, insert);
    this.changes.push(change!);
  }

  private entityKeys<S extends Snapshot>(kind: RecordKind<S>, before: S | null, after: S | null): string[] {
    return [...new Set([...(before ? kind.entityKeys(before) : []), ...(after ? kind.entityKeys(after) : [])])];
  }

  /**
   * The one statement that records a change: a hand-written insert rather than Prisma's create, which
   * costs twice the CPU to build; the row comes back as Prisma types it (`at` set here, as Prisma's
   * default does). `after` is a jsonb expression over `from` (null: a value).
   */
  private changeInsert<S extends Snapshot>(
    kind: RecordKind<S>,
    action: ChangeAction,
    before: S | null,
    after: Prisma.Sql,
    entityKeys: string[],
    options: RecordOptions,
    from: Prisma.Sql | null,
    targetKey: string,
  ): Prisma.Sql {
    return Prisma.sql`
      INSERT INTO "Change" (at, actor, operation, batch, action, "targetType", "targetKey", "entityKeys", before, after, "revertOfId")
      SELECT ${new Date()}::timestamp(3), ${this.actor.name}::text, ${this.operation}::text, ${this.id}::uuid,
        ${action}::"ChangeAction", ${kind.type}::text, ${targetKey}::text, ${entityKeys}::text[], ${json(before)}::jsonb,
        ${after}, ${options.revertOf ?? null}::int
      ${from ? Prisma.sql`FROM ${from}` : Prisma.empty}
      RETURNING id, at, actor, operation, batch::text AS batch, action::text AS action, "targetType", "targetKey",
        "entityKeys", before, after, "revertOfId"`;
  }
}

const rowKey = (type: string, key: string) => `${type}\n${key}`;

const json = (snapshot: Snapshot | null) => (snapshot ? JSON.stringify(snapshot) : null);
