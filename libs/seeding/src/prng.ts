import { createHash } from 'node:crypto';

/** A stateless 32-bit integer mix (murmur3 finaliser): row index -> well-spread pseudo-random bits. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** next, int and range over a source of 32-bit integers: one definition for both generators below. */
abstract class Draws {
  abstract nextUint32(): number;

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** An integer in [min, max], both included. */
  range(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

/** A fast seeded pseudo-random source (sfc32) for compile-time choices (permutations); not for secrets. */
export class Prng extends Draws {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(words: readonly [number, number, number, number]) {
    super();
    [this.a, this.b, this.c, this.d] = words;
    // Warm up so that close seeds diverge before the first value is used.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
}

/**
 * Derives independent 128 bits of seed material from (seed, parts...). Hashing the table name and chunk
 * index with the run's seed is what lets tables and chunks be generated in any order, or in parallel,
 * and still come out byte-identical.
 */
export function deriveWords(seed: number, ...parts: (string | number)[]): [number, number, number, number] {
  const digest = createHash('sha256')
    .update(`shipgate-seed\0${seed}\0${parts.join('\0')}`)
    .digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/** A 32-bit seed for a faker instance, derived like deriveWords. */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  return deriveWords(seed, ...parts)[0];
}

/** A PRNG seeded from (seed, parts...). */
export function prngFor(seed: number, ...parts: (string | number)[]): Prng {
  return new Prng(deriveWords(seed, ...parts));
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * An affine bijection of [0, size): k -> (k * m + offset) mod size with gcd(m, size) = 1. Used to spread
 * ranks over parent ids and to enumerate a finite generator's values without repeats, holding no set.
 */
export function affinePermutation(size: number, rng: Prng): (k: number) => number {
  if (size <= 1) return () => 0;
  // Keep m below 2^20 so that k * m stays exact in a double for any size below 2^33.
  let m = 1 + (rng.nextUint32() % Math.min(size - 1, 1 << 20));
  while (gcd(m, size) !== 1) m = m + 1 >= size ? 1 : m + 1;
  const offset = rng.nextUint32() % size;
  return (k) => (k * m + offset) % size;
}

/** What a column generator draws its numbers from. */
export interface RandomSource {
  /** An unsigned 32-bit integer. */
  nextUint32(): number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, max). */
  int(max: number): number;
  /** An integer in [min, max], both included. */
  range(min: number, max: number): number;
}

/**
 * A 32-bit seed for one cell (salt, index): two rounds of mix32, a bijection of the index for a fixed salt,
 * so distinct rows never share a seed. This is what makes every value a pure function of (seed, table,
 * column, row): any row can be made again alone, in any order, e.g. when a child reads its parent.
 */
export function cellSeed(salt: number, index: number): number {
  return mix32((salt ^ mix32((index ^ 0x9e3779b9) >>> 0)) >>> 0);
}

/** A uniform float in [0, 1) for (salt, index), without a generator: one draw per cell. */
export function cellUniform(salt: number, index: number): number {
  return cellSeed(salt, index) / 4294967296;
}

/**
 * The per-cell random source (mulberry32): re-seeded for each (column, row) in O(1), where the chunk-wide
 * sfc32 stream it replaces made a row's values depend on every row before it in its chunk.
 */
export class CellRandom extends Draws implements RandomSource {
  private state = 0;

  reset(seed: number): void {
    this.state = seed | 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), this.state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
