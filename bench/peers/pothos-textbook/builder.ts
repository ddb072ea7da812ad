// The builder as the Pothos docs set it up: plugin-relay and plugin-prisma with the generated types
// and datamodel, default options. No types are defined here.
import SchemaBuilder from "@pothos/core";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import type PrismaTypes from "../../../src/generated/pothos-types.js";
import { getDatamodel } from "../../../src/generated/pothos-types.js";
import type { Context } from "./context.js";

export const builder = new SchemaBuilder<{ Context: Context; PrismaTypes: PrismaTypes }>({
  plugins: [RelayPlugin, PrismaPlugin],
  relay: {},
  // Not a plugin of this builder: its option is required only because src/ loads plugin-scope-auth's
  // global types into the same TypeScript program. It is ignored at run time.
  scopeAuth: { authScopes: () => ({}) },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
  },
});

builder.queryType({});
