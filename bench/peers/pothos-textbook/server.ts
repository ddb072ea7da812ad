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
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { createYoga } from "graphql-yoga";
import pg from "pg";
import { PrismaClient } from "../../../src/generated/prisma/client.js";
import { createContext } from "./context.js";
import { schema } from "./schema.js";

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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const peer = createPothosTextbookServer(databaseUrl, Number(process.env.POOL_SIZE ?? 10));
  const server = createServer(peer.yoga);
  server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const address = server.address();
    console.log(`READY http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/graphql`);
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => void peer.close().then(() => process.exit(0)));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
