// The example operations GraphiQL opens with (src/examples/*.graphql); the tests run every one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, type OperationTypeNode } from "graphql";

const dir = new URL("./examples/", import.meta.url).pathname;

export interface ExampleOperation {
  file: string;
  query: string;
  /** The document's one operation, always named (GraphQL Codegen and the manifest list skip anonymous ones). */
  name: string;
  operation: OperationTypeNode;
}

function example(file: string): ExampleOperation {
  const query = readFileSync(join(dir, file), "utf8");
  const operations = parse(query).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [only] = operations;
  if (operations.length !== 1 || !only?.name)
    throw new Error(`src/examples/${file}: an example holds exactly one operation, and names it`);
  return { file, query, name: only.name.value, operation: only.operation };
}

export const exampleOperations: ExampleOperation[] = readdirSync(dir)
  .filter((file) => file.endsWith(".graphql"))
  .sort()
  .map(example);

/** Pasted into a mutation's tab, where the token goes (its comment says how to get one). */
const tokenHeader = `{\n  "Authorization": "Bearer cgt_paste-a-token-from-npm-run-token"\n}`;

/** GraphiQL's tabs: one per example, a mutation's with the Authorization header to fill in. */
export const exampleTabs = exampleOperations.map(({ query, operation }) => ({
  query,
  ...(operation === "mutation" ? { headers: tokenHeader } : {}),
}));
