// The example operations GraphiQL opens with (src/examples/*.graphql); the tests run every one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = new URL("./examples/", import.meta.url).pathname;

export interface ExampleOperation {
  file: string;
  query: string;
}

export const exampleOperations: ExampleOperation[] = readdirSync(dir)
  .filter((file) => file.endsWith(".graphql"))
  .sort()
  .map((file) => ({ file, query: readFileSync(join(dir, file), "utf8") }));
