import { owingTeams } from '../leads/changes.js';
import type { Lead } from '../leads/lead.js';
import { eraseCustomer, leadsPastRetention } from '../leads/privacy.js';
import type { Leads } from '../leads/store.js';
import { describeError, type Logger } from '../log.js';

const SYSTEM = { aadObjectId: 'system' as const, name: 'Retention' };

/** Erases personal data of leads closed more than `days` ago. Returns the leads it changed. */
export async function purgeExpired(store: Leads, days: number, now: Date, log: Logger): Promise<Lead[]> {
  const changed: Lead[] = [];
  for (const lead of leadsPastRetention(await store.listClosedLeads(), days, now)) {
    try {
      const erased = eraseCustomer(lead, SYSTEM, 'retention', now);
      changed.push(
        await store.saveLead(
          owingTeams(erased, { verb: 'erased', by: SYSTEM }, lead.version, now),
          lead.version,
        ),
      );
    } catch (error) {
      log.warn('retention: lead changed meanwhile, next run takes it', {
        lead: lead.id,
        error: describeError(error),
      });
    }
  }
  if (changed.length > 0)
    log.info('retention: personal data erased', { leads: changed.map((l) => l.id), days });
  return changed;
}
