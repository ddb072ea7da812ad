// API tokens: 32 random bytes shown once, stored only as their SHA-256, revoked but never deleted
// (the history names changes by token name).
import { createHash, randomBytes } from "node:crypto";
import { type ApiToken, Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { readRows, type SqlReader } from "../db/sql-reader.js";
import { TokenError } from "../errors.js";

export const tokenScopes = ["graph:write", "graph:admin"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export function isTokenScope(value: string): value is TokenScope {
  return (tokenScopes as readonly string[]).includes(value);
}

const tokenPrefix = "cgt_";
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type TokenSummary = Omit<ApiToken, "hash">;

export async function createToken(
  prisma: PrismaClient,
  name: string,
  scopes: readonly string[],
): Promise<{ token: string; summary: TokenSummary }> {
  if (!namePattern.test(name))
    throw new TokenError(
      `A token name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${name}".`,
    );
  const unknown = scopes.filter((scope) => !isTokenScope(scope));
  if (unknown.length || scopes.length === 0) {
    throw new TokenError(
      `Scopes must be one or more of ${tokenScopes.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}.`,
    );
  }
  if (await prisma.apiToken.findUnique({ where: { name }, select: { id: true } })) {
    throw new TokenError(
      `A token named "${name}" exists already (revoked tokens keep their name, as the history cites it).`,
    );
  }
  const token = tokenPrefix + randomBytes(32).toString("base64url");
  const { hash: _hash, ...summary } = await prisma.apiToken.create({
    data: { name, hash: hashToken(token), scopes: [...new Set(scopes)] },
  });
  return { token, summary };
}

export function listTokens(prisma: PrismaClient): Promise<TokenSummary[]> {
  return prisma.apiToken.findMany({ omit: { hash: true }, orderBy: { id: "asc" } });
}

export async function revokeToken(
  prisma: PrismaClient,
  name: string,
): Promise<"revoked" | "already revoked" | "unknown"> {
  const token = await prisma.apiToken.findUnique({ where: { name }, select: { revokedAt: true } });
  if (!token) return "unknown";
  if (token.revokedAt) return "already revoked";
  await prisma.apiToken.update({ where: { name }, data: { revokedAt: new Date() } });
  return "revoked";
}

/** What a token's summary holds: every column but the hash. */
const summaryColumns = Object.values(Prisma.ApiTokenScalarFieldEnum).filter((column) => column !== "hash");

/**
 * The live token a bearer string stands for; null when unknown or revoked. Asked once by every
 * mutation: a prepared statement of the SQL reader, not a Prisma query compiled each time.
 */
export async function findLiveToken(sql: SqlReader, token: string): Promise<TokenSummary | null> {
  const [found] = await readRows<TokenSummary>(sql, "ApiToken", "hash", [hashToken(token)], "text", summaryColumns);
  return found && !found.revokedAt ? found : null;
}
