// A new PGlite cluster made on another thread. On an empty folder PGlite runs initdb itself, on the
// main thread: PostgreSQL's bootstrap in WebAssembly, about 4 s of CPU, a third of a first start,
// during which nothing else runs. It makes the cluster in a second, in-memory instance and copies it
// into the folder as a tarball; this does the same in a worker thread, while the main thread loads
// the service's modules and builds the schema, and hands over the tarball for `loadDataDir`.
import { Worker } from "node:worker_threads";

// Plain JavaScript evaluated in the worker: it runs the same under tsx (npm run dev, tests) and from
// the transpiled copy, which a worker started from a .ts file would not. It imports PGlite by the
// URL the main thread resolved, as an evaluated script resolves no package names.
// PostgreSQL's WebAssembly is compiled once, here, and handed back with the cluster: the main
// thread's PGlite runs the same compiled module (V8 shares its code between threads).
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFile } = require("node:fs/promises");
Promise.all([import(workerData.pglite), readFile(new URL(workerData.pgliteWasm))])
  .then(async ([{ PGlite }, wasm]) => {
    const pgliteWasmModule = await WebAssembly.compile(wasm);
    const pglite = await PGlite.create({ pgliteWasmModule });
    const tarball = await (await pglite.dumpDataDir("none")).arrayBuffer();
    await pglite.close();
    parentPort.postMessage({ tarball, pgliteWasmModule }, [tarball]);
  })
  .catch((error) => parentPort.postMessage({ error: String(error?.stack ?? error) }));
`;

export interface NewCluster {
  /** The cluster, for PGlite's `loadDataDir`. */
  tarball: Blob;
  /** PostgreSQL's compiled WebAssembly, for PGlite's `pgliteWasmModule`. */
  pgliteWasmModule: WebAssembly.Module;
}

/** Runs initdb in a worker thread; resolves to the new cluster. */
export function initdbInWorker(): Promise<NewCluster> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        pglite: import.meta.resolve("@electric-sql/pglite"),
        pgliteWasm: import.meta.resolve("@electric-sql/pglite/pglite.wasm"),
      },
    });
    worker.once(
      "message",
      (message: { tarball?: ArrayBuffer; pgliteWasmModule?: WebAssembly.Module; error?: string }) => {
        if (message.tarball && message.pgliteWasmModule)
          resolve({ tarball: new Blob([message.tarball]), pgliteWasmModule: message.pgliteWasmModule });
        else reject(new Error(`initdb failed in its worker: ${message.error}`));
      },
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`initdb's worker exited (${code}) before it made the cluster`)));
  });
}
