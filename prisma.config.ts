// The Prisma CLI (generate, migrate diff/deploy/status) runs offline with the JavaScript schema
// engine. It talks to DATABASE_URL when set, else to the embedded PGlite database under DATA_DIR.
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { defineConfig } from "prisma/config";

// Connections go through the adapter below; the schema's `url = env("DATABASE_URL")` must only
// resolve for the CLI to read the schema (without it, generate falls back to downloading engines).
const placeholderUrl = "postgresql://localhost/embedded-pglite";
const serverUrl = process.env.DATABASE_URL || undefined;
process.env.DATABASE_URL = serverUrl ?? placeholderUrl;

/**
 * PostgreSQL arms an idle timer to flush its statistics every 10 s, and in PGlite that timer is a
 * Node timeout, which keeps the process alive. `prisma migrate status` does not dispose of its
 * connection, so it printed its answer and never exited. In the CLI (this file is loaded by nothing
 * else) PGlite's timers are unref'd: they still fire while the CLI works, and hold nothing after.
 */
function unrefPGliteTimers(): void {
  const setTimeoutOf = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setTimeoutOf(callback, ms, ...args);
    if (String(callback).includes("emscripten_timeout")) timer.unref();
    return timer;
  }) as typeof setTimeout;
}

/**
 * Opens PGlite only when the CLI connects, and closes it when the CLI disposes of the connection:
 * the adapter's own dispose leaves PGlite open, and the CLI would then never exit.
 */
function lazyPGlite(): SqlMigrationAwareDriverAdapterFactory {
  unrefPGliteTimers();
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
