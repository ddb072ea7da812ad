// `npm run bench:explorer`: the explorer measured in Debian's Chromium against the server started as
// `npm start` starts it (an embedded database in a new folder, or DATABASE_URL), beside its two peers
// on the same server in the same run: GraphiQL's page, and the neighbourhood picture the server draws
// itself (/pictures/neighborhood.svg). Reports bytes over the wire and time to the first picture, each
// the median of cold loads (a new browser context each: no cache); then the explorer holding a picture
// of every province, prefecture and county (over 3,000 nodes): time to draw it and frames per second
// while the user drags and zooms it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { startProgress } from "./progress.js";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    quick: { type: "boolean", default: false },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});
const runs = options.quick ? 2 : Number(options.runs);
const progress = startProgress();
const root = join(import.meta.dirname, "..");
const results = join(import.meta.dirname, "results");

if (!existsSync(options.chromium)) {
  console.error(`No Chromium at ${options.chromium}: apt-get install -y chromium, or pass --chromium PATH.`);
  process.exit(2);
}
if (!existsSync(join(root, "web", "dist", "index.html"))) {
  console.error("The explorer is not built: npm run web:build.");
  process.exit(2);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startService(): Promise<{ child: ChildProcess; origin: string; dataDir: string | null }> {
  const port = await freePort();
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), "bench-explorer-"));
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src", "main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      RATE_LIMIT_PER_MINUTE: "0",
      RESPONSE_CACHE_TTL: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 250) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering`);
    if (waited > 180_000) throw new Error("the server did not answer within 3 minutes");
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (waited % 5000 === 0) progress.step(`starting the server (first start migrates and seeds) ${waited / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, origin, dataDir };
}

async function graphql<T>(origin: string, query: string): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

interface Load {
  ms: number;
  bytes: number;
}

