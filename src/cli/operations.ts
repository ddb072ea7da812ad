// npm run operations -- persist [files|folders] [--out FILE] [--replace] | check [FILE]
// The persisted operations' manifest (src/operations/manifest.ts): documents added under their
// SHA-256, or a manifest (ours, Relay's, Codegen's or Apollo's) checked against the schema.
import { main } from "./operations-main.js";

process.exitCode = main(process.argv.slice(2));
