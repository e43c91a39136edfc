import assert from 'node:assert/strict';
import { NotFoundError, ValidationError } from '../../src/errors.js';
import { linkCrmRecord, parseCrmBody, parseCrmInput } from '../../src/leads/crm.js';
import type { Lead } from '../../src/leads/lead.js';
import type { Actor } from '../../src/leads/lifecycle.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { doorOver, installation, viewerIn } from '../fakes/door.js';
import { makeLead } from '../fakes/lead-factory.js';

const person = (id: string, isManager = false): Actor => ({
  aadObjectId: id,
  name: id.toUpperCase(),
  isGuest: false,
  isManager,
});
const owner = person('owner');
const team = installation('team-1', 'tenant-1');
const now = () => new Date('2026-11-24T11:00:00.000Z');

async function storeWithLead(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.putInstallation({
    teamId: 'team-1',
    teamName: 'Sales',
    tenantId: 'tenant-1',
    serviceUrl: 'http://127.0.0.1:1/',
    botId: '28:b',
    installedAt: '2026-11-24T09:00:00.000Z',
    channels: [],
  });
  await store.createLead(
    makeLead({
      id: 'L-AAAAA',
      status: 'assigned',
      owner: { aadObjectId: 'owner', name: 'OWNER' },
      deliveries: [{ teamId: 'team-1', conversationId: '19:c', state: 'posted', attempts: 1 }],
    }),
  );
  return store;
}

describe('CRM record input', () => {
  it('takes an https link or an id from the card', () => {
    assert.deepEqual(parseCrmInput(' https://contoso.crm4.dynamics.com/main.aspx?id=1 '), {
      url: 'https://contoso.crm4.dynamics.com/main.aspx?id=1',
    });
    assert.deepEqual(parseCrmInput('0061t00000AbCdE'), { id: '0061t00000AbCdE' });
  });

  it('refuses anything but https, credentials in the link, spaces in an id, and over-long values', () => {
    for (const bad of [
      'http://crm.example/1',
      'javascript:alert(1)',
      'https://user:pw@crm.example/1',
      'two words',
      'x'.repeat(101),
      `https://crm.example/${'a'.repeat(2000)}`,
      '',
    ])
      assert.throws(() => parseCrmInput(bad), ValidationError, bad);
  });

  it('reads the CRM’s body: strings, at least one, and says which field is wrong', () => {
    assert.deepEqual(parseCrmBody({ crmId: 'OPP-1', crmUrl: 'https://crm.example/OPP-1' }), {
      id: 'OPP-1',
      url: 'https://crm.example/OPP-1',
    });
    assert.throws(() => parseCrmBody({}), /crmId, crmUrl or both/);
    assert.throws(() => parseCrmBody({ crmId: 7 }), /crmId must be a string/);
    assert.throws(() => parseCrmBody({ crmUrl: 'ftp://x' }), /https/);
    assert.throws(() => parseCrmBody([]), /JSON object/);
  });
});

describe('linking a lead to its CRM record', () => {
  it('from the card: the owner or a manager, through act(), with a crm-linked history entry', async () => {
    const store = await storeWithLead();
    const link = (actor: Actor, version: number) =>
      doorOver(store, { now }).door.act(viewerIn(team, actor), {
        leadId: 'L-AAAAA',
        version,
        action: { verb: 'crm', crm: { id: 'OPP-1' } },
      });
    const refused = await link(person('someone-else'), 1);
    assert.equal(refused.outcome === 'refused' && refused.refusal, 'not_owner');
    const saved = await link(owner, 1);
    assert.equal(saved.outcome, 'saved');
    const lead = await store.getLead('L-AAAAA');
    assert.deepEqual(lead?.crm, {
      id: 'OPP-1',
      linkedAt: now().toISOString(),
      linkedBy: { aadObjectId: 'owner', name: 'OWNER' },
    });
    assert.deepEqual(
      lead?.history.map((h) => [h.action, h.note]),
      [['crm-linked', 'OPP-1']],
    );
    const byManager = await link(person('boss', true), 2);
    assert.equal(byManager.outcome, 'saved');
  });

  it('a campaign is tagged by managers only, with a campaign-tagged history entry', async () => {
    const store = await storeWithLead();
    const tag = (actor: Actor) =>
      doorOver(store, { now }).door.act(viewerIn(team, actor), {
        leadId: 'L-AAAAA',
        version: 1,
        action: { verb: 'campaign', campaign: 'Spring' },
      });
    const refused = await tag(owner);
    assert.equal(refused.outcome === 'refused' && refused.refusal, 'not_manager');
    assert.equal((await tag(person('boss', true))).outcome, 'saved');
    const lead = await store.getLead('L-AAAAA');
    assert.equal(lead?.campaign?.name, 'Spring');
    assert.deepEqual(lead?.history.at(-1)?.action, 'campaign-tagged');
  });

  it('from the CRM: saved from the version read, again after a concurrent change, once', async () => {
    const store = await storeWithLead();
    // Another actor saves between the CRM's read and its write: the first save conflicts.
    const realSave = store.saveLead.bind(store);
    let interfered = false;
    store.saveLead = async (lead, expected) => {
      if (!interfered) {
        interfered = true;
        const current = (await store.getLead(lead.id)) as Lead;
        await realSave(
          {
            ...current,
            history: [...current.history, { at: now().toISOString(), by: owner, action: 'note', note: 'hi' }],
          },
          current.version,
        );
      }
      return realSave(lead, expected);
    };
    const first = await linkCrmRecord(store, 'L-AAAAA', { url: 'https://crm.example/1' }, now);
    assert.equal(first.changed, true);
    assert.deepEqual(
      first.lead.history.map((h) => h.action),
      ['note', 'crm-linked'],
    );
    assert.equal(first.lead.crm?.linkedBy.name, 'CRM');
    const again = await linkCrmRecord(store, 'L-AAAAA', { url: 'https://crm.example/1' }, now);
    assert.equal(again.changed, false);
    assert.equal(again.lead.version, first.lead.version);
    await assert.rejects(linkCrmRecord(store, 'L-ZZZZZ', { id: 'x' }, now), NotFoundError);
  });
});
