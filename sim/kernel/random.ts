// Seeded randomness as explicit, independent streams. A run has one seed; every purpose
// (arrivals, patience, talk times, one agent's answer delays, ...) gets its own stream,
// derived from the seed and the stream's name, so adding a stream or drawing more from one
// never shifts the numbers another stream produces, and a seed replays a run exactly.

import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** murmur3's 32-bit finalizer: a bijective mix, good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function hashString(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  return fmix32(h ^ s.length);
}

/** One stream of uniform numbers (xoroshiro128+ from pure-rand). */
export class RandomStream {
  constructor(private readonly gen: JumpableRandomGenerator) {}

  /** Uniform in [0, 1), 53 random bits. */
  next(): number {
    const hi = (this.gen.next() >>> 0) >>> 5; // 27 bits
    const lo = (this.gen.next() >>> 0) >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform in (0, 1): safe for logarithms. */
  nextOpen(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return u;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && (p >= 1 || this.next() < p);
  }

  /** A raw 32-bit unsigned draw (for deriving seeds). */
  uint32(): number {
    return this.gen.next() >>> 0;
  }
}

/** The family of streams of one run. */
export class RandomStreams {
  readonly seed: number;
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.seed = seed;
  }

  /** The stream for a purpose; the same name always gives the same sequence for a seed. */
  stream(name: string): RandomStream {
    const lo = this.seed % TWO_POW_32 | 0;
    const hi = Math.floor(this.seed / TWO_POW_32) | 0;
    const base = fmix32(lo ^ fmix32(hi ^ 0x5bd1e995));
    const state: number[] = [0, 1, 2, 3].map((k) => fmix32(hashString(name, base + k * 0x6a09e667) ^ (k * 0x3c6ef372)));
    if (!state.some((w) => w !== 0)) state[0] = 1;
    return new RandomStream(xoroshiro128plusFromState(state));
  }

  /** A seed for an independent replication `index` (0-based) of this run. */
  replicationSeed(index: number): number {
    const s = this.stream(`replication:${index}`);
    return (s.uint32() & 0x1fffff) * TWO_POW_32 + s.uint32();
  }
}
