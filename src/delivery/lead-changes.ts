import type { LeadChanges } from '../leads/changes.js';

export interface LeadChangesDeps {
  /** New cards, card updates, a new owner's notice or repeats to announce are due (the outbox). */
  kickCards(): void;
  /** The lead events owe something (each endpoint on its own timers). */
  kickEvents(): void;
}

/**
 * The one place a change reaches the world. What a change owes Teams (every posted card's update,
 * the new owner's notice) was saved with it (leads/changes.ts `owingTeams`), so this only wakes
 * the outbox and the event senders: nobody who changed a lead waits for Teams.
 */
export function leadChanges(deps: LeadChangesDeps): LeadChanges {
  return {
    changed() {
      deps.kickCards();
      deps.kickEvents();
    },
    received() {
      deps.kickCards();
      deps.kickEvents();
    },
  };
}
