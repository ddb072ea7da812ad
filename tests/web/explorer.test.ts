// The explorer's journeys, in a real browser (Debian's Chromium, driven by playwright-core) against a
// real server on the seed graph that runs trusted documents only: every request the explorer makes
// must be one of the operations its build persisted. The picture itself is WebGL; the assertions read
// what a screen reader reads (the picture as text, the inspector) and the files the exports download.
// Each journey leaves a screenshot in tests/artifacts/explorer/.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explorerDir, explorerManifest } from "../../src/http/explorer.js";
import { schema } from "../../src/schema/index.js";
import { startTestGraph, type TestGraph } from "../support/graph.js";

const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((path) => path && existsSync(path));
const built = existsSync(join(explorerDir, "index.html"));
const skipReason = !chromiumPath
  ? "no Chromium at /usr/bin/chromium or CHROMIUM_PATH: apt-get install -y chromium (.ci/run does)"
  : !built
    ? "the explorer is not built: npm run web:build (npm install does)"
    : null;
const artifacts = join(import.meta.dirname, "..", "artifacts", "explorer");
const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString("base64");
const chongqing = globalId("City", "chongqing");
const seres = globalId("Company", "seres");
const sichuan = globalId("Province", "sichuan");

describe.skipIf(skipReason)(`explorer in Chromium${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let graph: TestGraph;
  let http: Server;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  const sentDocuments: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const manifest = explorerManifest(schema, (message) => {
      throw new Error(message);
    });
    graph = await startTestGraph({
      readOnly: true,
      server: { persistedOperations: { manifest, only: true } },
    });
    http = createHttpServer(graph.yoga);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox"] });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.on("request", (request) => {
      if (request.url().endsWith("/graphql") && request.method() === "POST") {
        const body = request.postDataJSON() as { query?: string };
        if (body.query) sentDocuments.push(body.query);
      }
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => http?.close(resolve));
    await graph?.close();
  });

  async function open(hash = ""): Promise<Page> {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on("pageerror", (error) => failures.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400 && !response.url().endsWith("favicon.ico"))
        failures.push(`${response.status()} ${response.url()}`);
    });
    (page as Page & { failures: string[] }).failures = failures;
    await page.goto(`${origin}/${hash}`);
    await page.getByRole("combobox", { name: "Find an entity" }).waitFor();
    // The picture as text is folded away under the canvas; a reader opens it.
    await page.locator(".as-text summary").click();
    return page;
  }
  const failuresOf = (page: Page) => (page as Page & { failures: string[] }).failures;
  async function settled(page: Page) {
    await page.waitForFunction(() => document.body.dataset.busy === "false" && Number(document.body.dataset.nodes) > 0);
  }
  const nodeNames = (page: Page) => page.locator(".node-list button").allTextContents();
  const edgeTexts = (page: Page) => page.locator(".edge-list li").allTextContents();
  const shot = (page: Page, name: string) => page.screenshot({ path: join(artifacts, `${name}.png`) });

  it("search 重庆 -> Chongqing opens, and the inspector lists Sichuan among its VAT refund partners with the article's sentence", async () => {
    const page = await open();
    await page.getByRole("combobox", { name: "Find an entity" }).fill("重庆");
    await expect.poll(() => page.getByRole("option").first().textContent()).toContain("Chongqing");
    await page.keyboard.press("Enter");
    await settled(page);
    expect(await nodeNames(page)).toEqual(expect.arrayContaining(["Chongqing", "Sichuan", "Seres"]));
    expect(await edgeTexts(page)).toContain("Chongqing — refunds VAT with → Sichuan");
    const partner = page.locator(".inspector .facts li", { hasText: "refunds VAT with Sichuan" });
    await partner.locator("summary").click();
    await expect
      .poll(() => partner.locator("blockquote").textContent())
      .toBe("following a 2025 agreement with Sichuan");
    expect(await partner.locator(".cite").textContent()).toMatch(/stated · .+/);
    expect(page.url()).toContain(`open=${encodeURIComponent(chongqing)}`);
    // Indicators as a chart per series, rankings with their rank or words.
    const charts = await page
      .locator(".inspector svg.chart")
      .evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute("aria-label")));
    expect(charts.length).toBeGreaterThan(0);
    expect(charts[0]).toMatch(/^\d+ observations, latest .+/);
    expect(await page.locator(".inspector h3", { hasText: "Rankings" }).count()).toBe(1);
    await shot(page, "1-search-chongqing");
    expect(failuresOf(page)).toEqual([]);
    await page.close();
  });

  it("double-clicking Seres in the picture's list expands it: AITO appears, joined by 'is a brand of'", async () => {
    const page = await open(`#open=${chongqing}`);
    await settled(page);
    expect(await edgeTexts(page)).not.toContain("AITO — is a brand of → Seres");
    await page.locator(".node-list button", { hasText: /^Seres$/ }).dblclick();
    await expect.poll(() => edgeTexts(page)).toContain("AITO — is a brand of → Seres");
    expect(page.url()).toContain(encodeURIComponent(seres));
    await shot(page, "2-expand-seres");
    await page.close();
  });

  it("a hub arrives folded with a count, and unfolds on request", async () => {
    const page = await open(`#open=${globalId("Country", "china")}`);
    await settled(page);
    const names = await nodeNames(page);
    const fold = names.find((name) => /^\+\d+ provinces\b/.test(name));
    expect(fold, `a folded group of provinces among ${names.join(", ")}`).toBeDefined();
    expect(names).not.toContain("Sichuan");
    await page.locator(".node-list button", { hasText: fold! }).click();
    await expect.poll(() => nodeNames(page)).toContain("Sichuan");
    expect(await nodeNames(page)).not.toContain(fold);
    await shot(page, "3-hub-unfolded");
    await page.close();
  });

  it("sliding the date to 2024 takes the VAT refund edges away; back to today brings them back", async () => {
    const page = await open(`#open=${chongqing}`);
    await settled(page);
    const vat = (texts: string[]) => texts.filter((text) => text.includes("refunds VAT with"));
    expect(vat(await edgeTexts(page)).length).toBeGreaterThanOrEqual(4);
    await page.getByRole("checkbox", { name: /As of the end of/ }).check();
    await page.getByRole("slider", { name: "Year" }).fill("2024");
    await expect.poll(async () => vat(await edgeTexts(page))).toEqual([]);
    expect(page.url()).toContain("asOf=2024-12-31");
    expect(await page.locator(".status").textContent()).toContain("as of 2024-12-31");
    await shot(page, "4-as-of-2024");
    await page.getByRole("checkbox", { name: /As of the end of/ }).uncheck();
    await expect.poll(async () => vat(await edgeTexts(page)).length).toBeGreaterThanOrEqual(4);
    await page.close();
  });

  it("the path from Seres to Sichuan runs through Chongqing, each step with its sentence", async () => {
    const page = await open(`#open=${seres}&sel=${seres}`);
    await settled(page);
    await page.getByRole("button", { name: "Path from here…" }).click();
    await page.getByRole("combobox", { name: "Path to" }).fill("Sichuan");
    await expect.poll(() => page.getByRole("option").first().textContent()).toContain("Sichuan");
    await page.keyboard.press("Enter");
    const steps = page.getByRole("list", { name: "Shortest paths" });
    await expect
      .poll(() => steps.locator("> li").first().textContent())
      .toMatch(/^Seres .+ Chongqing.*Chongqing .+ Sichuan/);
    expect(await steps.locator("q").first().textContent()).not.toBe("");
    const onPath = await page.locator(".edge-list li.on-path").allTextContents();
    expect(onPath.some((text) => text.includes("Sichuan") && text.includes("Chongqing"))).toBe(true);
    expect(page.url()).toContain(`path=${encodeURIComponent(`${seres},${sichuan}`)}`);
    await shot(page, "5-path-seres-sichuan");
    await page.close();
  });

  it("a shared link reopens the same view: entities, filters, date, language and selection", async () => {
    const page = await open(`#open=${chongqing}`);
    await settled(page);
    await page.getByRole("checkbox", { name: "Company" }).uncheck();
    await page.getByRole("button", { name: "中文" }).click();
    await page.locator(".node-list button", { hasText: /^四川$/ }).click();
    await expect.poll(() => page.locator(".inspector h2").textContent()).toContain("Sichuan");
    const link = page.url();
    const before = { nodes: await nodeNames(page), edges: await edgeTexts(page) };
    expect(before.nodes).not.toContain("赛力斯");
    const again = await open(new URL(link).hash);
    await settled(again);
    await expect.poll(() => nodeNames(again)).toEqual(before.nodes);
    expect(await edgeTexts(again)).toEqual(before.edges);
    // The same view is laid out the same way: every node lands where it did.
    const positions = async (at: Page) => {
      const [download] = await Promise.all([
        at.waitForEvent("download"),
        at.getByRole("button", { name: "Cytoscape JSON" }).click(),
      ]);
      return JSON.parse(readFileSync((await download.path())!, "utf8")).elements.nodes.map(
        (node: { data: { id: string }; position: { x: number; y: number } }) => [node.data.id, node.position],
      );
    };
    expect(await positions(again)).toEqual(await positions(page));
    expect(await again.locator(".inspector h2").textContent()).toContain("Sichuan");
    await shot(again, "6-shared-link");
    await page.close();
    await again.close();
  });

  it("exports download valid files: Cytoscape JSON, CSV, SVG and PNG of what is on screen", async () => {
    const page = await open(`#open=${chongqing}`);
    await settled(page);
    const take = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: button }).click(),
      ]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const cyjs = await take("Cytoscape JSON");
    const elements = JSON.parse(cyjs.bytes.toString()).elements;
    const labels = elements.nodes.map((node: { data: { label: string } }) => node.data.label);
    expect(labels).toEqual(expect.arrayContaining(["Chongqing", "Sichuan"]));
    expect(elements.edges.length).toBe((await edgeTexts(page)).length);
    const ids = new Set(elements.nodes.map((node: { data: { id: string } }) => node.data.id));
    for (const edge of elements.edges) expect(ids.has(edge.data.source) && ids.has(edge.data.target)).toBe(true);
    const csv = (await take("Edges CSV")).bytes.toString();
    expect(csv.split("\r\n")[0]).toBe("id,source,target,type,label,certainty");
    expect(csv).toContain("VAT_REFUND_PARTNER,refunds VAT with,STATED");
    const svg = (await take("SVG")).bytes.toString();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(">Sichuan</text>");
    expect(svg).toContain('marker-end="url(#arrow)"');
    const png = (await take("PNG")).bytes;
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    await page.close();
  });

  it("map view places entities at their coordinates: Chengdu west of Chongqing, Harbin north of both", async () => {
    const page = await open(
      `#open=${globalId("Country", "china")},${chongqing}&unfold=${encodeURIComponent(`${globalId("Country", "china")}|LOCATED_IN|INCOMING`)}&mode=map`,
    );
    await settled(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Cytoscape JSON" }).click(),
    ]);
    const nodes: { data: { key: string }; position: { x: number; y: number } }[] = JSON.parse(
      readFileSync((await download.path())!, "utf8"),
    ).elements.nodes;
    const at = (key: string) => nodes.find((node) => node.data.key === key)?.position;
    expect(at("chengdu")!.x).toBeLessThan(at("chongqing")!.x);
    expect(at("heilongjiang")!.y).toBeGreaterThan(at("chongqing")!.y);
    await shot(page, "7-map");
    await page.close();
  });

  it("works from the keyboard: / to search, arrows and Enter to open, e to expand, u to undo", async () => {
    const page = await open();
    await page.locator("body").click({ position: { x: 600, y: 780 } });
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
    await page.keyboard.type("seres");
    await expect.poll(() => page.getByRole("option").count()).toBeGreaterThan(0);
    await page.keyboard.press("Enter");
    await settled(page);
    expect(await nodeNames(page)).toContain("AITO");
    await page.locator(".node-list button", { hasText: /^Chongqing$/ }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("e");
    await expect.poll(() => nodeNames(page)).toContain("Sichuan");
    await page.keyboard.press("u");
    await expect.poll(() => nodeNames(page)).not.toContain("Sichuan");
    await page.close();
  });

  it("has no serious accessibility violations (axe-core), and fits a phone-sized window", async () => {
    const axeContext = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await axeContext.newPage();
    await page.goto(`${origin}/#open=${chongqing}&sel=${chongqing}`);
    await settled(page);
    await page.addScriptTag({ content: axe.source });
    const result = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run());
    const serious = result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target).join(" ")})`,
      );
    expect(serious).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "8-phone");
    await axeContext.close();
  });

  it("sent only persisted operations: the server runs trusted documents only, and no request carried a document", () => {
    expect(sentDocuments).toEqual([]);
  });
});
