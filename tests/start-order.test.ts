// What a start does first (src/main.ts): it begins opening the database, then loads the service.
// PGlite reads its files and compiles its WebAssembly while the GraphQL stack loads, and on an empty
// folder initdb runs on another thread meanwhile; the other way round, they came one after the
// other. Observed as the order in which the process resolves its modules: the started process runs the
// bundled copy of src/ (scripts/compiled-source.js), where the service behind src/serve.ts, the schema
// among it, is the chunk named after it, and the seed's modules and Prisma's client the chunks of their
// lazy imports.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { projectRoot, startMain, stopMain } from "./support/processes.js";

const dir = mkdtempSync(join(tmpdir(), "graph-start-order-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules a start resolved until it served, in order (URLs, first resolution of each). */
async function startModules(name: string): Promise<string[]> {
  const file = join(dir, `${name}.txt`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: join(dir, "data"),
    NODE_ENV: "test",
    NODE_OPTIONS: `--import=${join(projectRoot, "tests/support/import-order.mjs")}`,
    IMPORT_ORDER_FILE: file,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const instance = await startMain(env);
  await stopMain(instance.child);
  return [...new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))];
}

const position = (modules: string[], pattern: RegExp) => modules.findIndex((url) => pattern.test(url));
const pglite = /\/@electric-sql\/pglite\/dist\/index\.js$/;
const schema = /\/src\/chunks\/serve-\w+\.js$/;
const seedTooling = /\/src\/chunks\/(geography|seed)-\w+\.js$/;
const prismaClient = /\/src\/chunks\/client-\w+\.js$/;

it("opens the embedded database before it loads the schema, on an empty folder and on a later start", async () => {
  const first = await startModules("first");
  expect(position(first, pglite)).toBeGreaterThanOrEqual(0);
  expect(position(first, pglite)).toBeLessThan(position(first, schema));
  expect(position(first, seedTooling)).toBeGreaterThanOrEqual(0);

  const later = await startModules("later");
  expect(position(later, pglite)).toBeGreaterThanOrEqual(0);
  expect(position(later, pglite)).toBeLessThan(position(later, schema));
  // Prisma's client (the chunk of its lazy import) loads while PGlite opens (src/db/database.ts), not
  // before the opening begins.
  expect(position(later, prismaClient)).toBeGreaterThan(position(later, pglite));
  // A folder that holds the graph reads no seed.
  expect(later.filter((url) => seedTooling.test(url))).toEqual([]);
}, 240_000); // two starts, the first seeding its folder: up to a minute each on a busy 2-core machine
