// The textbook peer: our own stack as its documentation sets it up. Pothos with plugin-relay and
// plugin-prisma (prismaNode / prismaObject, t.relation, t.relatedConnection, prismaField,
// prismaConnection, every Prisma call spreading plugin-prisma's `query`), a per-request context with
// a DataLoader for the one field that is not a Prisma relation, and graphql-yoga with its defaults.
// No hand-written SQL except our search statement and path rounds, which have no Prisma expression
// (as in the naive peer). What it costs beside ours is what our read paths earn over what a team
// gets for free.
//
//   DATABASE_URL=postgresql://... PORT=0 node --import tsx bench/peers/pothos-textbook/server.ts
import { createServer } from "node:http";
import { PrismaPg } from "@prisma/adapter-pg";
import { createYoga } from "graphql-yoga";
import pg from "pg";
import { PrismaClient } from "../../../src/generated/prisma/client.js";
import { createContext } from "./context.js";
import { schema } from "./schema.js";
import { servePeerWhenMain } from "../serve.js";

export function createPothosTextbookServer(databaseUrl: string, poolSize = 10) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const yoga = createYoga({
    schema,
    context: () => createContext(prisma),
    graphiql: false,
    logging: "warn",
  });
  return {
    yoga,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

servePeerWhenMain(import.meta.url, (databaseUrl, poolSize) => {
  const peer = createPothosTextbookServer(databaseUrl, poolSize);
  return { server: createServer(peer.yoga), path: "/graphql", close: peer.close };
});
