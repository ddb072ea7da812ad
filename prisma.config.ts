// The Prisma CLI (generate, migrate diff/deploy/status) runs offline with the JavaScript schema
// engine. It talks to DATABASE_URL when set, else to the embedded PGlite database under DATA_DIR.
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { defineConfig } from "prisma/config";

// Connections go through the adapter below; the schema's `url = env("DATABASE_URL")` must only
// resolve for the CLI to read the schema (without it, generate falls back to downloading engines).
const placeholderUrl = "postgresql://embedded-pglite/unused";
const serverUrl = process.env.DATABASE_URL || undefined;
process.env.DATABASE_URL = serverUrl ?? placeholderUrl;

/**
 * Opens PGlite only when the CLI connects, and closes it when the CLI disposes of the connection:
 * the adapter's own dispose leaves PGlite open, and the CLI would then never exit.
 */
function lazyPGlite(): SqlMigrationAwareDriverAdapterFactory {
  const connect = async (dataDir?: string) => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const { pgliteExtensions } = await import("./src/db/pglite-extensions.js");
    const pglite = await PGlite.create(dataDir, { extensions: pgliteExtensions });
    // pglite-prisma-adapter 0.6 bundles its own copy of the adapter interface types; they match at runtime.
    const factory = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
    const adapter = await factory.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pglite.close();
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => connect(process.env.DATA_DIR ?? "./data"),
    connectToShadowDb: () => connect(),
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    if (serverUrl) {
      // adapter-pg 7 knows PostgreSQL's `name` type, which the 6.19 schema engine reads back.
      const { PrismaPg } = await import("adapter-pg-migrate");
      return new PrismaPg({ connectionString: serverUrl });
    }
    return lazyPGlite();
  },
});
