import assert from 'node:assert/strict';
import { receiveLead } from '../../src/leads/intake.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { leadFixture } from '../fixtures/load.js';

describe('intake racing another instance with the same payload', () => {
  it('answers duplicate, not a repeat of itself, when only the e-mail read saw the other’s lead', async () => {
    const store = new MemoryStore();
    const now = new Date('2026-11-24T10:00:00.000Z');
    const first = await receiveLead(store, leadFixture('contact-me'), now);
    // The second instance read the fingerprint just before the first stored it, the e-mail just after.
    store.findByFingerprint = async () => undefined;
    const second = await receiveLead(store, leadFixture('contact-me'), now);
    assert.equal(second.status, 'duplicate');
    assert.equal(second.lead.id, first.lead.id);
    const [lead] = await store.listLeads();
    assert.equal(lead?.repeats, undefined, 'no "seen again" of the same payload');
    assert.equal(lead?.version, first.lead.version, 'nothing changed');
  });
});

describe('intake reads', () => {
  it('finds a payload with an e-mail address through the address alone, and still answers duplicate', async () => {
    const store = new MemoryStore();
    const now = new Date('2026-11-24T10:00:00.000Z');
    let fingerprintReads = 0;
    const byFingerprint = store.findByFingerprint.bind(store);
    store.findByFingerprint = (fingerprint) => {
      fingerprintReads++;
      return byFingerprint(fingerprint);
    };
    const first = await receiveLead(store, leadFixture('contact-me'), now);
    const again = await receiveLead(store, leadFixture('contact-me'), now);
    assert.equal(again.status, 'duplicate');
    assert.equal(again.lead.id, first.lead.id);
    assert.equal(fingerprintReads, 0, 'the e-mail read answers it: on Azure a read less per lead');
  });

  it('answers duplicate for a payload without an e-mail address too, even if the first read misses it', async () => {
    const store = new MemoryStore();
    const now = new Date('2026-11-24T10:00:00.000Z');
    const body = JSON.parse(leadFixture('contact-me')) as { UserDetails: { Email: string } };
    body.UserDetails.Email = '';
    const first = await receiveLead(store, JSON.stringify(body), now);
    store.findByFingerprint = async () => undefined; // stored by another instance just after this read
    const again = await receiveLead(store, JSON.stringify(body), now);
    assert.equal(again.status, 'duplicate');
    assert.equal(again.lead.id, first.lead.id);
    assert.equal((await store.listLeads()).length, 1);
  });
});
