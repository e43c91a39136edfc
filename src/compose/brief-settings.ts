// Installations and routing read again at most every few seconds where a slightly old answer does
// no harm: the outbox and the views it renders (where to post, the Assign list on a card) and
// intake (which channel a new lead goes to). On Azure each was a billed read per card and per lead.
//
// Two faces of one store share the cache: `briefly` serves those reads from it; `fresh` (the door,
// the bot's handlers, rosters: every access decision and every read-modify-write of these rows)
// always reads the store, and its writes empty the cache, so this instance sees its own changes at
// once. Another instance's change is seen here up to BRIEF_MS later: a card posted meanwhile goes
// where the team was (Teams refuses it if the bot left: it is retried as any refused card), a lead
// received meanwhile is routed as it would have been a moment before. A missing installation is
// never kept, so a team just installed is never taken for one that is not.
import type { LeadStore } from '../leads/store.js';

export const BRIEF_MS = 5_000;

const WRITES = new Set<PropertyKey>(['putInstallation', 'removeInstallation', 'setRouting']);

export function briefSettings(store: LeadStore, ttlMs = BRIEF_MS, clock: () => number = Date.now) {
  const kept = new Map<string, { at: number; value: Promise<unknown> }>();
  let generation = 0; // a read that began before a write is not kept after it
  const forget = () => {
    generation++;
    kept.clear();
  };
  /** One read for everyone asking at once (a burst of leads), kept if still current when answered. */
  const remember = <T>(key: string, read: () => Promise<T>, keep: (value: T) => boolean): Promise<T> => {
    const hit = kept.get(key);
    if (hit && clock() - hit.at < ttlMs) return hit.value as Promise<T>;
    const began = generation; // a write since empties the map and moves this on: never kept then
    const entry = { at: clock(), value: read() as Promise<unknown> };
    kept.set(key, entry);
    const drop = () => {
      if (kept.get(key) === entry) kept.delete(key);
    };
    entry.value.then((answer) => {
      if (began !== generation || !keep(answer as T)) drop();
    }, drop);
    return entry.value as Promise<T>;
  };
  // A Proxy, not a copy of the 40-method contract: every other call goes to the store unchanged.
  const face = (cached: boolean): LeadStore =>
    new Proxy(store, {
      get(target, key) {
        const member = Reflect.get(target, key, target);
        if (typeof member !== 'function') return member;
        if (WRITES.has(key))
          return async (...args: unknown[]) => {
            forget();
            try {
              return await member.apply(target, args);
            } finally {
              forget();
            }
          };
        if (cached && key === 'getInstallation')
          return (teamId: string) =>
            remember(
              `installation ${teamId}`,
              () => store.getInstallation(teamId),
              (i) => i !== undefined,
            );
        // Whether a team gives leads out automatically (intake only): the turn itself is always a
        // conditional write on the stored settings, which decides again whether it is on.
        if (key === 'updateAutoAssign')
          // A turn taken, or a manager's change: this team's answer is read again (the others kept).
          return async (teamId: string, ...rest: unknown[]) => {
            kept.delete(`autoassign ${teamId}`);
            try {
              return await member.apply(target, [teamId, ...rest]);
            } finally {
              kept.delete(`autoassign ${teamId}`);
            }
          };
        if (cached && key === 'getAutoAssign')
          return (teamId: string) =>
            remember(
              `autoassign ${teamId}`,
              () => store.getAutoAssign(teamId),
              () => true,
            );
        if (cached && key === 'getRouting')
          return () =>
            remember(
              'routing',
              () => store.getRouting(),
              () => true,
            );
        return member.bind(target);
      },
    });
  return { briefly: face(true), fresh: face(false) };
}
