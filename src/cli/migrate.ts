// npm run db:migrate — applies pending migrations.
import { migrate } from "../db/migrate.js";
import { openConfiguredDatabase } from "./db.js";

const db = await openConfiguredDatabase({ create: true });
const { applied, alreadyApplied } = await migrate(db, (name) => console.log(`Applying ${name}`));
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s).`
    : `Up to date (${alreadyApplied} migration(s) applied before).`,
);
await db.close();
