// Randomness helpers. All sandbox randomness flows through one injectable `Random` so tests
// can make fault decisions and confirmation numbers deterministic.

export type Random = () => number;

/** True with the given probability (0..1). A rate of 0 never fires, 1 always fires. */
export function chance(random: Random, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  return random() < rate;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick() from an empty list");
  const index = Math.min(items.length - 1, Math.floor(random() * items.length));
  return items[index] as T;
}

export function intBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

export function randomCode(random: Random, length: number, alphabet = CODE_ALPHABET): string {
  let out = "";
  for (let i = 0; i < length; i++) out += pick(random, alphabet.split(""));
  return out;
}

export function randomDigits(random: Random, length: number): string {
  return randomCode(random, length, "0123456789");
}

export function randomLetters(random: Random, length: number): string {
  return randomCode(random, length, LETTERS);
}

/** Small deterministic PRNG (mulberry32), used for stable seed data. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
