/**
 * The last `limit` bytes of a stream of chunks. Memory stays bounded whatever the check prints:
 * chunks wholly older than the tail are dropped as they arrive, the oldest kept one is sliced.
 */
export class TailBuffer {
  #chunks: Buffer[] = [];
  /** Index of the oldest kept chunk: dropping from the front must not shift the array each time. */
  #head = 0;
  #size = 0;
  #total = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 4)
      throw new RangeError('A tail buffer keeps at least 4 bytes (one UTF-8 character)');
  }

  /** Bytes seen in all. */
  get total(): number {
    return this.#total;
  }

  /** Some bytes were dropped from the front. */
  get truncated(): boolean {
    return this.#total > this.#size;
  }

  /** Appends a chunk, dropping what falls out of the tail. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#total += chunk.length;
    if (chunk.length >= this.limit) {
      // A copy, so the big chunk itself can be collected.
      this.#chunks = [Buffer.from(chunk.subarray(chunk.length - this.limit))];
      this.#head = 0;
      this.#size = this.limit;
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size - this.#chunks[this.#head]!.length >= this.limit) {
      this.#size -= this.#chunks[this.#head]!.length;
      this.#head++;
    }
    if (this.#size > this.limit) {
      const first = this.#chunks[this.#head]!;
      this.#chunks[this.#head] = first.subarray(this.#size - this.limit);
      this.#size = this.limit;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * The tail as text: a cut through a multi-byte character at the front is moved forward to the
   * next character; bytes that are not UTF-8 show as U+FFFD.
   */
  text(): string {
    let bytes = Buffer.concat(this.#chunks.slice(this.#head), this.#size);
    if (this.truncated) {
      let start = 0;
      // Continuation bytes are 10xxxxxx; a character has at most three of them.
      while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  }
}
