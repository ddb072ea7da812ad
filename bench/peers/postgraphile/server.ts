// PostGraphile v5 with its amber preset, on the same database and tables as our service (the schema
// Prisma migrated: "Entity", "Relationship", "Alias", ...). Nothing added: no plugins, no SQL
// functions, no smart tags, so it exposes what PostGraphile derives from the tables and their
// constraints and indexes. Production mode, no GraphiQL, no explain.
//
//   DATABASE_URL=postgresql://... PORT=0 node --import tsx bench/peers/postgraphile/server.ts
// (its dependencies: `npm ci` in this folder; bench/systems.ts does it on first use)
import "./node20-polyfills.js";
import { createServer } from "node:http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is required");
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.POOL_SIZE ?? 10) });

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ["public"] })],
  grafserv: { graphqlPath: "/graphql", graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
// Build the schema before saying ready, so that the first timed request does not pay for it.
await pgl.getSchemaResult();
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`READY http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/graphql`);
});

const stop = () => {
  server.closeAllConnections();
  server.close(
    () =>
      void Promise.resolve(pgl.release())
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
