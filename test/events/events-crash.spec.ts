import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, SERVER_SECRET, type ServerProcess, startServer } from '../fakes/server-process.js';
import { leadFixture } from '../fixtures/load.js';
import { EventReceiver, newSecret } from './receiver.js';

const SECRET = newSecret(9);

describe('lead events: kill -9 of the server mid-stream', function () {
  this.timeout(60_000);

  it('loses no event, and the one in flight at the kill is sent again with the same webhook-id', async () => {
    const receiver = await EventReceiver.start(SECRET);
    const dataDir = await mkdtemp(join(tmpdir(), 'events-crash-'));
    const env = { EVENTS_URL: receiver.url, EVENTS_SECRET: SECRET };
    let server: ServerProcess = await startServer(dataDir, env);
    try {
      // The 6th request is never answered: the server is killed while waiting for it.
      receiver.answer = ({ count }) => (receiver.requests.length === 5 && count === 1 ? 'hang' : 200);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${server.url}/api/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-leads-key': SERVER_SECRET },
          body: leadFixture('contact-me').replace('avery.lindqvist@', `crash${i}@`),
        });
        assert.equal(response.status, 202);
        ids.push(((await response.json()) as { id: string }).id);
      }
      await receiver.waitFor(() => receiver.requests.some((r) => r.answer === 'hang'), 20_000, 'the hang');
      const hung = receiver.requests.find((r) => r.answer === 'hang')?.id as string;
      server.child.kill('SIGKILL');
      await exited(server.child);
      receiver.releaseHanging();
      const deliveredBefore = receiver.events.length;
      assert.ok(deliveredBefore < 20, `the kill came mid-stream (${deliveredBefore} delivered)`);
      assert.ok(!receiver.events.some((e) => e.id === hung), 'the hung event was never acknowledged');

      server = await startServer(dataDir, env);
      await receiver.waitFor(
        () => ids.every((id) => receiver.of(id).length > 0),
        30_000,
        'every lead’s event after the restart',
      );
      assert.ok(
        receiver.events.some((e) => e.id === hung),
        'the event in flight at the kill came again, with the same webhook-id',
      );
      for (const id of ids) {
        const events = receiver.of(id);
        assert.equal(new Set(events.map((e) => e.id)).size, 1, `${id}: one webhook-id, however often sent`);
        assert.deepEqual(
          events.map((e) => e.type),
          events.map(() => 'com.leadassistant.lead.received'),
        );
      }
      const doubled = ids.filter((id) => receiver.of(id).length > 1);
      assert.ok(doubled.length <= 4, `only events in flight at the kill come twice: ${doubled}`);
      assert.deepEqual(receiver.rejected, []);
    } finally {
      server.child.kill('SIGKILL');
      await exited(server.child);
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
