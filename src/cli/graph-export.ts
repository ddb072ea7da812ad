// npm run graph -- export [--format ndjson|graphml|cytoscape] [--out FILE]: the whole graph, streamed
// (src/data/bundle/export.ts). To a file (written under a temporary name and renamed when complete, so a
// failed export leaves no truncated file) or to stdout; progress and the summary go to stderr.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { exportFormats, exportGraph, streamSink, type ExportFormat } from "../data/bundle/export.js";
import type { GraphCommand } from "./graph-command.js";
import { tableProgress } from "./table-progress.js";

const usage = "export [--format ndjson|graphml|cytoscape] [--out FILE]";

const help = `Usage: npm run graph -- ${usage}

  --format   ndjson (default): a bundle of typed records that imports back to the same graph
             graphml: nodes and edges with their attributes, for Gephi, yEd or NetworkX
             cytoscape: Cytoscape.js elements JSON ({ "elements": { "nodes": [...], "edges": [...] } })
  --out FILE write to FILE instead of stdout`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: "string", default: "ndjson" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (!(exportFormats as readonly string[]).includes(values.format))
    throw new Error(`--format must be one of ${exportFormats.join(", ")}, got "${values.format}".`);
  return { format: values.format as ExportFormat, out: values.out, help: values.help };
}

export const command: GraphCommand = {
  summary: "export the whole graph as an NDJSON bundle (round-trips through import), GraphML or Cytoscape.js JSON",
  usage,
  help,
  async run(db, argv) {
    let args: ReturnType<typeof parse>;
    try {
      args = parse(argv);
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${help}`);
      return 2;
    }
    if (args.help) {
      console.log(help);
      return 0;
    }
    const partial = args.out ? `${args.out}.partial` : null;
    const stream = partial ? createWriteStream(partial) : process.stdout;
    const progress = tableProgress();
    const started = performance.now();
    try {
      const counts = await exportGraph(db.prisma, streamSink(stream), {
        format: args.format,
        onProgress: ({ table, done, total }) => progress.update(table, done, total),
      });
      progress.stop();
      if (partial) {
        stream.end();
        await once(stream, "finish");
        await rename(partial, args.out!);
      }
      const summary = Object.entries(counts)
        .map(([table, rows]) => `${rows} ${table}`)
        .join(", ");
      console.error(
        `Exported ${summary || "an empty graph"} as ${args.format}${args.out ? ` to ${args.out}` : ""} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
      );
      return 0;
    } catch (error) {
      progress.stop();
      if (partial) {
        stream.destroy();
        await rm(partial, { force: true });
      }
      // A reader that stops early (`| head`) is not an error of the export.
      if ((error as NodeJS.ErrnoException).code === "EPIPE") return 0;
      throw error;
    }
  },
};
