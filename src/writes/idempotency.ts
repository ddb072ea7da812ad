// Idempotency keys. The key is claimed first thing in the mutation's transaction: a concurrent
// retry with the same key waits on the claim's primary key until the first commits (then finds its
// result) or rolls back (then claims the key itself). Nothing is written twice either way.
import { createHash } from "node:crypto";
import { canonicalJson, type Json, type Tx } from "./record.js";
import { ConflictError } from "../errors.js";

export interface IdempotencyClaim {
  tokenId: number;
  key: string;
  operation: string;
  inputHash: string;
}

export function inputHash(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

/** Null when the key is new (and now claimed); the first call's result when it was used before. */
export async function claimIdempotencyKey(
  tx: Tx,
  claim: IdempotencyClaim,
): Promise<{ result: Json; batch: string | null } | null> {
  const { count } = await tx.idempotencyRecord.createMany({ data: [claim], skipDuplicates: true });
  if (count === 1) return null;
  const earlier = await tx.idempotencyRecord.findUniqueOrThrow({
    where: { tokenId_key: { tokenId: claim.tokenId, key: claim.key } },
  });
  if (earlier.operation !== claim.operation || earlier.inputHash !== claim.inputHash) {
    throw new ConflictError(
      `The idempotency key "${claim.key}" was used for a different ${earlier.operation === claim.operation ? "input" : `mutation (${earlier.operation})`}.`,
    );
  }
  return { result: earlier.result as Json, batch: earlier.batch };
}

export async function settleIdempotencyKey(
  tx: Tx,
  claim: IdempotencyClaim,
  result: Json,
  batch: string,
): Promise<void> {
  await tx.idempotencyRecord.update({
    where: { tokenId_key: { tokenId: claim.tokenId, key: claim.key } },
    data: { result: result as Exclude<Json, null>, batch },
  });
}
