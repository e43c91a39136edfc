// A closed month's ids, and the hashes of its fingerprints and e-mails, as its index file gives
// them, held in sorted typed arrays instead of map entries: about 40 bytes a lead instead of
// about 130, which is most of the memory history costs at a million leads. Never changed after
// it is made: a closed month's leads keep their month, and a lead is never deleted.
import { hashKey } from './hashed-ids.js';

export class ClosedMonthIds {
  private constructor(
    readonly month: string,
    /** The month's ids, in its index file's order. */
    private readonly ids: string[],
    private readonly byId: SortedPairs,
    private readonly byFingerprint: SortedPairs,
    private readonly byEmail: SortedPairs,
  ) {}

  /**
   * From an index file's arrays (checked by the caller): `fingerprints[i]` and `emails[i]` are
   * the hashes of `ids[i]`'s fingerprints (a number or several) and e-mail (-1: none).
   */
  static of(
    month: string,
    ids: string[],
    fingerprints: Array<number | number[]>,
    emails: number[],
  ): ClosedMonthIds {
    const byId = new PairsBuilder(ids.length);
    for (const [i, id] of ids.entries()) byId.add(hashKey(id), i);
    const byFingerprint = new PairsBuilder(ids.length);
    for (const [i, hashes] of fingerprints.entries())
      if (typeof hashes === 'number') byFingerprint.add(hashes, i);
      else for (const h of hashes) byFingerprint.add(h, i);
    const byEmail = new PairsBuilder(ids.length);
    for (const [i, h] of emails.entries()) if (h >= 0) byEmail.add(h, i);
    return new ClosedMonthIds(month, ids, byId.sorted(), byFingerprint.sorted(), byEmail.sorted());
  }

  get size(): number {
    return this.ids.length;
  }

  /** Whether the month holds this id (`hash`: its hashKey, when the caller has it). */
  has(id: string, hash = hashKey(id)): boolean {
    return this.byId.positions(hash).some((i) => this.ids[i] === id);
  }

  /** The ids whose fingerprint hashes as this hash (candidates: check each). */
  withFingerprint(hash: number): string[] {
    return this.byFingerprint.positions(hash).map((i) => this.ids[i] as string);
  }

  /** The ids whose e-mail hashes as this hash (candidates: check each). */
  withEmail(hash: number): string[] {
    return this.byEmail.positions(hash).map((i) => this.ids[i] as string);
  }
}

/** Positions packed below a 30-bit hash in a double (below 2^52: exact). */
const POSITIONS = 2 ** 22;

/** (hash, position) pairs, each packed into one number and sorted natively (no comparator, no tuples). */
class PairsBuilder {
  private packed: Float64Array;
  private count = 0;

  constructor(expected: number) {
    this.packed = new Float64Array(Math.max(expected, 1));
  }

  add(hash: number, at: number): void {
    if (at >= POSITIONS)
      throw new RangeError(`A month of more than ${POSITIONS} leads cannot be indexed so.`);
    if (this.count === this.packed.length) {
      const grown = new Float64Array(this.packed.length * 2);
      grown.set(this.packed);
      this.packed = grown;
    }
    this.packed[this.count++] = hash * POSITIONS + at;
  }

  sorted(): SortedPairs {
    const packed = this.packed.subarray(0, this.count).sort();
    const hashes = new Uint32Array(this.count);
    const at = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const pair = packed[i] ?? 0;
      const hash = Math.floor(pair / POSITIONS);
      hashes[i] = hash;
      at[i] = pair - hash * POSITIONS;
    }
    return new SortedPairs(hashes, at);
  }
}

/** (hash, position) pairs sorted by hash: the positions of a hash by binary search. */
class SortedPairs {
  constructor(
    private readonly hashes: Uint32Array,
    private readonly at: Uint32Array,
  ) {}

  positions(hash: number): number[] {
    const found: number[] = [];
    for (let i = firstAtLeast(this.hashes, hash); this.hashes[i] === hash; i++) found.push(this.at[i] ?? 0);
    return found;
  }
}

/** The first index of an ascending array whose value is at least `value` (its length if none). */
export function firstAtLeast(sorted: Uint32Array, value: number): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
