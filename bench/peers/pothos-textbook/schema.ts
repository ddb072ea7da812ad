// The schema: each module adds its types and root fields to the builder.
import { builder } from "./builder.js";
import "./entity.js";
import "./exploration.js";
import "./search.js";

export const schema = builder.toSchema();