/** A cold load: a new context, so nothing is cached; bytes as the network carried them. */
async function coldLoad(browser: Browser, url: string, ready: (page: Page) => Promise<void>): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  let bytes = 0;
  cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
  });
  const started = Date.now();
  await page.goto(url);
  await ready(page);
  const ms = Date.now() - started;
  // Every response finished (and counted) before the context goes.
  await page.waitForLoadState("networkidle");
  await context.close();
  return { ms, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");

async function main() {
  progress.step("starting the server");
  const service = await startService();
  const browser = await chromium.launch({ executablePath: options.chromium, args: ["--no-sandbox"] });
  try {
    const chongqing = globalId("City", "chongqing");
    const firstGraph = async (page: Page) => {
      await page.waitForFunction(
        () => document.body.dataset.busy === "false" && Number(document.body.dataset.nodes) > 0,
        null,
        { timeout: 120_000 },
      );
    };
    const peers: { name: string; url: string; ready: (page: Page) => Promise<void> }[] = [
      { name: "explorer: Chongqing's neighbours", url: `${service.origin}/#open=${chongqing}`, ready: firstGraph },
      {
        name: "GraphiQL's page (peer)",
        url: `${service.origin}/graphql`,
        ready: (page) => page.locator(".graphiql-container").first().waitFor({ timeout: 120_000 }),
      },
      {
        name: "neighbourhood SVG (peer)",
        url: `${service.origin}/pictures/neighborhood.svg?entity=Chongqing`,
        ready: async () => {},
      },
    ];
    const rows: { name: string; ms: number; bytes: number }[] = [];
    for (const peer of peers) {
      const loads: Load[] = [];
      for (let run = 1; run <= runs; run++) {
        progress.step(`${peer.name}: cold load ${run}/${runs}`);
        loads.push(await coldLoad(browser, peer.url, peer.ready));
      }
      rows.push({
        name: peer.name,
        ms: median(loads.map((load) => load.ms)),
        bytes: median(loads.map((load) => load.bytes)),
      });
    }

    // Every province, prefecture and county in one picture: open China, its provinces and their
    // prefectures, each with its LOCATED_IN group unfolded.
    progress.step("listing provinces and prefectures for the large picture");
    type Page_ = { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    const ids = async (field: "provinces" | "cities") => {
      const found: string[] = [];
      for (let after: string | null = null; ; ) {
        const data: Record<string, Page_> = await graphql(
          service.origin,
          `{ ${field}(first: 100${after ? `, after: "${after}"` : ""}) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        );
        const page = data[field]!;
        found.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) return found;
        after = page.pageInfo.endCursor;
      }
    };
    const open = [globalId("Country", "china"), ...(await ids("provinces")), ...(await ids("cities"))];
    const hash = `#open=${open.join(",")}&unfold=${open.map((id) => encodeURIComponent(`${id}|LOCATED_IN|INCOMING`)).join(",")}`;
    progress.step(`drawing ${open.length} opened entities and their places`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${service.origin}/${hash}`);
    await firstGraph(page);
    await page.waitForFunction(() => Number(document.body.dataset.nodes) > 1000, null, { timeout: 300_000 });
    const drawMs = Date.now() - started;
    const nodes = Number(await page.evaluate(() => document.body.dataset.nodes));
    progress.step(`${nodes} nodes drawn; dragging and zooming for 3 s`);
    const box = (await page.locator(".canvas").boundingBox())!;
    // As text: tsx names functions (esbuild's keepNames), and the page has no `__name` to call.
    await page.evaluate(`
      window.frames_ = [];
      const tick = (time) => { window.frames_.push(time); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    `);
    // From a corner, where no node is: the camera moves, no node is dragged.
    const centre = { x: box.x + 30, y: box.y + box.height - 30 };
    const until = Date.now() + 3000;
    for (let step = 0; Date.now() < until; step++) {
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.down();
      await page.mouse.move(centre.x + 80 * Math.cos(step), centre.y + 80 * Math.sin(step), { steps: 8 });
      await page.mouse.up();
      await page.mouse.wheel(0, step % 2 ? 240 : -240);
    }
    const frames = (await page.evaluate("window.frames_")) as number[];
    const gaps = frames.slice(1).map((time, index) => time - frames[index]!);
    const fps = (1000 * gaps.length) / (frames.at(-1)! - frames[0]!);
    const p95Gap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length * 0.95)]!;
    await context.close();

    const explorer = rows[0]!;
    const lines = [
      `# Explorer benchmark, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      "",
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Chromium headless (software WebGL), ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite, seed graph"}; medians of ${runs} cold loads.`,
      "",
      "| page | to first picture | bytes over the wire | vs explorer (time) | vs explorer (bytes) |",
      "|---|---:|---:|---:|---:|",
      ...rows.map(
        (row) =>
          `| ${row.name} | ${row.ms} ms | ${(row.bytes / 1024).toFixed(0)} KB | ${(row.ms / explorer.ms).toFixed(2)}x | ${(row.bytes / explorer.bytes).toFixed(2)}x |`,
      ),
      "",
      `Large picture: ${open.length} entities opened, ${nodes} nodes drawn in ${(drawMs / 1000).toFixed(1)} s (every neighbour page fetched, laid out in the worker, drawn); while dragging and zooming: ${fps.toFixed(0)} frames per second, 95th-percentile frame ${p95Gap.toFixed(0)} ms.`,
      "",
    ];
    mkdirSync(results, { recursive: true });
    const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, "-");
    writeFileSync(join(results, `explorer-${stamp}.md`), lines.join("\n"));
    writeFileSync(join(results, "explorer-latest.md"), lines.join("\n"));
    progress.done();
    console.log(lines.join("\n"));
  } finally {
    await browser.close();
    service.child.kill("SIGTERM");
    await new Promise((resolve) => service.child.once("exit", resolve));
    if (service.dataDir) rmSync(service.dataDir, { recursive: true, force: true });
  }
}

await main();
