// The generated graph's sizes and plan: the types plan.ts draws and series.ts reads, apart so
// neither imports the other for them.

export interface GraphSizes {
  entities: number;
  relationships: number;
  observations: number;
  seed: number;
}

export interface GraphPlan {
  sizes: GraphSizes;
  keyPrefix: string;
  counts: number[];
  kindStart: number[];
  /** Global entity index -> its rank by prominence within its kind (0 = the biggest hub). */
  prominence: Int32Array;
  edges: { template: Uint8Array; from: Int32Array; to: Int32Array };
  series: { entity: Int32Array; indicator: Uint8Array; length: Uint8Array };
  stems: { length: number; space: number; a: number; b: number };
  keyWidth: number;
}
