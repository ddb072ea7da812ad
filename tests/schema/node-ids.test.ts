// Every object's global id is answered at once (src/schema/node-ids.ts), and is the id the Relay
// plugin would answer: base64 of "Type:key". Should a Pothos upgrade change how ids are resolved,
// this says the shortcut no longer applies instead of letting every id become a promise again.
import { isObjectType } from "graphql";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { describe, expect, it } from "vitest";
import { encodeGlobalId } from "../../src/global-id.js";
import { schema } from "../../src/schema/index.js";

const nodeTypes = Object.values(schema.getTypeMap()).filter(
  (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node"),
);

describe("global ids", () => {
  it("every type with an id has one", () => {
    expect(nodeTypes.map((type) => type.name)).toEqual(expect.arrayContaining(["City", "Observation", "Source"]));
  });

  it.each(nodeTypes.map((type) => [type.name]))("%s answers its id at once, as base64 of Type:key", (name) => {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`${name} is not an object type`);
    const row = name === "Change" ? { id: 42, key: "unused" } : { id: 42, key: "chongqing" };
    const id = type.getFields().id!.resolve!(row, {}, {}, {} as never);
    const raw = name === "Change" ? "42" : "chongqing";
    expect(id).toBe(Buffer.from(`${name}:${raw}`).toString("base64"));
  });
});

// `encodeGlobalId` takes `btoa` for ASCII keys: the same text as the plugin's Buffer for every key.
describe("encodeGlobalId", () => {
  const keys = [
    "chongqing",
    "obs-1-guangzhou-gdp-2023-q1",
    "42",
    "a:b:c",
    "~!@#$%^&*()_+`-={}|[]\\;'\",./<>?",
    "\u007f\u0001 tab\tnewline\n",
    "重庆",
    "café",
    "ÿ",
    "\u0080",
    "mixed-重庆-ascii",
    "emoji-🚗",
    "",
  ];

  it.each(keys.map((key) => [key]))("%j is encoded as plugin-relay encodes it", (key) => {
    for (const type of ["City", "Observation", "Relationship"]) {
      expect(encodeGlobalId(type, key)).toBe(encodeGlobalID(type, key));
      expect(encodeGlobalId(type, key)).toBe(Buffer.from(`${type}:${key}`).toString("base64"));
    }
  });

  it("every character up to U+00FF, alone in a key", () => {
    for (let code = 0; code <= 0xff; code++) {
      const key = `k${String.fromCharCode(code)}k`;
      expect(encodeGlobalId("City", key)).toBe(encodeGlobalID("City", key));
    }
  });
});
