// PGlite's page cache lives in this process's memory for good once touched: it is set smaller than
// PostgreSQL's 128 MB default, and PGLITE_SHARED_BUFFERS (sharedBuffers) sets it.
import { expect, it } from "vitest";
import { openDatabase, pgliteSharedBuffers } from "../../src/db/database.js";
import { Prisma } from "../../src/generated/prisma/client.js";

async function sharedBuffers(option?: string): Promise<string> {
  const db = await openDatabase({ dataDir: "memory://", sharedBuffers: option });
  try {
    const [row] = await db.sql.query<{ shared_buffers: string }>(Prisma.sql`SHOW shared_buffers`);
    return row!.shared_buffers;
  } finally {
    await db.close();
  }
}

it("opens PGlite with the smaller page cache, or the one asked for", async () => {
  expect(pgliteSharedBuffers).toBe("32MB");
  expect(await sharedBuffers()).toBe("32MB");
  expect(await sharedBuffers("16MB")).toBe("16MB");
});
