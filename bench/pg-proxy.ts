// A counting TCP proxy for the PostgreSQL wire protocol: a server pointed at it (DATABASE_URL with the
// proxy's port) talks to PostgreSQL as usual, and the proxy counts the statements it sends. It reads
// only the client-to-server direction and never changes a byte.
//
// A statement is one simple-protocol Query message ('Q') or one extended-protocol Execute message
// ('E'), whatever the driver: Prisma's pg adapter, PostGraphile's pg pool and plain pg all send one of
// these per statement they run. Parse/Bind are tracked so that each Execute can be attributed to its
// SQL text, which separates transaction control (BEGIN, COMMIT, SET, set_config) from data statements.
import net from "node:net";

export interface StatementCounts {
  /** Every statement sent: data statements plus transaction control. */
  total: number;
  /** BEGIN / COMMIT / ROLLBACK / SET / set_config / savepoints and the like. */
  control: number;
  /** SELECT / WITH / INSERT ...: statements that read or write rows. */
  data: number;
  /** Data statements by their first 60 characters (one line), for the report's evidence. */
  texts: Map<string, number>;
}

export interface CountingProxy {
  port: number;
  counts(): StatementCounts;
  reset(): void;
  close(): Promise<void>;
}

const controlStatement =
  /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|SET|RESET|SAVEPOINT|RELEASE|DEALLOCATE|DISCARD|SHOW|select\s+set_config\()/i;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export function classify(sql: string): "control" | "data" {
  return controlStatement.test(sql) ? "control" : "data";
}

function cstring(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  return [buffer.toString("utf8", offset, end), end + 1];
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let counts: StatementCounts = { total: 0, control: 0, data: 0, texts: new Map() };
  const sockets = new Set<net.Socket>();

  const record = (sql: string) => {
    counts.total++;
    if (classify(sql) === "control") counts.control++;
    else {
      counts.data++;
      const text = sql.replace(/\s+/g, " ").trim().slice(0, 60);
      counts.texts.set(text, (counts.texts.get(text) ?? 0) + 1);
    }
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const statements = new Map<string, string>(); // prepared statement name -> SQL
    const portals = new Map<string, string>(); // portal name -> SQL
    let pending: Buffer = Buffer.alloc(0);
    let untyped = true; // startup, SSL and GSS requests carry no type byte

    const parse = () => {
      for (;;) {
        if (untyped) {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const code = pending.readInt32BE(4);
          untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) return;
        const type = String.fromCharCode(pending[0]!);
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) return;
        const body = pending.subarray(5, length + 1);
        if (type === "Q") {
          record(cstring(body, 0)[0]);
        } else if (type === "P") {
          const [name, next] = cstring(body, 0);
          statements.set(name, cstring(body, next)[0]);
        } else if (type === "B") {
          const [portal, next] = cstring(body, 0);
          portals.set(portal, statements.get(cstring(body, next)[0]) ?? "");
        } else if (type === "E") {
          record(portals.get(cstring(body, 0)[0]) ?? "");
        }
        pending = pending.subarray(length + 1);
      }
    };

    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      parse();
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    counts: () => ({ ...counts, texts: new Map(counts.texts) }),
    reset: () => void (counts = { total: 0, control: 0, data: 0, texts: new Map() }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same URL with host and port replaced by the proxy's. */
export function viaProxy(databaseUrl: string, proxy: CountingProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return url.toString();
}
