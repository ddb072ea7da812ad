// The graph explorer (web/) at `/`: the files `npm run web:build` left in web/dist, read once, each
// sent as its brotli or gzip copy when the browser takes one. Hashed assets are cached for a year;
// the page itself is revalidated by its ETag, so a new build is picked up on the next visit. The page
// may talk to this origin only (Content-Security-Policy): no CDN, no tile server, no third party.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import { loadManifest, type Manifest } from "../operations/manifest.js";

export const explorerDir = join(import.meta.dirname, "..", "..", "web", "dist");

const types: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  map: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
};

const policy = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  // Colours of kinds are set per element (style attributes).
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface ServedFile {
  type: string;
  etag: string;
  immutable: boolean;
  bodies: { br?: Buffer; gzip?: Buffer; identity: Buffer };
}

function readBuild(dir: string): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>();
  const walk = (at: string): string[] =>
    readdirSync(at).flatMap((name) =>
      statSync(join(at, name)).isDirectory() ? walk(join(at, name)) : [join(at, name)],
    );
  for (const file of walk(dir)) {
    if (/\.(br|gz)$/.test(file)) continue;
    const extension = file.slice(file.lastIndexOf(".") + 1);
    const identity = readFileSync(file);
    const copy = (suffix: string) => (existsSync(file + suffix) ? readFileSync(file + suffix) : undefined);
    files.set(`/${relative(dir, file).split(sep).join("/")}`, {
      type: types[extension] ?? "application/octet-stream",
      etag: `"${createHash("sha256").update(identity).digest("base64url").slice(0, 22)}"`,
      immutable: relative(dir, file).startsWith("assets"),
      bodies: { identity, br: copy(".br"), gzip: copy(".gz") },
    });
  }
  return files;
}

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Explorer not built</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto"><h1>The explorer is not built</h1>
<p>This server was installed without the explorer's build tools. Run <code>npm run web:build</code> and restart,
or use the API directly in <a href="/graphql">GraphiQL</a>.</p></body></html>`;

function encodingFor(accept: string, file: ServedFile): "br" | "gzip" | "identity" {
  const offered = accept.toLowerCase();
  if (file.bodies.br && /\bbr\b/.test(offered)) return "br";
  if (file.bodies.gzip && /\bgzip\b/.test(offered)) return "gzip";
  return "identity";
}

// Read once per process and folder: every server made in it (tests make hundreds) shares the files.
const builds = new Map<string, Map<string, ServedFile> | null>();

/** Serves the explorer at `/` and its assets; everything else goes on to the API. */
export function useExplorer(dir = explorerDir): Plugin {
  let files = builds.get(dir);
  if (files === undefined) builds.set(dir, (files = existsSync(join(dir, "index.html")) ? readBuild(dir) : null));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== "GET" && request.method !== "HEAD") return;
      const path = url.pathname === "/" ? "/index.html" : url.pathname;
      if (path !== "/index.html" && !path.startsWith("/assets/")) return;
      if (!files) {
        const status = path === "/index.html" ? 503 : 404;
        endResponse(new fetchAPI.Response(notBuilt, { status, headers: { "content-type": types.html! } }));
        return;
      }
      const file = files.get(path);
      if (!file) {
        endResponse(new fetchAPI.Response("Not found", { status: 404, headers: { "content-type": "text/plain" } }));
        return;
      }
      const headers: Record<string, string> = {
        "content-type": file.type,
        etag: file.etag,
        vary: "Accept-Encoding",
        "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
        "x-content-type-options": "nosniff",
      };
      if (file.type.startsWith("text/html")) headers["content-security-policy"] = policy;
      if (request.headers.get("if-none-match") === file.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const encoding = encodingFor(request.headers.get("accept-encoding") ?? "", file);
      if (encoding !== "identity") headers["content-encoding"] = encoding;
      const body = file.bodies[encoding]!;
      headers["content-length"] = String(body.length);
      endResponse(new fetchAPI.Response(request.method === "HEAD" ? null : new Uint8Array(body), { headers }));
    },
  };
}

/** The explorer's operations, for the persisted-operations manifest: none when it is not built, or
 * when its build no longer matches the schema (then it says so, and the explorer's requests fail
 * until it is rebuilt, rather than the whole server refusing to start). */
export function explorerManifest(schema: GraphQLSchema, warn: (message: string) => void, dir = explorerDir): Manifest {
  try {
    return loadManifest(schema, { path: join(dir, "persisted-documents.json"), required: false });
  } catch (error) {
    warn(`The explorer's operations no longer match the schema; run \`npm run web:build\`. ${String(error)}`);
    return new Map();
  }
}
