import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lead } from '../../src/leads/lead.js';
import { AzureTableStore } from '../../src/store/azure-table-store.js';
import {
  cardActionActivity,
  channelMessage,
  installActivity,
  LEADS_CHANNEL_ID,
  type TeamsUser,
} from '../fakes/activities.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { cardText } from '../fakes/card-text.js';
import { FakeConnector, type Member } from '../fakes/fake-connector.js';
import { exited, SERVER_SECRET, type ServerProcess, startServer } from '../fakes/server-process.js';
import { leadFixture } from '../fixtures/load.js';

// Two real app processes (src/index.ts) on one Azurite store, behind nothing: each test talks to
// both directly, as a load balancer would spread requests. The connector answers 429 beyond
// Teams' per-thread limits, as Teams does.

const LEASE_TTL_SECONDS = 3; // renewed every second: failover in seconds, not half a minute

const sellers: TeamsUser[] = Array.from({ length: 20 }, (_, i) => ({
  id: `29:seller-${i}`,
  aadObjectId: `aad-seller-${i}`,
  name: `Seller ${String(i).padStart(2, '0')}`,
}));
const members: Member[] = sellers.map((s, i) => ({
  ...s,
  userPrincipalName: `seller${i}@contoso.com`,
  email: `seller${i}@contoso.com`,
  userRole: 'user',
}));

/** Polls `condition` until it holds; fails after `ms`, saying what did not happen. */
async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A contact-me lead from a buyer of its own (a new lead each, not a repeat). */
function leadFrom(buyer: string): string {
  return leadFixture('contact-me').replace('avery.lindqvist@', `${buyer}@`);
}

