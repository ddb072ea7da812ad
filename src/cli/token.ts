// npm run token -- create <name> --scopes graph:write,graph:admin | list | revoke <name>
// Tokens for mutations. A new token is printed once and stored only as its SHA-256.
import { main } from "./token-main.js";

process.exitCode = await main(process.argv.slice(2));
