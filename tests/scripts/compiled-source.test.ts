// `npm start` runs a bundled copy of src/ (scripts/compiled-source.js): reused while src/ is
// unchanged, made anew after an edit, so a developer's change takes effect on the next start as it
// did under tsx; and each source file's import.meta.url is its own, wherever the bundle puts its
// code. Run on a project of a few files in a temporary folder, not on this one's src/.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, it } from "vitest";
import { currentCompiledSource } from "../../scripts/compiled-source.js";

const root = mkdtempSync(join(tmpdir(), "graph-compiled-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const valueIn = async (dir: string): Promise<number> =>
  ((await import(pathToFileURL(join(dir, "src", "main.js")).href)) as { answer: number }).answer;

it("reuses the copy while src/ is unchanged and makes a new one, the old removed, after an edit", async () => {
  mkdirSync(join(root, "src", "examples"), { recursive: true });
  mkdirSync(join(root, "src", "cli"), { recursive: true });
  mkdirSync(join(root, "src", "lib"), { recursive: true });
  // lib/paths.ts is imported by the service and by a tool, so the bundle moves its code into a
  // shared chunk in src/, another folder than src/lib/: its import.meta must still be its own.
  writeFileSync(
    join(root, "src", "lib", "paths.ts"),
    'export const examples = new URL("../examples/one.graphql", import.meta.url).pathname;\nexport const dir = import.meta.dirname;\n',
  );
  writeFileSync(
    join(root, "src", "main.ts"),
    'export { answer } from "./answer.js";\nexport * from "./lib/paths.js";\n',
  );
  writeFileSync(join(root, "src", "cli", "tool.ts"), 'export * from "../lib/paths.js";\n');
  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 41;\n");
  writeFileSync(join(root, "src", "examples", "one.graphql"), "{ __typename }\n");

  const first = await currentCompiledSource(root);
  expect(await valueIn(first)).toBe(41);
  // Files beside the code are there too, for paths made from import.meta.url.
  expect(existsSync(join(first, "src", "examples", "one.graphql"))).toBe(true);
  for (const entry of ["main.js", join("cli", "tool.js")]) {
    const paths = (await import(pathToFileURL(join(first, "src", entry)).href)) as { examples: string; dir: string };
    expect({ entry, examples: paths.examples, dir: paths.dir }).toEqual({
      entry,
      examples: join(first, "src", "examples", "one.graphql"),
      dir: join(first, "src", "lib"),
    });
  }
  expect(await currentCompiledSource(root)).toBe(first);

  writeFileSync(join(root, "src", "answer.ts"), "export const answer: number = 42 + 0;\n");
  const second = await currentCompiledSource(root);
  expect(second).not.toBe(first);
  expect(await valueIn(second)).toBe(42);
  expect(existsSync(first)).toBe(false);
});
