// npm run schema:changes [-- --base COMMIT]: fails on a breaking schema change the changelog does not name.
import { main } from "./schema-changes-main.js";

process.exitCode = await main(process.argv.slice(2));
