import { LEAD_ASSISTANT } from '../leads/auto-assign.js';
import type { ChangeEffects, LeadChanges } from '../leads/changes.js';
import type { Lead } from '../leads/lead.js';

export interface LeadChangesDeps<Notice> {
  /** Brings every posted copy of the lead's card up to date (the outbox: durable, paced, retried). */
  refreshCards(lead: Lead, notice?: Notice): Promise<void>;
  /** New cards (or repeats) are due. */
  kickCards(): void;
  /** The lead events owe something (each endpoint on its own timers). */
  kickEvents(): void;
  /** Tells a new owner in a personal chat; false when Teams would not let us. */
  tellNewOwner(lead: Lead, by: string): Promise<boolean>;
  /** What the cards say, for everyone, when the new owner could not be told. */
  ownerNotTold(lead: Lead): Notice;
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The one place a change reaches the world: the new owner's personal notice, every posted card,
 * the lead events. The domain says what changed (leads/changes.ts); this decides how it goes out.
 */
export function leadChanges<Notice>(deps: LeadChangesDeps<Notice>): LeadChanges {
  return {
    async changed({ lead, verb, by }): Promise<ChangeEffects> {
      const told = verb === 'assign' ? await deps.tellNewOwner(lead, by.name) : true;
      deps.kickEvents();
      await deps.refreshCards(lead, told ? undefined : deps.ownerNotTold(lead));
      return told ? {} : { ownerNotTold: true };
    },
    received() {
      deps.kickCards();
      deps.kickEvents();
    },
    assignedOnArrival(lead) {
      void deps.tellNewOwner(lead, LEAD_ASSISTANT.name).then(
        (told) => {
          if (!told)
            deps.warn?.('the new owner of an automatically assigned lead could not be told', {
              lead: lead.id,
            });
        },
        (error: unknown) =>
          deps.warn?.('telling the automatically chosen owner failed', {
            lead: lead.id,
            error: String(error),
          }),
      );
    },
  };
}
