// `npm start` runs a bundled copy of src/ (scripts/compiled-source.js): reused while src/ is
// unchanged, made anew after an edit, so a developer's change takes effect on the next start as it
// did under tsx. Run on a project of two files in a temporary folder, not on this one's src/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, it } from "vitest";
import { currentCompiledSource } from "../../scripts/compiled-source.js";

const root = mkdtempSync(join(tmpdir(), "graph-compiled-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const main = async (dir: string): Promise<{ answer: number; where: string; examples: string }> =>
  await import(pathToFileURL(join(dir, "src", "main.js")).href);

it("reuses the copy while src/ is unchanged and makes a new one, the old removed, after an edit", async () => {
  mkdirSync(join(root, "src", "examples"), { recursive: true });
  writeFileSync(join(root, "src", "main.ts"), 'export { answer } from "./answer.js";\n');
  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 41;\n");
  writeFileSync(join(root, "src", "examples", "one.graphql"), "{ __typename }\n");

  const first = await currentCompiledSource(root);
  expect((await main(first)).answer).toBe(41);
  expect(await currentCompiledSource(root)).toBe(first);

  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 42 + 0;\n");
  const second = await currentCompiledSource(root);
  expect(second).not.toBe(first);
  expect((await main(second)).answer).toBe(42);
  expect(existsSync(first)).toBe(false);
});

it("gives each module its source file's import.meta.url, so files beside the code are found", async () => {
  writeFileSync(
    join(root, "src", "main.ts"),
    [
      'import { readFileSync } from "node:fs";',
      'export { answer } from "./answer.js";',
      "export const where = import.meta.url;",
      'export const examples = readFileSync(new URL("./examples/one.graphql", import.meta.url), "utf8");',
      "",
    ].join("\n"),
  );
  const copy = await main(await currentCompiledSource(root));
  expect(copy.where).toBe(pathToFileURL(join(root, "src", "main.ts")).href);
  expect(copy.examples).toBe("{ __typename }\n");
});
