/** Typed array that grows by doubling, so a million rows cost a few allocations, not a million objects. */
export class GrowableArray<T extends Float64Array | Int32Array | Int8Array> {
  #data: T;
  #length = 0;

  constructor(readonly create: (capacity: number) => T) {
    this.#data = create(1024);
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = this.create(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length] = value;
    this.#length += 1;
  }

  /** Returns the filled part without copying; valid until the next push. */
  view(): T {
    return this.#data.subarray(0, this.#length) as T;
  }

  /** Copies the kept entries, in order, into an array of exactly the kept length. */
  compact(keep: Uint8Array, keptCount: number): T {
    const result = this.create(keptCount);
    let target = 0;
    for (let index = 0; index < this.#length; index += 1) {
      if (keep[index]) {
        result[target] = this.#data[index]!;
        target += 1;
      }
    }
    return result;
  }
}

export const float64s = (): GrowableArray<Float64Array> => new GrowableArray((size) => new Float64Array(size));
export const int32s = (): GrowableArray<Int32Array> => new GrowableArray((size) => new Int32Array(size));
export const int8s = (): GrowableArray<Int8Array> => new GrowableArray((size) => new Int8Array(size));

/** Column of strings stored as codes into a dictionary of distinct values; -1 is missing. */
export class DictionaryColumn {
  readonly codes = int32s();
  readonly dictionary: string[] = [];
  readonly #codeOf = new Map<string, number>();

  push(value: string | undefined): void {
    if (value === undefined) {
      this.codes.push(-1);
      return;
    }
    let code = this.#codeOf.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.#codeOf.set(value, code);
    }
    this.codes.push(code);
  }
}
