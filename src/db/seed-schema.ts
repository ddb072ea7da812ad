// The seed bundle's shape: the seed is a bundle (src/bundle/), and its rows are the bundle's rows.
import type { Bundle } from "../bundle/schema.js";
import {
  entityRow,
  indicatorRow,
  observationRow,
  policyFigureRow,
  rankingRow,
  relationshipRow,
  relationTypeRow,
  sourceRow,
} from "../bundle/schema.js";

export { entityRow, indicatorRow, observationRow, policyFigureRow, rankingRow, relationshipRow, relationTypeRow, sourceRow };

export const seedFiles = {
  sources: { file: "sources.json", row: sourceRow },
  relationTypes: { file: "relation-types.json", row: relationTypeRow },
  entities: { file: "entities.json", row: entityRow },
  relationships: { file: "relationships.json", row: relationshipRow },
  indicators: { file: "indicators.json", row: indicatorRow },
  observations: { file: "observations.json", row: observationRow },
  rankings: { file: "rankings.json", row: rankingRow },
  policyFigures: { file: "policy-figures.json", row: policyFigureRow },
} as const;

export type SeedBundle = Bundle;
