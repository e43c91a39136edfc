import type { TurnContext } from 'botbuilder';
import { addDays, startOfDay, zonedMidnight } from '../../leads/period.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { viewFor } from '../turn-helpers.js';

const YEAR_MS = 366 * 24 * 3600_000;

/** The day `away until <YYYY-MM-DD>` names, or `off`; anything else is not understood. */
export function parseAway(text: string): { off: true } | { day: string } | undefined {
  const words = text.replace(/\s+/g, ' ').trim().toLowerCase();
  if (/^(?:off|back|fim|não|nao)$/.test(words)) return { off: true };
  const day = /^(?:(?:until|till|to|até|ate) )?(\d{4}-\d{2}-\d{2})$/.exec(words)?.[1];
  return day ? { day } : undefined;
}

/**
 * `away until <date>` / `away off`: anyone, anywhere. Away until the end of that day in TIME_ZONE:
 * no lead is given to them automatically before then.
 */
export async function awayCommand(context: TurnContext, [text = '']: string[], deps: BotDeps): Promise<void> {
  const { t } = viewFor(context, deps);
  const zone = deps.config.timeZone;
  const now = deps.now();
  const example = addDays(startOfDay(now, zone), 7, zone);
  const exampleDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(example);
  const parsed = parseAway(text);
  const start = parsed && 'day' in parsed ? zonedMidnight(parsed.day, zone) : undefined;
  if (!parsed || ('day' in parsed && !start)) {
    await context.sendActivity(t('away.usage', { example: exampleDay }));
    return;
  }
  let until: Date | undefined;
  if (start) {
    until = addDays(start, 1, zone); // back when the next day starts
    if (until.getTime() <= now.getTime()) {
      await context.sendActivity(t('away.past', { example: exampleDay }));
      return;
    }
    if (until.getTime() - now.getTime() > YEAR_MS) {
      await context.sendActivity(t('away.tooFar'));
      return;
    }
  }
  const result = await deps.door.setAway(await viewerOf(context, deps), until);
  if ('refused' in result) {
    await context.sendActivity(t('refusal.guest'));
    return;
  }
  await context.sendActivity(
    result.away && 'day' in parsed ? t('away.set', { date: t.formatDate(parsed.day) }) : t('away.off'),
  );
}
