// Seeded randomness for the graph generator: one PRNG for the plan's structure, and independent
// per-row streams, so a row's details do not depend on how many draws came before it.

/** mulberry32: a tiny, fast 32-bit PRNG that can be seeded (Math.random cannot). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Murmur3's finaliser over two words: independent streams for (seed, purpose, row). */
export function mix(a: number, b: number): number {
  let h = Math.imul((a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export const rowRandom = (seed: number, salt: number, index: number) => mulberry32(mix(mix(seed, salt), index));
export const Salt = { name: 1, edge: 2, economy: 3, population: 4, retail: 5, revenue: 6, stemA: 7, stemB: 8 } as const;

/**
 * Index in [0, n) with P(i) roughly proportional to 1/(i+1)^s: inverse CDF of the continuous power
 * law on [1, n+1], O(1) per draw. s = 1 is Zipf's law; higher s makes the first few hubs bigger.
 */
export function zipf(u: number, n: number, s: number): number {
  const x = s === 1 ? Math.exp(u * Math.log(n + 1)) : (1 + u * ((n + 1) ** (1 - s) - 1)) ** (1 / (1 - s));
  return Math.min(n - 1, Math.max(0, Math.floor(x) - 1));
}

/** A seeded Fisher-Yates permutation of 0..length-1. */
export function shuffle(random: () => number, length: number): Int32Array {
  const order = Int32Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
