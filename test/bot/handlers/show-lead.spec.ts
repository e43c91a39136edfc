import { TestAdapter, type TurnContext } from 'botbuilder';
import type { BotDeps } from '../../../src/bot/bot-deps.js';
import { showLead } from '../../../src/bot/handlers/show-lead.js';

// Only what these turns read: the answer comes before any store or roster lookup.
const deps = {
  config: { defaultLocale: 'en', timeZone: 'Europe/Lisbon' },
  now: () => new Date('2026-11-24T10:00:00Z'),
} as unknown as BotDeps;

function bot(args: string[], locale = 'en-US') {
  return new TestAdapter((context: TurnContext) => showLead(context, args, deps), { locale });
}

describe('lead <id>', () => {
  it('gives the usage, not "I didn’t get that", when the id is missing', async () => {
    await bot([]).send('lead').assertReply('Tell me which lead, e.g. lead L-7K3Q9.');
    await bot(['  ']).send('lead').assertReply('Tell me which lead, e.g. lead L-7K3Q9.');
    await bot([], 'pt-PT').send('lead').assertReply('Diga-me qual é o contacto, p. ex. lead L-7K3Q9.');
  });

  it('still says what is wrong with something that is not an id', async () => {
    await bot(['pizza'])
      .send('lead pizza')
      .assertReply('“pizza” is not a lead id. Lead ids look like L-7K3Q9.');
  });
});