describe('two instances on one Azure Table store', function () {
  this.timeout(120_000);
  let azurite: Azurite;
  let connector: FakeConnector;
  let store: AzureTableStore;
  let dataDir: string;
  let env: Record<string, string>;
  const running = new Set<ServerProcess>();
  /** Every lead accepted in this file, to check at the end that each was posted once. */
  const accepted = new Set<string>();
  let doubled = 0;

  async function start(): Promise<ServerProcess> {
    const server = await startServer(dataDir, env);
    running.add(server);
    return server;
  }

  async function kill(server: ServerProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    server.child.kill(signal);
    await exited(server.child);
    running.delete(server);
  }

  async function isLeader(server: ServerProcess): Promise<boolean> {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { leader: boolean };
    return health.leader;
  }

  async function leaderAndFollower(): Promise<[ServerProcess, ServerProcess]> {
    const [one, two] = [...running] as [ServerProcess, ServerProcess];
    const [oneLeads, twoLeads] = await Promise.all([isLeader(one), isLeader(two)]);
    assert.notEqual(oneLeads, twoLeads, 'exactly one instance runs background work');
    return oneLeads ? [one, two] : [two, one];
  }

  async function postLead(server: ServerProcess, body: string): Promise<{ id: string; status: string }> {
    const response = await fetch(`${server.url}/api/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-leads-key': SERVER_SECRET },
      body,
    });
    assert.equal(response.status, 202, await response.clone().text());
    const answer = (await response.json()) as { id: string; status: string };
    if (answer.status === 'accepted') accepted.add(answer.id);
    return answer;
  }

  function postActivity(server: ServerProcess, activity: unknown) {
    return fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  }

  const postsOf = (id: string) =>
    connector.channelPosts().filter((r) => JSON.stringify(r.body).includes(id)).length;

  /** Posts `count` leads spread over both instances; resolves with their ids. */
  async function burst(prefix: string, count: number): Promise<string[]> {
    const servers = [...running];
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push((await postLead(servers[i % servers.length] as ServerProcess, leadFrom(`${prefix}${i}`))).id);
    return ids;
  }

  before(async () => {
    azurite = await startAzurite();
    connector = await FakeConnector.start({
      channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
      members,
      enforceTeamsLimits: true,
    });
    dataDir = await mkdtemp(join(tmpdir(), 'lead-assistant-cluster-'));
    env = {
      STORE: 'azure-table',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_TABLE_PREFIX: azurite.freshPrefix(),
      LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS),
    };
    // The test reads what the instances wrote, as a third client of the same tables.
    store = await AzureTableStore.open({
      connectionString: azurite.connectionString,
      prefix: env.AZURE_TABLE_PREFIX as string,
      clientOptions: azurite.clientOptions,
    });
    const a = await start();
    await start();
    await postActivity(a, installActivity(connector.url));
    await connector.waitFor((r) => r.kind === 'create'); // the welcome card
  });

  after(async () => {
    // Each step whatever the one before did: a process left behind would outlive the run.
    const steps = [
      ...[...running].map((server) => () => kill(server, 'SIGKILL')),
      () => store?.close(),
      () => connector?.close(),
      () => azurite?.dispose(),
      () => rm(dataDir, { recursive: true, force: true }),
    ];
    const failures: unknown[] = [];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((error) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });

  it('stores the same lead posted to both at once once: one accepted, one duplicate, one card', async () => {
    const body = leadFixture('contact-me');
    const answers = await Promise.all([...running].map((server) => postLead(server, body)));
    assert.deepEqual(answers.map((a) => a.status).sort(), ['accepted', 'duplicate']);
    assert.equal(answers[0]?.id, answers[1]?.id);
    // Whichever instance took it, the leader posts it (a follower's 202 kicks nothing there).
    await until(() => postsOf(answers[0]?.id as string) === 1, 10_000, 'its card is posted');
  });

  it('settles twenty claims of one lead over both instances: one owner, one history entry, everyone told who won; `lead <id>` on the other shows it', async () => {
    const [id] = [...accepted] as [string]; // the lead of the test above
    let lead: Lead | undefined;
    await until(
      async () => {
        lead = await store.getLead(id);
        return lead?.deliveries[0]?.state === 'posted';
      },
      10_000,
      'the card is recorded as posted',
    );
    const delivery = (lead as Lead).deliveries[0];
    const servers = [...running];
    const clicks = await Promise.all(
      sellers.map(async (seller, i) => {
        const server = servers[i % 2] as ServerProcess;
        const response = await postActivity(
          server,
          cardActionActivity(connector.url, {
            threadId: delivery?.threadId as string,
            activityId: delivery?.activityId as string,
            verb: 'lead.claim',
            data: { leadId: id, version: (lead as Lead).version },
            from: seller,
          }),
        );
        assert.equal(response.status, 200);
        const body = (await response.json()) as { type: string; value: unknown };
        return { server, seller, text: typeof body.value === 'string' ? body.value : cardText(body.value) };
      }),
    );
    const saved = (await store.getLead(id)) as Lead;
    const owner = saved.owner?.name as string;
    assert.ok(owner, 'the lead has an owner');
    assert.equal(saved.history.filter((h) => h.action === 'claim').length, 1, 'one claim in the history');
    for (const click of clicks)
      assert.match(click.text, new RegExp(`Claimed by ${owner}`), `${click.seller.name} is told who won`);

    // Right after, the instance that did not take the winning click reads it.
    const winner = clicks.find((c) => c.seller.name === owner) as (typeof clicks)[number];
    const other = servers.find((s) => s !== winner.server) as ServerProcess;
    const askedAt = Date.now();
    // Asked in the lead's thread: an answer in the channel itself would count toward the channel's
    // Teams window, which the cards below need (in-turn replies are not paced by the outbox).
    await postActivity(other, channelMessage(connector.url, `lead ${id}`, sellers[0], delivery?.threadId));
    const reply = await connector.waitFor(
      (r) => r.kind === 'post' && r.at >= askedAt && cardText(r.body).includes(id),
      10_000,
    );
    assert.match(cardText(reply.body), new RegExp(`Claimed by ${owner}`));
  });

  it('after kill -9 of the leader with cards pending, the other takes over within the lease and posts every card, at most one twice, no 429', async () => {
    const [leader, follower] = await leaderAndFollower();
    const ids = await burst('failover', 12);
    await until(() => ids.filter((id) => postsOf(id) > 0).length >= 2, 10_000, 'the leader starts posting');
    await kill(leader, 'SIGKILL');
    const killedAt = Date.now();
    await until(() => isLeader(follower), (LEASE_TTL_SECONDS + 2) * 1000, 'the follower takes the lease');
    const takeoverMs = Date.now() - killedAt;
    // The lease lapses at most a ttl after the leader's last renewal; the follower asks every tenth of it.
    assert.ok(takeoverMs <= LEASE_TTL_SECONDS * 1.1 * 1000 + 2000, `took over in ${takeoverMs} ms`);
    await until(() => ids.every((id) => postsOf(id) > 0), 20_000, 'every pending card is posted');
    const twice = ids.filter((id) => postsOf(id) > 1);
    assert.ok(twice.length <= 1, `at most the in-flight card twice, got ${twice.join(', ')}`);
    doubled += twice.length;
    assert.equal(connector.throttled, 0, 'no 429 from Teams');
  });

  it('a clean stop hands the work over at once to a restarted instance, which paces from the sends before it: no 429, none twice', async () => {
    await start(); // the instance killed above, back (a follower now)
    const [leader, restarted] = await leaderAndFollower();
    const ids = await burst('handover', 16);
    // Mid-burst, with Teams' 2 s window full of the leader's posts.
    await until(() => ids.filter((id) => postsOf(id) > 0).length >= 6, 10_000, 'the leader is posting');
    const stoppedAt = Date.now();
    await kill(leader, 'SIGTERM');
    await until(() => isLeader(restarted), 2_500, 'the restarted instance takes the released lease');
    assert.ok(Date.now() - stoppedAt < LEASE_TTL_SECONDS * 1000, 'without waiting for the lease to lapse');
    await until(() => ids.every((id) => postsOf(id) > 0), 20_000, 'every pending card is posted');
    assert.deepEqual(
      ids.filter((id) => postsOf(id) > 1),
      [],
      'a clean stop finishes its card first: none twice',
    );
    assert.equal(connector.throttled, 0, 'no 429 from Teams right after the hand-over');
  });

  it('posted every lead accepted in this file, each once (the failover aside)', async () => {
    const counts = [...accepted].map((id) => postsOf(id));
    assert.ok(
      counts.every((n) => n >= 1),
      'every accepted lead has its card',
    );
    assert.equal(
      counts.reduce((sum, n) => sum + n - 1, 0),
      doubled,
    );
  });
});
