// npm run graph -- <command> [options]: moving data into and out of the graph.
// Each command lives in its own module and is loaded only when asked for.
import { openConfiguredDatabase } from "./db.js";
import { migrate } from "../db/migrate.js";
import type { GraphCommand } from "./graph-command.js";

const commands: Record<string, () => Promise<{ command: GraphCommand }>> = {
  import: () => import("./graph-import.js"),
  export: () => import("./graph-export.js"),
  ingest: () => import("./graph-ingest.js"),
  generate: () => import("./graph-generate.js"),
};

async function help(): Promise<void> {
  console.log("Usage: npm run graph -- <command> [options]\n");
  for (const load of Object.values(commands)) {
    const { command } = await load().catch(() => ({ command: null }));
    if (command) console.log(`  ${command.usage}\n      ${command.summary}`);
  }
}

const [name, ...argv] = process.argv.slice(2);
if (!name || name === "help" || name === "--help" || !(name in commands)) {
  if (name && !["help", "--help"].includes(name)) console.error(`Unknown command "${name}".\n`);
  await help();
  process.exitCode = name && !["help", "--help"].includes(name) ? 2 : 0;
} else if (argv.includes("--help") || argv.includes("-h")) {
  const { command } = await commands[name]!();
  console.log(command.help);
} else {
  const { command } = await commands[name]!();
  const db = await openConfiguredDatabase();
  try {
    await migrate(db, (migration) => console.error(`Applying ${migration}`));
    process.exitCode = await command.run(db, argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}
