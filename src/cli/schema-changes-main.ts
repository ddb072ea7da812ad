// What `npm run schema:changes` does: diff schema.graphql against the schema clients had (graphql-inspector)
// and fail on a breaking change that the changelog's latest section does not name.
//
// The schema clients had: main's schema.graphql where this branch left main (the merge base), or,
// on main itself (CI clones main), the one before the last commit. A committed baseline file would
// go stale unless every change remembered to update it; git history is already there on a clone.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema } from "graphql";

export interface BreakingChange {
  /** The schema coordinate: `Type`, `Type.field` or `Type.field.argument`. */
  path: string;
  message: string;
}

/** The breaking changes from one schema (SDL) to the next. */
export async function breakingChanges(before: string, after: string): Promise<BreakingChange[]> {
  const changes = await diff(buildSchema(before), buildSchema(after));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ path: change.path ?? change.message, message: change.message }));
}

/** The changelog's latest section: from its first `## ` heading to the next. */
export function latestSection(changelog: string): string {
  const sections = changelog.split(/^(?=## )/m).filter((section) => section.startsWith("## "));
  return sections[0] ?? "";
}

/**
 * The breaking changes whose coordinate the latest section of the changelog does not name in
 * backticks, as Markdown code: a bare word such as Query or City could be any sentence's.
 */
export function unannounced(changes: BreakingChange[], changelog: string): BreakingChange[] {
  const section = latestSection(changelog);
  return changes.filter((change) => !section.includes(`\`${change.path}\``));
}

const git = (args: string[]) =>
  execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The commit whose schema clients had, and why that one; null when git cannot tell. */
function baseCommit(): { commit: string; why: string } | null {
  const head = git(["rev-parse", "HEAD"]);
  for (const main of ["origin/main", "main"]) {
    let base: string;
    try {
      base = git(["merge-base", "HEAD", main]);
    } catch {
      continue;
    }
    if (base !== head) return { commit: base, why: `where this branch left ${main}` };
    try {
      return { commit: git(["rev-parse", "HEAD~1"]), why: `${main}'s previous commit` };
    } catch {
      return null;
    }
  }
  return null;
}

const usage = `Usage: npm run schema:changes [-- --base <commit>] [--schema FILE] [--changelog FILE]
  fails on a breaking change from the base commit's schema.graphql (default: the merge base with
  main, or on main the previous commit) unless the changelog's latest section names its coordinate in backticks`;

/** The whole command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      base: { type: "string" },
      schema: { type: "string", default: "schema.graphql" },
      changelog: { type: "string", default: "docs/changelog.md" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  let base: { commit: string; why: string } | null;
  try {
    base = values.base ? { commit: values.base, why: "--base" } : baseCommit();
  } catch (error) {
    console.log(`SKIPPED: the breaking-change check; git could not tell the base (${(error as Error).message})`);
    return 0;
  }
  if (!base) {
    console.log("SKIPPED: the breaking-change check; no earlier commit to compare with (a shallow clone?)");
    return 0;
  }
  let before: string;
  try {
    before = git(["show", `${base.commit}:${values.schema}`]);
  } catch {
    console.log(`SKIPPED: the breaking-change check; ${base.commit.slice(0, 12)} has no ${values.schema}`);
    return 0;
  }
  const changes = await breakingChanges(before, readFileSync(values.schema, "utf8"));
  const missing = unannounced(changes, readFileSync(values.changelog, "utf8"));
  const against = `${values.schema} against ${base.commit.slice(0, 12)} (${base.why})`;
  if (!missing.length) {
    console.log(`${against}: ${changes.length} breaking change(s), every one in ${values.changelog}.`);
    return 0;
  }
  console.error(`${against}: breaking change(s) that ${values.changelog}'s latest section does not name:`);
  for (const change of missing) console.error(`  ${change.path}: ${change.message}`);
  console.error("Name each coordinate in the changelog with what clients must do, or keep the schema compatible.");
  return 1;
}
