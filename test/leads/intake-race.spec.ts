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
