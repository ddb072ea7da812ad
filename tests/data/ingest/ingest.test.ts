// `npm run graph -- ingest`: an article becomes a source, and every entity it names a mention quoting
// the sentence. Checked as a user sees it, through the GraphQL API; re-ingesting converges instead of
// piling up, and bad input is refused with exit code 2 before anything is written.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { command } from "../../../src/cli/graph-ingest.js";
import { prepareDatabase } from "../../../src/data/bootstrap.js";
import { openDatabase } from "../../../src/db/database.js";
import { keyFromTitle } from "../../../src/data/ingest/ingest.js";
import { createServer } from "../../../src/server.js";
import { copyToDataDir, startTestGraph, testDatabaseUrl, type TestGraph } from "../../support/graph.js";
import { main } from "../../../src/cli/graph-main.js";
import { runInProcess, runScript } from "../../support/processes.js";
import { createScratchDatabase } from "../../support/scratch-database.js";

const fixtures = new URL("../../fixtures/ingest/", import.meta.url).pathname;
const article = join(fixtures, "aito-chongqing.txt");
const revised = join(fixtures, "aito-chongqing-revised.txt");
const title = "Seres and Huawei Step Up AITO Production in Chongqing";
const key = "seres-and-huawei-step-up-aito-production-in-chongqing";
const scratch = mkdtempSync(join(tmpdir(), "graph-ingest-"));

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

