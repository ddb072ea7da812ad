// CSRF prevention (@graphql-yoga/plugin-csrf-prevention): a request a browser could send from any
// page without a CORS preflight (a GET, or a POST of a form or text/plain) must carry a header only
// a script allowed by CORS can set. JSON POSTs are preflighted already. Tokens travel in headers,
// never cookies, so this guards against misuse of a browser's network position, not of a session.
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Any of them proves a preflight took place: clients' own (Yoga, Apollo) and Authorization. */
export const preflightHeaders = [
  "x-graphql-yoga-csrf",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "graphql-preflight",
  "authorization",
];

export function useCsrfPrevention(): Plugin {
  const plugin = useCSRFPrevention({ requestHeaders: preflightHeaders });
  return {
    onRequestParse(payload) {
      try {
        return plugin.onRequestParse?.(payload);
      } catch {
        // The plugin's error has no code and no hint; ours says what to send.
        throw new GraphQLError(
          `A GET request, or a POST that is not JSON, needs one of these headers: ${preflightHeaders.join(", ")} (e.g. "x-graphql-yoga-csrf: 1"), so that no other web page can send it from a visitor's browser.`,
          { extensions: { code: "CSRF_HEADER_REQUIRED", http: { status: 403 } } },
        );
      }
    },
  };
}
