import { randomBytes } from 'node:crypto';

// No 0/O, 1/I/L or U: an id read aloud or typed from a screenshot comes out right.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 5;
/** The largest multiple of the alphabet's size a byte can hold: bytes below it map evenly. */
const UNBIASED = 256 - (256 % ALPHABET.length);

/**
 * A short id people can say and type, like `L-7K3Q9` (30^5 ≈ 24 million; the store retries
 * collisions). Every character is equally likely: a byte from 240 up is drawn again, since 256 is
 * not a multiple of 30 and they would make the first 16 characters likelier (and collisions more so).
 */
export function newLeadId(random: (n: number) => Buffer = pooledRandomBytes): string {
  let id = '';
  while (id.length < LENGTH)
    for (const byte of random(LENGTH - id.length))
      if (byte < UNBIASED) id += ALPHABET[byte % ALPHABET.length];
  return `L-${id}`;
}

// Random bytes drawn 512 at a time, as Node's randomUUID does: one call into the system's generator
// per hundred ids instead of one per id (in a burst of leads, that call showed up in the profile).
let pool = Buffer.alloc(0);
let used = 0;

function pooledRandomBytes(n: number): Buffer {
  if (used + n > pool.length) {
    pool = randomBytes(Math.max(512, n));
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

/** `l-7k3q9`, `7K3Q9`, ` L-7K3Q9 ` → `L-7K3Q9`; anything that cannot be an id → undefined. */
export function normaliseLeadId(text: string): string | undefined {
  const match = /^(?:L-?)?([0-9A-Z]{5})$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const body = match[1].toUpperCase();
  return [...body].every((c) => ALPHABET.includes(c)) ? `L-${body}` : undefined;
}
