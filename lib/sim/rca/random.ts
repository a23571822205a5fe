// A seeded random source for the RCA scenario generator: the same seed gives the same fleet,
// faults and traffic on every machine (pure-rand's xoroshiro128+).
import prand from 'pure-rand';

export class Rng {
  private readonly generator: prand.RandomGenerator;

  constructor(seed: number) {
    this.generator = prand.xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return (this.generator.unsafeNext() >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A positive duration around `median` with a long right tail (log-normal, σ = `spread`). */
  lognormal(median: number, spread = 0.35): number {
    // Box–Muller; 1 − next() keeps the logarithm finite.
    const z = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(spread * z);
  }

  /** Hex text of `bytes` random bytes. */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i += 4) out += (this.generator.unsafeNext() >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, bytes * 2);
  }
}
