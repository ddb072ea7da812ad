// Writes schema.graphql from the Pothos schema; a test fails when the committed file differs.
import { writeFileSync } from "node:fs";
import { printSchema } from "graphql";
import { schema } from "../schema/index.js";

export const schemaPath = new URL("../../schema.graphql", import.meta.url).pathname;

writeFileSync(schemaPath, `${printSchema(schema)}\n`);
console.log(`Wrote ${schemaPath}`);
