// Runs one mutation: a transaction (retried on deadlock or serialization failure), the idempotency
// claim inside it, the batch of recorded changes, and their events once it has committed.
import type { PrismaClient } from "../generated/prisma/client.js";
import { connectedTransaction } from "../db/transaction.js";
import { publishChanges } from "../events/publish.js";
import type { GraphPubSub } from "../events/pubsub.js";
import { WriteBatch, type Actor } from "./batch.js";
import { WriteError } from "../errors.js";
import { claimIdempotencyKey, inputHash, settleIdempotencyKey, type IdempotencyClaim } from "./idempotency.js";
import { isRetryable, toWriteError } from "./prisma-errors.js";
import type { Json } from "./record.js";

export interface WriteRequest<R extends Json> {
  prisma: PrismaClient;
  pubSub: GraphPubSub;
  actor: Actor;
  operation: string;
  idempotency?: { key: string; input: unknown } | null;
  write(batch: WriteBatch): Promise<R>;
}

export interface WriteOutcome<R extends Json> {
  result: R;
  /** The batch whose changes the mutation made (on a replay, the first call's). */
  batch: string | null;
  replayed: boolean;
  /** `WriteBatch.rowLeft` of the committed batch (nothing on a replay): rows the answer need not read again. */
  rowLeft(type: string, key: string): object | undefined;
}

const attempts = 4;

export async function runWrite<R extends Json>(request: WriteRequest<R>): Promise<WriteOutcome<R>> {
  const claim: IdempotencyClaim | null = request.idempotency
    ? {
        tokenId: request.actor.tokenId,
        key: request.idempotency.key,
        operation: request.operation,
        inputHash: inputHash(request.idempotency.input),
      }
    : null;
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await connectedTransaction(
        request.prisma,
        async (tx) => {
          const earlier = claim ? await claimIdempotencyKey(tx, claim) : null;
          if (earlier)
            return { result: earlier.result as R, batch: earlier.batch, replayed: true, changes: [], left: null };
          const batch = new WriteBatch(tx, request.actor, request.operation);
          const result = await request.write(batch);
          if (claim) await settleIdempotencyKey(tx, claim, result, batch.id);
          return { result, batch: batch.id, replayed: false, changes: batch.changes, left: batch };
        },
        // PGlite has one connection: a transaction may wait for the one before it.
        { maxWait: 20_000, timeout: 60_000 },
      );
      await publishChanges(request.prisma, request.pubSub, outcome.changes);
      const { left } = outcome;
      return {
        result: outcome.result,
        batch: outcome.batch,
        replayed: outcome.replayed,
        rowLeft: (type, key) => left?.rowLeft(type, key),
      };
    } catch (error) {
      if (attempt < attempts && isRetryable(error)) continue;
      if (error instanceof WriteError) throw error;
      throw toWriteError(error) ?? error;
    }
  }
}
