// What `npm run graph` does, apart from being a process: src/cli/graph.ts runs it with the process's
// arguments and environment, and the tests call it in their own process (starting tsx costs seconds).
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

/** The whole command, on the database `env` names; returns the exit code. */
export async function main([name, ...argv]: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!name || name === "help" || name === "--help" || !(name in commands)) {
    if (name && !["help", "--help"].includes(name)) console.error(`Unknown command "${name}".\n`);
    await help();
    return name && !["help", "--help"].includes(name) ? 2 : 0;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    const { command } = await commands[name]!();
    console.log(command.help);
    return 0;
  }
  const { command } = await commands[name]!();
  const db = await openConfiguredDatabase({ env });
  try {
    await migrate(db, (migration) => console.error(`Applying ${migration}`));
    return await command.run(db, argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await db.close();
  }
}
