/**
 * Position of (x, y) on a Hilbert curve over a 2^16 × 2^16 grid. Graph nodes are numbered in this order so that
 * nodes close on the ground sit close in memory, which keeps a search's working set in cache.
 */
export function hilbertIndex(x: number, y: number): number {
  let rx: number;
  let ry: number;
  let d = 0;
  for (let s = 1 << 15; s > 0; s >>>= 1) {
    rx = (x & s) > 0 ? 1 : 0;
    ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}
