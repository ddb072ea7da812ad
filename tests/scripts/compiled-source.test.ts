// `npm start` runs a transpiled copy of src/ (scripts/compiled-source.js): reused while src/ is
// unchanged, made anew after an edit, so a developer's change takes effect on the next start as it
// did under tsx. Run on a project of one file in a temporary folder, not on this one's src/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, it } from "vitest";
import { currentCompiledSource } from "../../scripts/compiled-source.js";

const root = mkdtempSync(join(tmpdir(), "graph-compiled-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const valueIn = async (dir: string): Promise<number> =>
  ((await import(pathToFileURL(join(dir, "src", "answer.js")).href)) as { answer: number }).answer;

it("reuses the copy while src/ is unchanged and makes a new one, the old removed, after an edit", async () => {
  mkdirSync(join(root, "src", "examples"), { recursive: true });
  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 41;\n");
  writeFileSync(join(root, "src", "examples", "one.graphql"), "{ __typename }\n");

  const first = await currentCompiledSource(root);
  expect(await valueIn(first)).toBe(41);
  // Files beside the code are there too, for paths made from import.meta.url.
  expect(existsSync(join(first, "src", "examples", "one.graphql"))).toBe(true);
  expect(await currentCompiledSource(root)).toBe(first);

  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 42 + 0;\n");
  const second = await currentCompiledSource(root);
  expect(second).not.toBe(first);
  expect(await valueIn(second)).toBe(42);
  expect(existsSync(first)).toBe(false);
});
