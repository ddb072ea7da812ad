// PostgreSQL faults against a real `src/main.ts` (issue 17): dropped connections, an outage and the
// return of the server. The cluster is this file's own (tests/support/throwaway-servers.ts), so it
// can be killed and restarted; the shared PostgreSQL is never touched.
//
// The contract: the process never dies of a database fault; while PostgreSQL is down a query that
// needs it answers 503 DATABASE_UNAVAILABLE within seconds (no hang), `{ __typename }` and /health
// still answer; when PostgreSQL is back, queries succeed within 5 s with no restart.
//
// Every test starts from a healthy state: if an earlier test left the instance dead (as today's
// code does), beforeEach starts a new one and says so, so each test shows its own failure.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  describeAnswer,
  errorCode,
  getEndpoint,
  graphql,
  heavyQueries,
  readQueries,
  sleep,
  startInstance,
  succeeded,
  waitUntil,
  type Answer,
  type Instance,
} from "../support/fault-kit.js";
import {
  startThrowawayPostgres,
  throwawayServersSkipReason,
  type ThrowawayPostgres,
} from "../support/throwaway-servers.js";

const skipReason = throwawayServersSkipReason("tests/faults/postgres.test.ts", { postgres: true });

describe.skipIf(skipReason)(
  `PostgreSQL faults against src/main.ts${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    let pg: ThrowawayPostgres;
    let server: Instance | undefined;
    const instances: Instance[] = [];

    // Cache off: every query must reach the database, or an outage would be hidden by cached answers.
    const start = async () => {
      const instance = await startInstance("main.ts", { DATABASE_URL: pg.url, RESPONSE_CACHE_TTL: "0" });
      instances.push(instance);
      return instance;
    };

    beforeAll(async () => {
      pg = await startThrowawayPostgres();
      server = await start(); // migrates and seeds the empty database
    });

    afterAll(async () => {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await pg?.close();
    });

    beforeEach(async () => {
      await pg.start();
      if (!server?.alive()) {
        console.warn(`(an earlier test left the server dead: ${server?.crashSummary()}; starting a new one)`);
        server = await start();
      }
    });

    /** Every read query answers 200 with data. */
    async function expectReadsSucceed(instance: Instance, what: string): Promise<void> {
      for (const query of Object.values(readQueries)) {
        const answer = await graphql(instance.url, query);
        expect(succeeded(answer), `${what}: ${query}: ${describeAnswer(answer)} (${instance.crashSummary()})`).toBe(
          true,
        );
      }
    }

    function expectAlive(instance: Instance, what: string): void {
      expect(instance.exit(), `${what}: ${instance.crashSummary()}`).toBeNull();
    }

    it("/health and /ready answer 200 while the database answers", async () => {
      const health = await getEndpoint(server!.url, "/health");
      expect(health.status, JSON.stringify(health)).toBe(200);
      const ready = await getEndpoint(server!.url, "/ready");
      expect(ready.status, JSON.stringify(ready)).toBe(200);
      expect(ready.body).toMatchObject({ status: "ready", checks: { database: "ok" } });
      // No REDIS_URL: nothing to report about Redis.
      expect((ready.body as { checks?: object }).checks).not.toHaveProperty("redis");
    });

    it("pg_terminate_backend of its idle connections does not end the process, and the next queries succeed", async () => {
      const instance = server!;
      // Connections in both pools (Prisma's and the prepared reader's), then idle.
      await Promise.all(
        [...Object.values(readQueries), ...Object.values(readQueries)].map((query) => graphql(instance.url, query)),
      );
      const terminated = await pg.terminateConnections();
      expect(terminated, "the server held no connection to terminate").toBeGreaterThan(0);
      // An unhandled 'error' event ends the process at once; give it the time to.
      await instance.waitForExit(1_000);
      expectAlive(instance, `after pg_terminate_backend of ${terminated} idle connections`);
      await expectReadsSucceed(instance, "after the idle connections were terminated");
      expectAlive(instance, "at the end");
    });

    it("pg_terminate_backend while queries are in flight: the process lives, only those requests fail (with a code), the next succeed", async () => {
      const instance = server!;
      await expectReadsSucceed(instance, "before");
      const pending = new Set<number>();
      const requests = Array.from({ length: 9 }, (_, i) => {
        const { query, variables } = heavyQueries[i % heavyQueries.length]!;
        pending.add(i);
        return graphql(instance.url, query, variables).finally(() => pending.delete(i));
      });
      await sleep(40);
      const inFlight = pending.size;
      const terminated = await pg.terminateConnections();
      const answers = await Promise.all(requests);
      await instance.waitForExit(1_000);
      expectAlive(
        instance,
        `after pg_terminate_backend of ${terminated} connections with ${inFlight} requests in flight`,
      );
      const failed = answers.filter((answer) => !succeeded(answer));
      for (const answer of failed) {
        // A failure is a GraphQL answer with a code that says what happened, not a reset socket or a masked internal error.
        expect(answer.status, describeAnswer(answer)).not.toBeNull();
        expect(errorCode(answer), describeAnswer(answer)).not.toMatch(/^(-|\(no code\)|INTERNAL_SERVER_ERROR)$/);
      }
      expect(failed.length, `failed: ${failed.map(describeAnswer).join("; ")}`).toBeLessThanOrEqual(terminated);
      await expectReadsSucceed(instance, "after the in-flight connections were terminated");
    });

    for (const mode of ["immediate", "fast"] as const) {
      it(`PostgreSQL down (pg_ctl stop -m ${mode}): coded 503s within seconds, the process lives; back: queries succeed within 5 s, same process`, async () => {
        const instance = server!;
        const before = await graphql(instance.url, readQueries.cityByName);
        expect(succeeded(before), describeAnswer(before)).toBe(true);
        await expectReadsSucceed(instance, "before the outage");

        await pg.stop(mode);
        await instance.waitForExit(1_000);
        expectAlive(instance, `after PostgreSQL stopped (${mode})`);

        // Requests that need no database still answer.
        const typename = await graphql(instance.url, "{ __typename }");
        expect(typename.status, describeAnswer(typename)).toBe(200);
        expect(typename.body?.data, describeAnswer(typename)).toEqual({ __typename: "Query" });
        const health = await getEndpoint(instance.url, "/health");
        expect(health.status, JSON.stringify(health)).toBe(200);
        const ready = await getEndpoint(instance.url, "/ready");
        expect(ready.status, JSON.stringify(ready)).toBe(503);
        expect(ready.body).toMatchObject({ status: "unavailable", checks: { database: "down" } });

        // Requests that need it: a coded 503, quickly (a connection timeout of about 2 s, not a hang).
        for (const query of Object.values(readQueries)) {
          const answer: Answer = await graphql(instance.url, query, {}, { timeoutMs: 15_000 });
          expect(answer.status, `${query}: ${describeAnswer(answer)} (${instance.crashSummary()})`).toBe(503);
          expect(answer.body?.errors?.[0]?.extensions?.code, describeAnswer(answer)).toBe("DATABASE_UNAVAILABLE");
          expect(answer.ms, `${query} took ${answer.ms} ms to fail`).toBeLessThan(5_000);
        }
        expectAlive(instance, "during the outage");

        // Back on the same port and data: queries succeed within 5 s, without a restart.
        await pg.start();
        const back = Date.now();
        const recovered = await waitUntil(
          "a query succeeding after PostgreSQL's return",
          async () => {
            const answer = await graphql(instance.url, readQueries.cityByName, {}, { timeoutMs: 5_000 });
            return succeeded(answer) ? answer : undefined;
          },
          5_000,
          200,
        ).catch((error: Error) => error);
        expect(recovered instanceof Error ? recovered.message : null, instance.crashSummary()).toBeNull();
        if (recovered instanceof Error) return;
        expect(recovered.value.body?.data, "the same data after the restart").toEqual(before.body?.data);
        console.log(`PostgreSQL (${mode}) back: first success after ${Date.now() - back} ms`);
        await expectReadsSucceed(instance, "after PostgreSQL's return");
        const readyAgain = await getEndpoint(instance.url, "/ready");
        expect(readyAgain.status, JSON.stringify(readyAgain)).toBe(200);
        expectAlive(instance, "after the outage");
        expect(server!.pid, "the same process throughout").toBe(instance.pid);
      });
    }
  },
);
