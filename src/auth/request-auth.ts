// Who is asking, resolved lazily: reads never look at the Authorization header, so they cost no
// SQL; the token is looked up the first time a mutation's scope check asks, once per request.
import type { SqlReader } from "../db/sql-reader.js";
import { ForbiddenError } from "../errors.js";
import { findLiveToken, type TokenScope, type TokenSummary } from "./tokens.js";

export type Viewer =
  | { status: "anonymous" }
  | { status: "malformed" }
  | { status: "unknown" }
  | { status: "token"; token: TokenSummary };

export class RequestAuth {
  private loading: Promise<Viewer> | null = null;
  private resolved: Viewer | null = null;

  constructor(
    private readonly sql: SqlReader,
    /** The Authorization header as sent: who is asking, before it is looked up. */
    readonly authorization: string | null,
  ) {}

  viewer(): Promise<Viewer> {
    this.loading ??= this.load().then((viewer) => (this.resolved = viewer));
    return this.loading;
  }

  async hasScope(scope: TokenScope): Promise<boolean> {
    const viewer = await this.viewer();
    return viewer.status === "token" && viewer.token.scopes.includes(scope);
  }

  /** Why a scope check failed, in words a client can act on. Called after `hasScope` settled. */
  refusal(scope: string | null, operation: string): ForbiddenError {
    const viewer = this.resolved ?? { status: "anonymous" };
    switch (viewer.status) {
      case "anonymous":
        return new ForbiddenError(
          `${operation} needs a token: send "Authorization: Bearer <token>".`,
          "MISSING_TOKEN",
          scope,
        );
      case "malformed":
        return new ForbiddenError(`The Authorization header must be "Bearer <token>".`, "INVALID_TOKEN", scope);
      case "unknown":
        return new ForbiddenError("The bearer token is unknown or has been revoked.", "INVALID_TOKEN", scope);
      case "token":
        return new ForbiddenError(
          `Token "${viewer.token.name}" lacks the scope ${scope ?? "?"} that ${operation} needs.`,
          "MISSING_SCOPE",
          scope,
        );
    }
  }

  private async load(): Promise<Viewer> {
    const header = this.authorization?.trim();
    if (!header) return { status: "anonymous" };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return { status: "malformed" };
    const token = await findLiveToken(this.sql, match[1]!);
    return token ? { status: "token", token } : { status: "unknown" };
  }
}
