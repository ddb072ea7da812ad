// What `npm run token` does, apart from being a process: src/cli/token.ts runs it with the process's
// arguments, and the tests call it in their own process (starting tsx costs seconds a run).
import { migrate } from "../db/migrate.js";
import type { Database } from "../db/database.js";
import { createToken, listTokens, revokeToken, tokenScopes } from "../auth/tokens.js";
import { TokenError } from "../errors.js";
import { openConfiguredDatabase } from "./db.js";

const usage = `Usage:
  npm run token -- create <name> --scopes ${tokenScopes.join(",")}
  npm run token -- list
  npm run token -- revoke <name>`;

function scopesArgument(argv: string[]): string[] {
  const index = argv.findIndex((arg) => arg === "--scopes" || arg.startsWith("--scopes="));
  if (index < 0) return ["graph:write"];
  const value = argv[index]!.includes("=") ? argv[index]!.split("=")[1] : argv[index + 1];
  return (value ?? "")
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);
}

const usable = ([command, name]: string[]) =>
  !!command && ["create", "list", "revoke"].includes(command) && (command === "list" || !!name);

/** The whole command: usage, the configured database opened and migrated, the exit code returned. */
export async function main(argv: string[]): Promise<number> {
  if (!usable(argv)) {
    console.error(usage);
    return 2;
  }
  const db = await openConfiguredDatabase();
  try {
    await migrate(db, (migration) => console.error(`Applying ${migration}`));
    return await runTokenCommand(db, argv);
  } finally {
    await db.close();
  }
}

/** create, list or revoke on an open, migrated database (arguments as `main` takes them, checked). */
export async function runTokenCommand(db: Database, [command, name, ...rest]: string[]): Promise<number> {
  try {
    if (command === "create") {
      const { token, summary } = await createToken(db.prisma, name!, scopesArgument(rest));
      console.log(
        `Created token "${summary.name}" with scopes ${summary.scopes.join(", ")}. It is shown only this once:\n\n${token}\n`,
      );
    } else if (command === "list") {
      const tokens = await listTokens(db.prisma);
      if (!tokens.length) console.log("No tokens.");
      for (const token of tokens) {
        const state = token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : "active";
        console.log(`${token.name}\t${token.scopes.join(",")}\tcreated ${token.createdAt.toISOString()}\t${state}`);
      }
    } else {
      const outcome = await revokeToken(db.prisma, name!);
      if (outcome === "unknown") {
        console.error(`No token is named "${name}".`);
        return 1;
      }
      console.log(outcome === "revoked" ? `Revoked "${name}".` : `"${name}" was revoked already.`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    console.error(error.message);
    return 1;
  }
}
