import { defineConfig } from "vite";

// The explorer is served by the GraphQL server itself at `/` (src/http/explorer.ts), so it needs no
// base path and no proxy: the API is `/graphql` on the same origin. `npm run web:dev` proxies to a
// server started with `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/graphql": "http://localhost:4000" } },
  worker: { format: "es" },
});
