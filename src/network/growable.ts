type TypedArrayConstructor<T> = { new (length: number): T };

/** An append-only typed array that doubles its capacity; `view()` returns the filled part without copying. */
export class Growable<T extends Float64Array | Uint32Array | Int32Array | Uint8Array> {
  private data: T;
  length = 0;
  constructor(
    private readonly Type: TypedArrayConstructor<T>,
    initialCapacity = 1024,
  ) {
    this.data = new Type(initialCapacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }
  get(index: number): number {
    return this.data[index];
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
  /** A compact copy, so the doubled capacity is released. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
  private grow(): void {
    const next = new this.Type(this.data.length * 2);
    (next as unknown as { set(a: T): void }).set(this.data);
    this.data = next;
  }
}
