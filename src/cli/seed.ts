// npm run db:seed — loads prisma/seed/*.json; idempotent, so a second run reports everything unchanged.
import { migrate } from "../db/migrate.js";
import { readDefaultBundle } from "../data/geography.js";
import { applySeed } from "../data/seed.js";
import { SeedError } from "../errors.js";
import { openConfiguredDatabase } from "./db.js";

const db = await openConfiguredDatabase({ create: true });
try {
  await migrate(db, (name) => console.log(`Applying ${name}`));
  const bundle = await readDefaultBundle();
  const stats = await applySeed(db.prisma, bundle, (table) => process.stdout.write(`  ${table}...\r`));
  console.table(stats);
  const changed = Object.values(stats).reduce((sum, table) => sum + table.created + table.updated, 0);
  console.log(
    changed
      ? `Seed graph loaded: ${changed} row(s) created or updated.`
      : "Seed graph already up to date: nothing changed.",
  );
} catch (error) {
  console.error(error instanceof SeedError ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.close();
}