/** The CLI command in this process, against the test database, with its output captured. */
async function ingest(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void out.push(args.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void err.push(args.join(" ")));
  try {
    const code = await command.run(graph.db, argv);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

interface SourceView {
  kind: string;
  title: string;
  publishedOn: string;
  url: string | null;
  body: string;
  mentions: { entity: { key: string }; quote: string }[];
}

async function sourceView(sourceKey = key): Promise<SourceView | null> {
  const response = await graph.query<{ source: SourceView | null }>(
    `query ($key: String!) { source(key: $key) { kind title publishedOn url body mentions { entity { key } quote } } }`,
    { key: sourceKey },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.source;
}

/** The entity keys linked to the sentence that contains `words`. */
function linkedIn(source: SourceView, words: string): string[] {
  return source.mentions
    .filter((mention) => mention.quote.includes(words))
    .map((mention) => mention.entity.key)
    .sort();
}

function quotesOf(source: SourceView, entityKey: string): string[] {
  return source.mentions.filter((mention) => mention.entity.key === entityKey).map((mention) => mention.quote);
}

/** Everything ingestion could write, to show that a refused run wrote nothing. */
async function snapshot() {
  const prisma = graph.db.prisma;
  return {
    sources: await prisma.source.findMany({ orderBy: { id: "asc" } }),
    mentions: await prisma.mention.findMany({ orderBy: { id: "asc" } }),
  };
}

function summaryCounts(out: string) {
  const match = /mentions (\d+) created, (\d+) removed, (\d+) unchanged/.exec(out);
  expect(match, out).not.toBeNull();
  const [created, removed, unchanged] = match!.slice(1).map(Number) as [number, number, number];
  return { created, removed, unchanged };
}

describe("graph ingest", () => {
  it("stores the article as a source and links the entities it names, each with its sentence", async () => {
    const run = await ingest(
      article,
      "--title",
      title,
      "--date",
      "2025-03-12",
      "--url",
      "https://example.com/aito-chongqing",
    );
    // 苏州 and 宿州, and 肃州区 (Suzhou District) beneath them.
    expect(run.err).toContain('Not linked: "Suzhou" names 3 entities equally.');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`Source "${key}" created`);

    const source = (await sourceView())!;
    expect(source).toMatchObject({
      kind: "ARTICLE",
      title,
      publishedOn: "2025-03-12",
      url: "https://example.com/aito-chongqing",
    });
    expect(source.body).toBe(readFileSync(article, "utf8"));
    expect(summaryCounts(run.out)).toEqual({ created: source.mentions.length, removed: 0, unchanged: 0 });
    expect(run.out).toMatch(new RegExp(`${new Set(source.mentions.map((m) => m.entity.key)).size} entities linked`));
    // Quotes are whole sentences, verbatim, so each can be found in the body again.
    for (const { quote } of source.mentions) expect(source.body).toContain(quote);
    expect(quotesOf(source, "sichuan")).toEqual([
      "Mr. Zhang, a dealer in Chengdu, said buyers from Sichuan now make up a third of his customers.",
    ]);

    expect(linkedIn(source, "Seres said on Wednesday")).toEqual(["aito", "huawei", "liangjiang-new-area", "seres"]);
    expect(linkedIn(source, "Many of them drive to Chongqing")).toEqual(["chongqing"]);
  });

  it("takes the longest name: the bureau, not also Chongqing, in English and in Chinese", async () => {
    const source = (await sourceView())!;
    expect(linkedIn(source, "The Chongqing Municipal Bureau of Commerce announced")).toEqual([
      "chongqing-municipal-bureau-of-commerce",
    ]);
    expect(linkedIn(source, "重庆市商务委员会表示")).toEqual(["chongqing-municipal-bureau-of-commerce"]);
    for (const quote of quotesOf(source, "chongqing")) expect(quote).not.toContain("Bureau of Commerce");
  });

  it("matches Chinese names inside running text, pinyin aliases, and any case", async () => {
    const source = (await sourceView())!;
    expect(linkedIn(source, "问界新M9")).toEqual(["aito", "chongqing", "huawei", "liangjiang-new-area", "seres"]);
    expect(linkedIn(source, "The Wenjie brand")).toEqual(["aito"]);
    expect(linkedIn(source, "SERES shares rose")).toEqual(["seres", "shanghai"]);
  });

  it("links county-level divisions, in English and in Chinese, to the geography's entities", async () => {
    const file = join(scratch, "counties.txt");
    writeFileSync(
      file,
      "Seres opened a battery plant in Yongchuan District last spring. 永川区的工厂已投产。 Bishan District hosts its suppliers.",
    );
    const run = await ingest(file, "--title", "Fixture: counties", "--date", "2025-05", "--key", "fixture-counties");
    expect(run.code, run.err).toBe(0);
    const source = (await sourceView("fixture-counties"))!;
    expect(linkedIn(source, "battery plant in Yongchuan")).toEqual(["seres", "yongchuan-district"]);
    expect(linkedIn(source, "永川区")).toEqual(["yongchuan-district"]);
    expect(linkedIn(source, "Bishan District")).toEqual(["bishan-district"]);
  });

  it("respects word boundaries: Sereshire is not Seres, AITOX is not AITO", async () => {
    const source = (await sourceView())!;
    expect(linkedIn(source, "Sereshire")).toEqual([]);
  });

  it("links a name several entities share only when one of them stands out", async () => {
    const source = (await sourceView())!;
    // Jilin is a province and a city in it: the plain name is taken for the province. The two Suzhous are left alone.
    expect(linkedIn(source, "Suppliers in Suzhou")).toEqual(["jilin"]);
  });

  it("shows the mentions on the entity, with the source's title", async () => {
    const response = await graph.query<{ entity: { mentions: { quote: string; source: { title: string } }[] } }>(
      `{ entity(name: "赛力斯") { mentions { quote source { title } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const mine = response
      .data!.entity.mentions.filter((mention) => mention.source.title === title)
      .map((mention) => mention.quote);
    expect(mine).toEqual([
      title,
      expect.stringMatching(/^Seres said on Wednesday/),
      "问界新M9在重庆两江新区生产，由赛力斯与华为联合开发。",
      "SERES shares rose 4.1% in Shanghai after the announcement.",
    ]);
  });

  it("changes nothing when the same article is ingested again", async () => {
    const before = await snapshot();
    const run = await ingest(
      article,
      "--title",
      title,
      "--date",
      "2025-03-12",
      "--url",
      "https://example.com/aito-chongqing",
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`Source "${key}" unchanged`);
    expect(summaryCounts(run.out)).toEqual({
      created: 0,
      removed: 0,
      unchanged: (await sourceView())!.mentions.length,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("brings the source and its mentions in line with a revised text, without duplicates", async () => {
    const sourcesBefore = await graph.db.prisma.source.count();
    const run = await ingest(revised, "--title", `${title} (updated)`, "--date", "2025-03", "--key", key);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`Source "${key}" updated`);
    // The dealer's sentence changed (Chengdu and Sichuan quote the new one, Yunnan joins) and the
    // "drive to Chongqing" sentence is gone.
    expect(summaryCounts(run.out)).toMatchObject({ created: 3, removed: 3 });

    const source = (await sourceView())!;
    expect(await graph.db.prisma.source.count()).toBe(sourcesBefore);
    expect(source).toMatchObject({
      title: `${title} (updated)`,
      publishedOn: "2025-03",
      url: null,
      body: readFileSync(revised, "utf8"),
    });
    const pairs = source.mentions.map((mention) => `${mention.entity.key}|${mention.quote}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const { quote } of source.mentions) expect(source.body).toContain(quote);
    expect(source.mentions.some((mention) => mention.quote.includes("drive to Chongqing"))).toBe(false);
    expect(linkedIn(source, "Mr. Zhang")).toEqual(["chengdu", "sichuan", "yunnan"]);

    const yunnan = await graph.query<{ entity: { mentions: { quote: string; source: { title: string } }[] } }>(
      `{ entity(name: "云南") { mentions { quote source { title } } } }`,
    );
    expect(yunnan.data!.entity.mentions).toContainEqual({
      quote: "Mr. Zhang, a dealer in Chengdu, said buyers from Sichuan and Yunnan now make up half of his customers.",
      source: { title: `${title} (updated)` },
    });
  });

  it("records an ingest as one batch of changes, which revertChange undoes, and a repeat records nothing", async () => {
    const before = await snapshot();
    const args = [
      article,
      "--title",
      title,
      "--date",
      "2025-03-12",
      "--key",
      "history-of-an-ingest",
      "--actor",
      "desk",
    ];
    const run = await ingest(...args);
    expect(run.code, run.err).toBe(0);
    const batch = /Recorded as (\d+) change\(s\) in batch ([0-9a-f-]{36})\./.exec(run.out);
    expect(batch, run.out).not.toBeNull();
    const listed = await graph.query(
      `{ changes(first: 100) { edges { node { id batch actor operation action targetType targetKey } } } }`,
    );
    const changes = listed.data!.changes.edges.map((edge: any) => edge.node).filter((c: any) => c.batch === batch![2]);
    expect(changes).toHaveLength(Number(batch![1]));
    expect(changes[0]).toMatchObject({ actor: "desk", operation: "ingest", action: "CREATE", targetType: "Source" });
    // Each entity the article names gained its mentions: one update of the entity's record.
    const linked = new Set((await sourceView("history-of-an-ingest"))!.mentions.map((mention) => mention.entity.key));
    expect(
      changes
        .slice(1)
        .map((c: any) => `${c.action} ${c.targetType} ${c.targetKey}`)
        .sort(),
    ).toEqual([...linked].map((entity) => `UPDATE Entity ${entity}`).sort());

    const repeat = await ingest(...args);
    expect(repeat.code, repeat.err).toBe(0);
    expect(repeat.out).not.toContain("Recorded as");

    const admin = await graph.token(["graph:write", "graph:admin"]);
    const reverted = await graph.query(
      `mutation($id: ID!) { revertChange(id: $id) { __typename } }`,
      { id: changes[0].id },
      { token: admin },
    );
    expect(reverted.data).toEqual({ revertChange: { __typename: "RevertChangeSuccess" } });
    expect(await sourceView("history-of-an-ingest")).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it("makes the key from the title unless --key is given", () => {
    expect(
      keyFromTitle(
        "China’s Auto Crown Up For Grabs: How Chongqing, Hefei and Regional Strategies are Redrawing the Map",
      ),
    ).toBe("chinas-auto-crown-up-for-grabs-how-chongqing-hefei-and-regional-strategies-are");
    expect(keyFromTitle("Chéngdū–Chongqing: 10 trillion")).toBe("chengdu-chongqing-10-trillion");
    expect(keyFromTitle("重庆汽车")).toBe("");
  });

  describe("refuses bad input with exit code 2 and leaves the database as it was", () => {
    const write = (name: string, content: string | Uint8Array) => {
      const file = join(scratch, name);
      writeFileSync(file, content);
      return file;
    };
    const folder = join(scratch, "a-folder");
    mkdirSync(folder, { recursive: true });
    const good = ["--title", "Another article", "--date", "2025-03-12"];
    const cases: [string, () => string[], RegExp][] = [
      ["a missing file", () => [join(scratch, "nowhere.txt"), ...good], /nowhere\.txt: no such file/],
      ["a folder", () => [folder, ...good], /a folder, not a file/],
      ["no file at all", () => [...good], /article file is missing/],
      [
        "a file that is not UTF-8",
        () => [write("latin1.txt", Uint8Array.from([0x43, 0x68, 0xf4, 0x6e, 0x67, 0x0a])), ...good],
        /not UTF-8/,
      ],
      ["a binary file", () => [write("nul.txt", "Seres\u0000AITO"), ...good], /NUL bytes/],
      ["an empty file", () => [write("empty.txt", ""), ...good], /is empty/],
      ["a blank file", () => [write("blank.txt", " \n\t\n"), ...good], /is empty/],
      ["no --title", () => [article, "--date", "2025-03-12"], /--title is missing/],
      ["no --date", () => [article, "--title", "Another article"], /--date is missing/],
      [
        "an impossible date",
        () => [article, "--title", "Another article", "--date", "2025-13-40"],
        /--date "2025-13-40" is not a date/,
      ],
      ["a date in words", () => [article, "--title", "Another article", "--date", "March 2025"], /is not a date/],
      [
        "a key that is not kebab-case",
        () => [article, ...good, "--key", "Bad_Key"],
        /--key "Bad_Key" is not a kebab-case key/,
      ],
      ["a key with a double dash", () => [article, ...good, "--key", "a--b"], /not a kebab-case key/],
      [
        "a title with nothing to make a key of",
        () => [article, "--title", "赛力斯扩产", "--date", "2025"],
        /give --key/,
      ],
      [
        "a URL that is not http(s)",
        () => [article, ...good, "--url", "ftp://example.com/a"],
        /not an http\(s\) address/,
      ],
      ["an unknown option", () => [article, ...good, "--author", "me"], /Unknown option '--author'/],
      [
        "the key of a reference source",
        () => [article, ...good, "--key", "ref-admin-divisions"],
        /belongs to a reference source/,
      ],
      [
        "a text that drops sentences the facts of the source quote",
        () => [article, ...good, "--key", "cq-auto-subsidy-2023"],
        /quote \d+ sentence\(s\) the new text lacks/,
      ],
      [
        "a bad date for an existing source",
        () => [revised, "--title", title, "--date", "2025-02-30", "--key", key],
        /is not a date/,
      ],
    ];
    it.each(cases)("%s", async (_name, argv, message) => {
      const before = await snapshot();
      const run = await ingest(...argv());
      expect(run.code).toBe(2);
      expect(run.err).toMatch(message);
      expect(run.err).toContain("Usage: npm run graph -- ingest");
      expect(run.out).toBe("");
      expect(await snapshot()).toEqual(before);
    });

    it("lists every problem at once", async () => {
      const run = await ingest(article, "--date", "2025-00", "--key", "x_y");
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/--title is missing[\s\S]*is not a date[\s\S]*not a kebab-case key/);
    });
  });
});

describe("graph ingest as a process", () => {
  let env: NodeJS.ProcessEnv;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    env = { ...process.env, NODE_ENV: "test" };
    delete env.DATABASE_URL;
    // The graph command migrates but does not seed; an article is ingested into a graph that has entities.
    if (testDatabaseUrl) {
      const database = await createScratchDatabase(testDatabaseUrl, "graph_ingest");
      env.DATABASE_URL = database.url;
      dropDatabase = database.drop;
      const db = await openDatabase({ databaseUrl: database.url });
      await prepareDatabase(db);
      await db.close();
    } else {
      env.DATA_DIR = join(scratch, "data");
      await copyToDataDir(env.DATA_DIR, { seed: true });
    }
  });
  afterAll(() => dropDatabase());

  /** The first run is a real process; the next ones run the same entry (graph-main.ts) in this one. */
  async function graphCli(asProcess: "process" | "in-process", ...argv: string[]): Promise<Run> {
    const { code, stdout, stderr } =
      asProcess === "process"
        ? await runScript("src/cli/graph.ts", argv, env)
        : await runInProcess(() => main(argv, env));
    return { code: code ?? -1, out: stdout, err: stderr };
  }

  it("ingests a file, refuses a bad date with exit code 2, and the mentions are served over GraphQL", async () => {
    const run = await graphCli("process", "ingest", article, "--title", title, "--date", "2025-03-12");
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(
      new RegExp(
        `Source "${key}" created .*sentence\\(s\\), \\d+ entities linked, mentions \\d+ created, 0 removed, 0 unchanged\\.`,
      ),
    );

    const refused = await graphCli("in-process", "ingest", revised, "--title", title, "--date", "12/03/2025");
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--date "12/03/2025" is not a date');

    const again = await graphCli("in-process", "ingest", article, "--title", title, "--date", "2025-03-12");
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/unchanged .* mentions 0 created, 0 removed, [1-9]\d* unchanged\./);

    const db = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    try {
      const yoga = createServer(db);
      const response = await yoga.fetch("http://graph.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: `{ source(key: "${key}") { publishedOn mentions { entity { key } quote } } }` }),
      });
      const { data } = (await response.json()) as {
        data: { source: { publishedOn: string; mentions: { entity: { key: string }; quote: string }[] } };
      };
      expect(data.source.publishedOn).toBe("2025-03-12");
      expect(data.source.mentions).toContainEqual({
        entity: { key: "aito" },
        quote: "The Wenjie brand, as AITO is known in Chinese pinyin, delivered more than 30,000 cars in February.",
      });
    } finally {
      await db.close();
    }
  });
});
