import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { alex, channelMessage, megan, type TeamsUser } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { TAB_TENANT_ID } from '../fakes/entra.js';
import { buyer, TabHarness } from '../http/tab-client.js';

// With CONTACT_VISIBILITY=owner a search that matched the hidden e-mail would tell, hit or miss,
// whether it holds what was typed: guessed a letter at a time. Only what the viewer sees matches.
describe('searching with CONTACT_VISIBILITY=owner (tab q= and chat find)', () => {
  let tab: TabHarness;
  let lead: Lead;

  before(async () => {
    tab = await TabHarness.start({ env: { CONTACT_VISIBILITY: 'owner', MANAGERS: 'aad-alex' } });
    lead = await tab.postedLead(
      buyer(21, { Email: 'zoe.quist@fabrikam.example', Company: 'Northwind Traders' }),
    );
  });
  after(async () => {
    await tab.stop();
  });

  const found = async (q: string, as: string) =>
    (
      (await tab.json(`/api/tab/leads?q=${encodeURIComponent(q)}`, { as })).body as {
        items: Array<{ id: string }>;
      }
    ).items.map((i) => i.id);

  async function find(text: string, from: TeamsUser): Promise<string> {
    const { connector, harness } = tab.teams;
    const before = connector.requests.length;
    // In the tokens' tenant, where TabHarness records the team (one tenant for the bot and the tab).
    const message = channelMessage(connector.url, `find ${text}`, from);
    message.conversation.tenantId = TAB_TENANT_ID;
    message.channelData.tenant = { id: TAB_TENANT_ID };
    await harness.postActivity(message);
    const reply = await connector.waitFor(
      (r) =>
        r.kind === 'post' &&
        r.conversationId === message.conversation.id &&
        connector.requests.indexOf(r) >= before,
    );
    const card = reply.body.attachments?.[0]?.content;
    return card ? cardText(card) : String(reply.body.text);
  }

  it('a colleague who is not the owner finds the lead by what they see, never by its hidden e-mail', async () => {
    assert.deepEqual(await found('Northwind', 'aad-megan'), [lead.id], 'the company is shown, so it matches');
    // 'zo', not 'z': a lead id may hold a Z (its alphabet has no O), and the id is shown, so it matches.
    for (const guess of ['zoe.quist', 'zo', 'fabrikam.example', 'quist@fab'])
      assert.deepEqual(await found(guess, 'aad-megan'), [], `tab q=${guess}`);
    assert.match(await find('northwind', megan), /\(1\)/);
    for (const guess of ['zoe.quist', 'fabrikam.example'])
      assert.match(await find(guess, megan), /\(0\)/, `find ${guess}`);
  });

  it('a manager, and then the owner, who see the e-mail, find the lead by it', async () => {
    assert.deepEqual(await found('zoe.quist', 'aad-alex'), [lead.id]);
    assert.match(await find('zoe.quist', alex), /\(1\)/);
    const claim = await tab.json(`/api/tab/leads/${lead.id}/actions`, {
      as: 'aad-megan',
      body: { verb: 'lead.claim', version: lead.version },
    });
    assert.equal(claim.status, 200);
    assert.deepEqual(await found('zoe.quist', 'aad-megan'), [lead.id]);
    assert.match(await find('zoe.quist', megan), /\(1\)/);
  });
});
