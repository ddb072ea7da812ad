// A peer as the benchmark starts it (bench/systems.ts): when its module is the process's entry, it
// listens on PORT, prints `READY <url>` once it does, and on SIGTERM or SIGINT stops taking
// connections, closes its pools and exits.
import type { Server } from "node:http";
import { pathToFileURL } from "node:url";

export interface RunningPeer {
  server: Server;
  /** Appended to the address printed after READY ("/graphql", or "" for the floor). */
  path: string;
  close(): Promise<unknown>;
}

export function servePeerWhenMain(
  moduleUrl: string,
  start: (databaseUrl: string, poolSize: number) => RunningPeer,
): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const peer = start(databaseUrl, Number(process.env.POOL_SIZE ?? 10));
  peer.server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
    const address = peer.server.address();
    console.log(`READY http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}${peer.path}`);
  });
  const stop = () => {
    peer.server.closeAllConnections();
    peer.server.close(() => void peer.close().then(() => process.exit(0)));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
