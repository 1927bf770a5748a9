/**
 * mulberry32: a tiny seeded 32-bit generator returning floats in [0, 1). Every randomised test,
 * fuzz script and benchmark draws from it, so a printed seed replays the same run.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
