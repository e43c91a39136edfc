import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { installActivity, LEADS_CHANNEL_ID } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector } from '../fakes/fake-connector.js';
import { exited, SERVER_SECRET, startServer } from '../fakes/server-process.js';
import { leadFixture } from '../fixtures/load.js';

describe('kill -9 in the middle of a burst', function () {
  this.timeout(60_000);

  it('loses no acknowledged lead and posts every card after the restart, at most one twice, no 429', async () => {
    const connector = await FakeConnector.start({
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      enforceTeamsLimits: true,
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'crash-'));
    let server = await startServer(dataDir);
    try {
      const post = (path: string, body: string) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-leads-key': SERVER_SECRET },
          body,
        });
      await post('/api/messages', JSON.stringify(installActivity(connector.url)));
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const response = await post(
          '/api/leads',
          leadFixture('contact-me').replace('avery.lindqvist@', `crash${i}@`),
        );
        assert.equal(response.status, 202);
        ids.push(((await response.json()) as { id: string }).id);
      }
      const cardsOf = () =>
        connector.channelPosts().filter((r) => ids.some((id) => cardText(r.body.activity).includes(id)));
      await connector.waitFor(() => cardsOf().length >= 3, 20_000);
      server.child.kill('SIGKILL');
      await exited(server.child);
      const postedBeforeCrash = cardsOf().length;
      assert.ok(postedBeforeCrash < 20, 'the crash came mid-burst');

      server = await startServer(dataDir);
      for (const id of ids)
        await connector.waitFor((r) => r.kind === 'create' && cardText(r.body.activity).includes(id), 30_000);
      const counts = ids.map((id) => cardsOf().filter((r) => cardText(r.body.activity).includes(id)).length);
      assert.ok(
        counts.every((n) => n >= 1),
        'every acknowledged lead is posted',
      );
      assert.ok(
        counts.filter((n) => n > 1).length <= 1,
        `at most the card in flight at the kill is doubled: ${counts}`,
      );
      server.child.kill('SIGKILL');
      await exited(server.child);
      const stored = await LowdbStore.open(dataDir);
      assert.equal((await stored.listLeads()).length, 20, 'and all 20 are on disk after a second kill');
      await stored.close();
      // The killed process's sends were journaled, so the new one paced itself inside Teams' windows.
      assert.equal(connector.throttled, 0, 'no 429 after the restart');
    } finally {
      server.child.kill('SIGKILL');
      await connector.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
