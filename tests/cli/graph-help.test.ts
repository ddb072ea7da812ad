// `npm run graph -- <command> --help` answers at once and touches no database (it used to create
// and migrate DATA_DIR before printing). The first command is asked in a real process, the others in
// this one (the same entry, without the seconds a `tsx` start costs).
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/graph-main.js";
import { runInProcess, runScript } from "../support/processes.js";

function graph(args: string[], dataDir: string, asProcess: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return asProcess ? runScript("src/cli/graph.ts", args, env) : runInProcess(() => main(args, env));
}

describe("npm run graph -- <command> --help", () => {
  it.each(["import", "export", "ingest", "generate"])(
    "%s --help prints its usage and creates no database",
    async (command) => {
      const dataDir = join(tmpdir(), `graph-help-${command}-${process.pid}`);
      const { code, stdout } = await graph([command, "--help"], dataDir, command === "import");
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: npm run graph -- ${command}`);
      expect(existsSync(dataDir)).toBe(false);
    },
  );
});
