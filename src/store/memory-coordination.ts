import type { Coordination, Send } from '../leads/store.js';

/** Sends older than this count toward no Teams window (the longest is 1800 per hour). */
export const SEND_HORIZON_MS = 3_600_000;

/**
 * Leases for one process: enough where only one process uses the store (the embedded store holds
 * DATA_DIR's lock; the in-memory store is one process by nature). A lease still expires, so a
 * holder that stops renewing (a stuck worker) is replaced as it would be on a shared store.
 */
export class MemoryLeases implements Pick<Coordination, 'acquireLease' | 'releaseLease'> {
  private readonly leases = new Map<string, { holder: string; until: number }>();

  async acquireLease(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const current = this.leases.get(name);
    if (current && current.holder !== holder && current.until > now.getTime()) return false;
    this.leases.set(name, { holder, until: now.getTime() + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }
}

/** All of Coordination in memory: for the in-memory store and the bench's baseline. */
export class MemoryCoordination extends MemoryLeases implements Coordination {
  private readonly checkpoints = new Map<string, string>();
  private sends: Send[] = [];

  async getCheckpoint(name: string): Promise<string | undefined> {
    return this.checkpoints.get(name);
  }

  async setCheckpoint(name: string, value: string): Promise<void> {
    this.checkpoints.set(name, value);
  }

  async recordSend(send: Send): Promise<void> {
    this.sends.push({ ...send });
    // Kept short: once it holds far more than an hour at full speed could, drop what has aged out.
    if (this.sends.length > 50_000) this.sends = this.sends.filter((s) => send.at - s.at < SEND_HORIZON_MS);
  }

  async recentSends(since: number): Promise<Send[]> {
    return oldestFirst(this.sends.filter((s) => s.at >= since).map((s) => ({ ...s })));
  }
}

/** Sends are recorded nearly in order; a sort keeps "oldest first" true when two raced. */
export function oldestFirst(sends: Send[]): Send[] {
  return sends.sort((a, b) => a.at - b.at);
}
