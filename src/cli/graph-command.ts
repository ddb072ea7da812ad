// What each `npm run graph -- <command>` module exports, for src/cli/graph.ts to run it.
import type { Database } from "../db/database.js";

export interface GraphCommand {
  /** One line for `npm run graph -- help`. */
  summary: string;
  usage: string;
  /** Printed for `--help`, without opening the database. */
  help: string;
  /** Returns the process exit code. */
  run(db: Database, argv: string[]): Promise<number>;
}
