/**
 * Lead ids by a 30-bit hash of a key (a fingerprint, an e-mail): a small integer per entry instead
 * of the key's own string, so all history fits in a few megabytes. A hash can be shared, so a hit
 * is only a candidate: the caller checks the lead itself.
 */
export class HashedIds {
  private readonly ids = new Map<number, string | string[]>();

  /** The ids under a hash `hashKey` made (the caller has it already). */
  getHashed(h: number): string[] {
    const ids = this.ids.get(h);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  add(key: string, id: string): void {
    this.addHashed(hash(key), id);
  }

  /** Adds by a hash `hashKey` made (a month's index file keeps the hashes, not the keys). */
  addHashed(h: number, id: string): void {
    const ids = this.ids.get(h);
    if (ids === undefined) this.ids.set(h, id);
    else if (typeof ids === 'string') {
      if (ids !== id) this.ids.set(h, [ids, id]);
    } else if (!ids.includes(id)) ids.push(id);
  }

  remove(key: string, id: string): void {
    const h = hash(key);
    const ids = this.ids.get(h);
    if (ids === id) this.ids.delete(h);
    else if (Array.isArray(ids)) {
      const rest = ids.filter((other) => other !== id);
      if (rest.length === 1) this.ids.set(h, rest[0] as string);
      else this.ids.set(h, rest);
    }
  }
}

/** FNV-1a over the UTF-16 code units, cut to 30 bits (a V8 small integer: no heap number per key). */
export const HASH_NAME = 'fnv1a-30';

export function hashKey(key: string): number {
  return hash(key);
}

function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & 0x3fffffff;
}
