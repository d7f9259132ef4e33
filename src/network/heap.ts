/**
 * A binary min-heap of (key, value) pairs in typed arrays, with lazy deletion: a search pushes a node again
 * when its distance improves and skips stale entries when they surface. No objects are made per push.
 */
export class MinHeap {
  private keys: Float64Array;
  private values: Uint32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.values = new Uint32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent];
      if (parentKey <= key) break;
      keys[i] = parentKey;
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  peekKey(): number {
    return this.keys[0];
  }

  peekValue(): number {
    return this.values[0];
  }

  /** Removes the minimum; read it first with peekKey/peekValue. */
  pop(): void {
    const keys = this.keys;
    const values = this.values;
    const last = --this.size;
    if (last <= 0) return;
    const key = keys[last];
    const value = values[last];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let childKey = keys[child];
      const right = child + 1;
      if (right < last && keys[right] < childKey) {
        child = right;
        childKey = keys[right];
      }
      if (childKey >= key) break;
      keys[i] = childKey;
      values[i] = values[child];
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const values = new Uint32Array(this.values.length * 2);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}
