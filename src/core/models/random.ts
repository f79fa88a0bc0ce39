/** A seeded pseudo-random generator (mulberry32): same seed, same sequence, on every platform. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a shuffled copy of 0..n-1 (Fisher-Yates) drawn from `random`. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i += 1) indices[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const swap = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = swap;
  }
  return indices;
}
