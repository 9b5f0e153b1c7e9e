// prng.mjs - a small seeded generator (mulberry32) for the tests that walk at
// random (the money walk, the crash test's customers): the same seed walks the
// same way, so a failure can be walked again.

/** next() in [0, 1), int(lo, hi) inclusive, pick(list), chance(p), and
 * weighted([[weight, value], ...]). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const weighted = (table) => {
    let r = next() * table.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1][1];
  };
  return { next, int, pick: (list) => list[int(0, list.length - 1)], chance: (p) => next() < p, weighted };
}
