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
    const fpPairs: Array<[number, number]> = [];
    for (const [i, hashes] of fingerprints.entries()) for (const h of [hashes].flat()) fpPairs.push([h, i]);
    const emailPairs: Array<[number, number]> = [];
    for (const [i, h] of emails.entries()) if (h >= 0) emailPairs.push([h, i]);
    return new ClosedMonthIds(
      month,
      ids,
      SortedPairs.of(ids.map((id, i) => [hashKey(id), i])),
      SortedPairs.of(fpPairs),
      SortedPairs.of(emailPairs),
    );
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.byId.positions(hashKey(id)).some((i) => this.ids[i] === id);
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

/** (hash, position) pairs sorted by hash: the positions of a hash by binary search. */
class SortedPairs {
  private constructor(
    private readonly hashes: Uint32Array,
    private readonly at: Uint32Array,
  ) {}

  static of(pairs: Array<[number, number]>): SortedPairs {
    pairs.sort((a, b) => a[0] - b[0]);
    return new SortedPairs(
      Uint32Array.from(pairs, (p) => p[0]),
      Uint32Array.from(pairs, (p) => p[1]),
    );
  }

  positions(hash: number): number[] {
    let [low, high] = [0, this.hashes.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.hashes[middle] ?? 0) < hash) low = middle + 1;
      else high = middle;
    }
    const found: number[] = [];
    for (let i = low; i < this.hashes.length && this.hashes[i] === hash; i++) found.push(this.at[i] ?? 0);
    return found;
  }
}
