import assert from 'node:assert/strict';
import type { Lead } from '../../../src/leads/lead.js';
import {
  alex,
  cardActionActivity,
  channelMessage,
  LEADS_CHANNEL_ID,
  megan,
  type TeamsUser,
} from '../../fakes/activities.js';
import { cardText } from '../../fakes/card-text.js';
import type { FakeConnector } from '../../fakes/fake-connector.js';
import { leadFixture } from '../../fixtures/load.js';
import { type Harness, TeamsHarness } from '../../http/harness.js';

interface Card {
  body: unknown[];
}
interface Button {
  verb?: string;
  title: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute of a card, in order. */
function buttons(card: unknown): Button[] {
  const found: Button[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Execute') found.push(n as unknown as Button);
      else Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('Claim inside a lead list, through the server', () => {
  const LIST_MESSAGE = 'list-message-1';
  let connector: FakeConnector;
  let harness: Harness;
  let ids: string[];

  let teams: TeamsHarness;
  beforeEach(async () => {
    teams = await TeamsHarness.start();
    ({ connector, harness } = teams);
    ids = [];
    for (let i = 0; i < 3; i++) {
      const body = leadFixture('contact-me').replace('avery.lindqvist@', `avery${i}@`);
      ids.push(((await (await harness.postLead(body)).json()) as { id: string }).id);
    }
    await harness.app.outbox.settled();
  });
  afterEach(() => teams.stop());

  async function listCard(text: string): Promise<Card> {
    const before = connector.requests.length;
    await harness.postActivity(channelMessage(connector.url, text, megan));
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && connector.requests.indexOf(r) >= before,
    );
    return reply.body.attachments?.[0]?.content as Card;
  }

  async function click(button: Button, from: TeamsUser) {
    const response = await harness.postActivity(
      cardActionActivity(connector.url, {
        threadId: LEADS_CHANNEL_ID,
        activityId: LIST_MESSAGE,
        verb: button.verb as string,
        data: button.data,
        from,
      }),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as { type: string; value: unknown };
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    return body.value;
  }

  it('keeps the list, with the claimed row updated, and updates the lead’s own card', async () => {
    const list = await listCard('unassigned');
    const claims = buttons(list).filter((b) => b.verb === 'lead.claim');
    assert.equal(claims.length, 3);
    const target = claims[1] as Button;
    const claimedId = target.data.leadId as string;

    const answer = await click(target, megan);
    const text = cardText(answer);
    assert.match(text, /^Unassigned leads \(2\)/, 'still the list, counted again without the claimed row');
    for (const id of ids) assert.match(text, new RegExp(id), `row ${id} still there`);
    assert.match(
      text,
      new RegExp(
        `${claimedId} · [^\\n]*\\nClaimed by Megan Bowen · \\d{1,2}:\\d\\d [AP]M\\nAssigned\\nOpen\\n`,
      ),
    );
    assert.equal(
      buttons(answer).filter((b) => b.verb === 'lead.claim').length,
      2,
      'the others can be claimed',
    );

    const stored = (await harness.app.store.getLead(claimedId)) as Lead;
    assert.equal(stored.owner?.name, 'Megan Bowen');
    await harness.app.outbox.settled(); // the channel card's update goes after the answer
    const updates = connector.updates();
    assert.ok(
      updates.every((u) => u.activityId !== LIST_MESSAGE),
      'the list message is not replaced by the lead’s card',
    );
    const ownCard = updates.find((u) => u.activityId === stored.deliveries[0]?.activityId);
    assert.match(cardText(ownCard?.body), /Claimed by Megan Bowen/, 'the channel card shows the claim');
  });

  it('answers a late claimer with the list too, saying who was first', async () => {
    const list = await listCard('unassigned');
    const target = buttons(list).find((b) => b.verb === 'lead.claim') as Button;
    await click(target, megan);
    const late = cardText(await click(target, alex));
    assert.match(
      late,
      /^Unassigned leads \(2\)\nMegan Bowen changed this at \d{1,2}:\d\d [AP]M: it is now Assigned/,
    );
    const stored = (await harness.app.store.getLead(target.data.leadId as string)) as Lead;
    assert.equal(stored.owner?.name, 'Megan Bowen', 'one owner');
  });

  it('shows only real leads of this team when the list in the card data was tampered with', async () => {
    const list = await listCard('unassigned');
    const target = buttons(list).find((b) => b.verb === 'lead.claim') as Button;
    const forged = {
      ...target,
      data: {
        ...target.data,
        list: { title: 'Forged', ids: [target.data.leadId, 'L-ZZZZZ', '../x'], total: 3 },
      },
    };
    const text = cardText(await click(forged, megan));
    assert.match(text, /^Forged\n/);
    assert.match(text, /Claimed by Megan Bowen/);
    assert.doesNotMatch(text, /L-ZZZZZ|\.\.\/x/);
    const garbage = { ...target, data: { ...target.data, list: 'not a list' } };
    assert.match(
      cardText(await click(garbage, megan)),
      /Megan Bowen changed this/,
      'no list: the lead’s card',
    );
  });
});
