// npm run graph -- <command> [options]: moving data into and out of the graph.
import { main } from "./graph-main.js";

process.exitCode = await main(process.argv.slice(2));
