import assert from 'node:assert/strict';
import { renderHelpCard } from '../../src/bot/cards/help-card.js';
import { COMMANDS, matchCommand } from '../../src/bot/commands.js';
import { translator } from '../../src/i18n/translator.js';
import {
  alex,
  channelMessage,
  installActivity,
  megan,
  TENANT_ID,
  type TeamsUser,
} from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector } from '../fakes/fake-connector.js';
import { Harness } from '../http/harness.js';

const gina: TeamsUser = { id: '29:guest', aadObjectId: 'aad-guest', name: 'Gina Guest' };

/** A message in the user's personal chat with the bot (no mention, no team). */
function personalMessage(serviceUrl: string, text: string, from: TeamsUser) {
  return {
    ...channelMessage(serviceUrl, text, from),
    text,
    entities: [],
    conversation: { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
  };
}

describe('the command table', () => {
  it('reads summary’s period, offer and campaign', () => {
    const args = (text: string) => matchCommand(text)?.args;
    assert.deepEqual(args('summary month campaign Spring launch'), ['month', undefined, 'Spring launch']);
    assert.deepEqual(args('summary campaign ads-7'), [undefined, undefined, 'ads-7']);
    assert.deepEqual(args('summary week offer Analytics campaign spring'), ['week', 'Analytics', 'spring']);
    assert.deepEqual(args('summary week offer Analytics'), ['week', 'Analytics', undefined]);
    assert.deepEqual(args('summary'), [undefined, undefined, undefined]);
  });

  it('runs each help line’s example as its own command', () => {
    for (const command of COMMANDS)
      for (const row of command.help) assert.equal(matchCommand(row.usage)?.command, command, row.usage);
  });

  it('is what the help card lists, in its order, in the reader’s language', () => {
    for (const locale of ['en', 'pt-PT']) {
      const t = translator(locale, 'en');
      const text = cardText(renderHelpCard(t, COMMANDS));
      let from = 0;
      for (const row of COMMANDS.flatMap((c) => c.help)) {
        const found = text.indexOf(row.usage, from);
        assert.ok(found >= from, `${row.usage} in order`);
        assert.ok(text.includes(t(row.text)), row.text);
        from = found;
      }
    }
  });
});

describe('commands through the server: where they work and who may use them', () => {
  let connector: FakeConnector;
  let harness: Harness | undefined;
  beforeEach(async () => {
    connector = await FakeConnector.start();
  });
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await connector.close();
  });

  async function reply(activity: { conversation: { id: string } }): Promise<string> {
    const before = connector.requests.length;
    await (harness as Harness).postActivity(activity);
    const answer = await connector.waitFor(
      (r) =>
        connector.requests.indexOf(r) >= before &&
        r.kind === 'post' &&
        r.conversationId === activity.conversation.id,
    );
    return answer.body.text ?? cardText(answer.body);
  }

  /** The bot in the Sales team (its roster read), as a person's scope needs it. */
  async function start(env: Record<string, string> = {}): Promise<Harness> {
    const started = await Harness.start(env);
    await started.postActivity(installActivity(connector.url));
    await connector.waitFor((r) => r.kind === 'create'); // the welcome card
    return started;
  }

  it('keeps managers’ commands to MANAGERS, guests never, anyone else’s commands open', async () => {
    harness = await start({ MANAGERS: 'alexw@contoso.com' });
    assert.match(await reply(personalMessage(connector.url, 'summary week', megan)), /Only managers/);
    assert.match(await reply(personalMessage(connector.url, 'digest daily 08:30', megan)), /Only managers/);
    assert.match(await reply(personalMessage(connector.url, 'summary week', alex)), /Leads summary/);
    assert.match(await reply(personalMessage(connector.url, 'my leads', megan)), /Your open leads \(0\)/);
    assert.match(await reply(personalMessage(connector.url, 'help', gina)), /Commands/);
  });

  it('with MANAGERS empty, lets any member but a guest use summary and set the lead channel, and nobody forget', async () => {
    harness = await start();
    assert.match(await reply(personalMessage(connector.url, 'summary week', megan)), /Leads summary/);
    assert.match(await reply(personalMessage(connector.url, 'summary week', gina)), /Only managers/);
    assert.match(
      await reply(personalMessage(connector.url, 'forget avery@contoso.example.com', megan)),
      /Only managers/,
    );
    assert.match(
      await reply(channelMessage(connector.url, 'use this channel for leads', megan)),
      /New leads will now be posted in this channel/,
    );
  });

  it('sets the lead channel only in a team channel, and only for a manager', async () => {
    harness = await Harness.start({ MANAGERS: 'alexw@contoso.com' }); // no install event: learnt from the message
    assert.match(
      await reply(personalMessage(connector.url, 'use this channel for leads', alex)),
      /Write this in the team channel/,
    );
    const routing = await harness.app.store.getRouting();
    assert.match(
      await reply(channelMessage(connector.url, 'use this channel for leads', megan)),
      /Only managers/,
    );
    assert.deepEqual(await harness.app.store.getRouting(), routing, 'routing unchanged');
    assert.match(
      await reply(channelMessage(connector.url, 'use this channel for leads', alex)),
      /New leads will now be posted in this channel/,
    );
  });
});
