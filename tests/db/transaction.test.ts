// A connectedTransaction's own statements (src/db/transaction.ts) run on the connection of its Prisma
// transaction: they see what the transaction wrote and nobody else has seen yet, they commit and roll
// back with it, concurrent transactions each use their own, their rows are typed as $queryRaw's, and
// their failures are write errors like Prisma's. The write path's hot statements run there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import { connectedTransaction, txQuery } from "../../src/db/transaction.js";
import { ConflictError } from "../../src/errors.js";
import { isRetryable, toWriteError } from "../../src/writes/prisma-errors.js";
import { dialectUnderTest, startTestGraph, type TestGraph } from "../support/graph.js";

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.close());

const options = { timeout: 20_000, maxWait: 20_000 };
const relationType = (key: string) => Prisma.sql`
  INSERT INTO "RelationType" (key, label, "inverseLabel", description) VALUES (${key}, ${key}, ${key}, 'test') RETURNING key`;
const typeKeys = async (prefix: string) =>
  (await graph.db.prisma.relationType.findMany({ where: { key: { startsWith: prefix } }, select: { key: true } })).map(
    (row) => row.key,
  );

describe("a connectedTransaction's statements", () => {
  it("see the transaction's uncommitted writes, which others do not, and commit with it", async () => {
    await connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        await tx.relationType.create({
          data: { key: "tx-seen", label: "tx-seen", inverseLabel: "tx-seen", description: "test" },
        });
        const seen = await txQuery<{ key: string }>(
          tx,
          Prisma.sql`SELECT key FROM "RelationType" WHERE key = 'tx-seen'`,
        );
        expect(seen).toEqual([{ key: "tx-seen" }]);
        await txQuery(tx, relationType("tx-own"));
        expect(await tx.relationType.findUnique({ where: { key: "tx-own" } })).not.toBeNull();
        // PGlite is one session: another statement waits for the transaction instead of reading beside it.
        if (dialectUnderTest === "postgres") expect(await typeKeys("tx-")).toEqual([]);
      },
      options,
    );
    expect((await typeKeys("tx-")).sort()).toEqual(["tx-own", "tx-seen"]);
  });

  it("roll back with it", async () => {
    await expect(
      connectedTransaction(
        graph.db.prisma,
        async (tx) => {
          await txQuery(tx, relationType("rolled-back"));
          throw new Error("abandon");
        },
        options,
      ),
    ).rejects.toThrow("abandon");
    expect(await typeKeys("rolled-back")).toEqual([]);
  });

  it("run on their own transaction's connection when several run at once", async () => {
    const pids = await Promise.all(
      [0, 1, 2, 3].map(() =>
        connectedTransaction(
          graph.db.prisma,
          async (tx) => {
            const [viaPrisma] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
            await new Promise((resolve) => setTimeout(resolve, 20));
            const [own] = await txQuery<{ pid: number }>(tx, Prisma.sql`SELECT pg_backend_pid() AS pid`);
            return [viaPrisma!.pid, own!.pid];
          },
          options,
        ),
      ),
    );
    for (const [viaPrisma, own] of pids) expect(own).toBe(viaPrisma);
  });

  it("type their rows as $queryRaw does", async () => {
    const statement = Prisma.sql`
      SELECT e.id, e.key, e.kind::text AS kind, e."createdAt", e.latitude, e.properties, to_jsonb(e) AS row,
        ARRAY[e.key] AS keys, count(*) OVER () AS total, gen_random_uuid()::text IS NOT NULL AS flag
      FROM "Entity" e WHERE e.latitude IS NOT NULL ORDER BY e.id LIMIT 3`;
    const [own, viaPrisma] = await connectedTransaction(
      graph.db.prisma,
      async (tx) => [await txQuery(tx, statement), await tx.$queryRaw<unknown[]>(statement)],
      options,
    );
    expect(own).toHaveLength(3);
    expect(own).toEqual(viaPrisma);
  });

  it("are not sent once Prisma has ended the transaction past its timeout: nothing of it is written", async () => {
    const late = connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        await txQuery(tx, relationType("tx-in-time"));
        // Prisma rolls the transaction back when its timeout passes, while this callback still runs.
        await new Promise((resolve) => setTimeout(resolve, 800));
        await txQuery(tx, relationType("tx-too-late"));
      },
      { timeout: 200, maxWait: 20_000 },
    );
    await expect(late).rejects.toThrow();
    // Without the guard the late insert ran on the connection outside the transaction, and stayed.
    expect(await typeKeys("tx-in-time")).toEqual([]);
    expect(await typeKeys("tx-too-late")).toEqual([]);
  });

  it("fail as Prisma's statements do: a taken key is a conflict, nothing written", async () => {
    const failure = await connectedTransaction(
      graph.db.prisma,
      async (tx) => {
        await txQuery(tx, relationType("tx-twice"));
        await txQuery(tx, relationType("tx-twice"));
      },
      options,
    ).catch((error: unknown) => error);
    expect(toWriteError(failure)).toBeInstanceOf(ConflictError);
    expect(isRetryable(failure)).toBe(false);
    expect(await typeKeys("tx-twice")).toEqual([]);
  });
});
