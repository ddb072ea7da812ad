// npm run token -- create <name> --scopes graph:write,graph:admin | list | revoke <name>
// Tokens for mutations. A new token is printed once and stored only as its SHA-256.
import { migrate } from "../db/migrate.js";
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

const [command, name, ...rest] = process.argv.slice(2);
if (!command || !["create", "list", "revoke"].includes(command) || (command !== "list" && !name)) {
  console.error(usage);
  process.exit(2);
}

const db = await openConfiguredDatabase();
try {
  await migrate(db, (migration) => console.error(`Applying ${migration}`));
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
      process.exitCode = 1;
    } else console.log(outcome === "revoked" ? `Revoked "${name}".` : `"${name}" was revoked already.`);
  }
} catch (error) {
  if (!(error instanceof TokenError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await db.close();
}
