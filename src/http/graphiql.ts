// GraphiQL at /graphql, compressed and revalidated. @graphql-yoga/render-graphiql inlines everything
// (GraphiQL, Monaco and its three workers, the CSS) into one HTML page of about 9 MB, so that page is
// the asset: rendered once per set of options, compressed once (gzip and brotli, on libuv's threads)
// and kept; each request gets the encoding it accepts, with a validator so a return visit is a 304.
// The renderer module itself is imported on the first request for the page: its 9 MB of inlined
// source cost about 80 MB of resident memory once parsed, which a server nobody opens GraphiQL on
// (the benchmark's, most production ones) never needs.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

type Encoding = "br" | "gzip" | "identity";

interface Page {
  etag: string;
  // Node's Buffers, never over a SharedArrayBuffer: what a Response body may be.
  bodies: Record<Encoding, Promise<Uint8Array<ArrayBuffer>>>;
}

// The page depends only on its options; servers made with the same ones (tests make many) share it.
const pages = new Map<string, Promise<Page>>();

function pageFor(options: GraphiQLOptions): Promise<Page> {
  const key = JSON.stringify(options);
  let page = pages.get(key);
  if (!page) {
    page = renderPage(options);
    pages.set(key, page);
  }
  return page;
}

async function renderPage(options: GraphiQLOptions): Promise<Page> {
  const { renderGraphiQL } = await import("@graphql-yoga/render-graphiql");
  const html = Buffer.from(renderGraphiQL(options));
  // Brotli's quality 9, not its default 11: on the 9 MB page 0.8 s instead of 14 s, for 8% more bytes.
  const br = brotli(html, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 9,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: html.length,
    },
  });
  // Weak: the three encodings are the same page, so one validator serves all of them.
  const etag = `W/"${createHash("sha256").update(html).digest("base64url").slice(0, 27)}"`;
  const bodies = { identity: Promise.resolve(html), gzip: gzipped(html, { level: 9 }), br };
  return { etag, bodies: bodies as Page["bodies"] };
}

/** The best encoding the client accepts (a q of 0 refuses one): brotli, then gzip, then none. */
export function chooseEncoding(acceptEncoding: string | null): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const acceptable = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (acceptable("br")) return "br";
  if (acceptable("gzip")) return "gzip";
  return "identity";
}

/** If-None-Match against a weak validator: weak comparison, as RFC 9110 asks of this header. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/** Yoga's own rule for a GraphiQL request: a GET for HTML at the GraphQL endpoint. */
function asksForGraphiQL(request: Request, url: URL, endpoint: string): boolean {
  return (
    request.method === "GET" &&
    !!request.headers.get("accept")?.includes("text/html") &&
    (url.pathname === endpoint || url.pathname === `${endpoint}/`)
  );
}

/**
 * Serves GraphiQL in Yoga's place (createYoga's `graphiql: false`). `no-cache`: a browser keeps the
 * page and asks each time whether it changed (a 304 of no body when not), so a new deploy's example
 * tabs show at once.
 */
export function useGraphiQLPage(options: GraphiQLOptions, endpoint = "/graphql"): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!asksForGraphiQL(request, url, endpoint)) return;
      return pageFor(options).then(async (page) => {
        const headers: Record<string, string> = {
          etag: page.etag,
          "cache-control": "no-cache",
          vary: "Accept-Encoding",
        };
        if (matches(request.headers.get("if-none-match"), page.etag)) {
          endResponse(new fetchAPI.Response(null, { status: 304, headers }));
          return;
        }
        const encoding = chooseEncoding(request.headers.get("accept-encoding"));
        const body = await page.bodies[encoding];
        if (encoding !== "identity") headers["content-encoding"] = encoding;
        headers["content-type"] = "text/html; charset=utf-8";
        headers["content-length"] = String(body.byteLength);
        endResponse(new fetchAPI.Response(body, { status: 200, headers }));
      });
    },
  };
}
