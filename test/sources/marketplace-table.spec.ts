import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { TableClient, type TableEntity } from '@azure/data-tables';
import { StorageUnavailableError } from '../../src/errors.js';
import type { Lead } from '../../src/leads/lead.js';
import { createConsoleLogger } from '../../src/log.js';
import type { TableSourceCounters } from '../../src/sources/marketplace-table.js';
import { type Azurite, startAzurite } from '../fakes/azurite.js';
import { leadFixture } from '../fixtures/load.js';
import { TeamsHarness } from '../http/harness.js';

/** A webhook fixture as Partner Center writes it into MarketplaceLeads (reference §3, example E4). */
function rowFrom(fixture: string): TableEntity<Record<string, string>> {
  const body = JSON.parse(leadFixture(fixture)) as Record<string, unknown>;
  const field = (name: string) => String(pick(body, name) ?? '');
  return {
    partitionKey: '12:2F1:2F2026',
    rowKey: randomUUID(),
    ActionCode: field('ActionCode'),
    CreatedTime: '12/1/2026 9:58:10 AM',
    CustomerInfo: JSON.stringify(pick(body, 'UserDetails')),
    Description: field('Description'),
    LeadSource: field('LeadSource'),
    OfferDisplayName: field('OfferTitle'),
  };
}

/** Fixtures spell keys both ways (UserDetails, userDetails), as Partner Center does. */
function pick(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function emailOf(fixture: string): string {
  const details = pick(JSON.parse(leadFixture(fixture)), 'UserDetails') as Record<string, unknown>;
  return String(pick(details, 'Email'));
}

describe('the MarketplaceLeads table as a source of leads', function () {
  this.timeout(30_000);
  let azurite: Azurite;
  let table: TableClient;
  let teams: TeamsHarness;
  const lines: string[] = [];

  before(async () => {
    azurite = await startAzurite();
  });
  after(() => azurite.dispose());
  afterEach(() => teams?.stop());

  /** The app's own store: embedded (default) or the Azure Table store, on the same Azurite. */
  async function start(store: 'lowdb' | 'azure-table' = 'lowdb'): Promise<TeamsHarness> {
    lines.length = 0;
    const tableName = `MarketplaceLeads${randomBytes(4).toString('hex')}`;
    table = TableClient.fromConnectionString(azurite.connectionString, tableName, azurite.clientOptions);
    await table.createTable();
    return TeamsHarness.start({
      env: {
        MARKETPLACE_TABLE_CONNECTION_STRING: azurite.connectionString,
        MARKETPLACE_TABLE_NAME: tableName,
        MARKETPLACE_TABLE_POLL_SECONDS: '3600', // polled by the test, not by the clock
        ...(store === 'azure-table'
          ? {
              STORE: store,
              AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
              AZURE_TABLE_PREFIX: azurite.freshPrefix(),
            }
          : {}),
      },
      app: { log: createConsoleLogger({ write: (line) => lines.push(line) }) },
    });
  }

  const poll = () => teams.harness.app.tablePoller?.run() as Promise<void>;
  async function counters(): Promise<TableSourceCounters> {
    const health = (await (await fetch(`${teams.harness.url}/healthz`)).json()) as {
      sources: { marketplaceTable: TableSourceCounters };
    };
    return health.sources.marketplaceTable;
  }
  const leadsByEmail = async (email: string): Promise<Lead[]> => teams.harness.app.store.findByEmail(email);
  /** Channel posts besides the welcome card. */
  const cards = () => teams.connector.channelPosts().length - 1;
  const postsOf = (lead: Lead) =>
    teams.connector.channelPosts().filter((r) => JSON.stringify(r.body).includes(lead.id)).length;

  for (const store of ['lowdb', 'azure-table'] as const)
    it(`posts each row once, skips and counts a malformed one, dedupes against HTTPS, and repeats nothing after a restart (${store} store)`, async () => {
      teams = await start(store);
      const broken = {
        ...rowFrom('contact-me'),
        CustomerInfo: '{"FirstName":"Dana","Email":"dana.broken@contoso.example.com",', // cut short
      };
      await table.createEntity(broken); // first: the rows after it must not wait behind it
      await table.createEntity(rowFrom('contact-me'));
      await table.createEntity(rowFrom('test-lead'));
      await table.createEntity(rowFrom('do-not-contact'));
      await table.createEntity(rowFrom('get-it-now'));
      // The same Get it now lead also came by the HTTPS endpoint, before the poll.
      const https = (await (await teams.harness.postLead(leadFixture('get-it-now'))).json()) as {
        status: string;
      };
      assert.equal(https.status, 'accepted');

      await poll();
      await teams.harness.app.outbox.settled();

      assert.deepEqual(
        { ...(await counters()), lastPollAt: undefined },
        {
          read: 5,
          accepted: 2,
          tests: 1,
          duplicates: 1,
          malformed: 1,
          lastPollAt: undefined,
        },
      );
      assert.ok((await counters()).lastPollAt, 'the poll time is shown');
      const [contactMe] = await leadsByEmail('avery.lindqvist@contoso.example.com');
      const [doNotContact] = await leadsByEmail('jordan.reyes@litware.example.com');
      const getItNow = await leadsByEmail(emailOf('get-it-now'));
      const [testLead] = await leadsByEmail('MSFT_TEST_638412345678901234@test.com');
      assert.ok(contactMe && doNotContact && testLead, 'every good row is a stored lead');
      assert.equal(getItNow.length, 1, 'one lead for the row and the HTTPS post');
      assert.equal(doNotContact.doNotContact, true);
      assert.equal(testLead.isTest, true);
      // A row gets its priority on arrival, as a webhook post does (do-not-contact: FYI, not ranked).
      assert.equal(contactMe.priority?.level, 'high');
      assert.equal(doNotContact.priority?.level, 'fyi');
      for (const lead of [contactMe, doNotContact, ...getItNow]) assert.equal(postsOf(lead), 1, lead.id);
      assert.equal(postsOf(testLead), 0, 'a test lead is never posted to sales');
      assert.equal(cards(), 3);
      // The malformed row is in the log by its keys and reason, without the personal data it holds.
      const skipped = lines.find((l) => l.includes('MarketplaceLeads row skipped'));
      assert.match(skipped ?? '', new RegExp(broken.rowKey));
      assert.match(skipped ?? '', /CustomerInfo is not valid JSON/);
      assert.ok(!lines.some((l) => l.includes('dana.broken@')), 'no e-mail address in the logs');

      // The same lead by HTTPS after the table had it: a duplicate.
      const again = (await (await teams.harness.postLead(leadFixture('contact-me'))).json()) as {
        status: string;
      };
      assert.equal(again.status, 'duplicate');

      // A row written while the poller is down; then a new app on the same store.
      await table.createEntity(rowFrom('azure-portal-create'));
      await teams.harness.restart({ log: createConsoleLogger({ write: (line) => lines.push(line) }) });
      await poll();
      await teams.harness.app.outbox.settled();
      const [created] = await leadsByEmail(emailOf('azure-portal-create'));
      assert.ok(created, 'the row added meanwhile is a lead');
      assert.equal(postsOf(created), 1);
      assert.equal(cards(), 4, 'nothing posted again');
      const { lastPollAt: _, ...afterRestart } = await counters();
      assert.deepEqual(afterRestart, { read: 1, accepted: 1, tests: 0, duplicates: 0, malformed: 0 });

      await poll(); // and again: nothing new
      assert.equal((await counters()).read, 1);
    });

  it('takes a row Partner Center committed late, with a Timestamp older than one already taken', async () => {
    teams = await start();
    await table.createEntity(rowFrom('contact-me'));
    await poll();
    // Azure sets Timestamp on commit; a row whose commit was slow looks older than the last one
    // taken. Here: a checkpoint a minute ahead of the row that follows.
    const store = teams.harness.app.store;
    const checkpoint = JSON.parse((await store.getCheckpoint('marketplace-table')) ?? '{}') as {
      after: string;
    };
    await store.setCheckpoint(
      'marketplace-table',
      JSON.stringify({ ...checkpoint, after: new Date(Date.parse(checkpoint.after) + 60_000).toISOString() }),
    );
    await table.createEntity(rowFrom('test-drive'));
    await poll();
    await teams.harness.app.outbox.settled();
    const { read, accepted, duplicates } = await counters();
    assert.deepEqual({ read, accepted, duplicates }, { read: 2, accepted: 2, duplicates: 0 });
    assert.equal(cards(), 2);
  });

  it('reads the table from the start after an unreadable checkpoint, and posts nothing twice', async () => {
    teams = await start();
    await table.createEntity(rowFrom('contact-me'));
    await poll();
    await teams.harness.app.outbox.settled();
    await teams.harness.app.store.setCheckpoint('marketplace-table', '{"seen":null}');
    await poll();
    await teams.harness.app.outbox.settled();
    const { read, accepted, duplicates } = await counters();
    assert.deepEqual({ read, accepted, duplicates }, { read: 2, accepted: 1, duplicates: 1 });
    assert.equal(cards(), 1);
    assert.ok(lines.some((l) => l.includes('checkpoint unreadable')));
  });

  it('keeps the checkpoint where it was while the store refuses the lead, and takes the row once it is back', async () => {
    teams = await start();
    await table.createEntity(rowFrom('contact-me'));
    const store = teams.harness.app.store;
    const createLead = store.createLead.bind(store);
    store.createLead = async () => {
      throw new StorageUnavailableError('disk full');
    };
    await poll();
    assert.equal(await store.getCheckpoint('marketplace-table'), undefined, 'nothing passed');
    const failed = await counters();
    assert.match(failed.lastError ?? '', /disk full/);
    assert.equal(failed.read, 0);
    store.createLead = createLead;
    await poll();
    await teams.harness.app.outbox.settled();
    const { read, accepted, lastError } = await counters();
    assert.deepEqual({ read, accepted, lastError }, { read: 1, accepted: 1, lastError: undefined });
    assert.equal(cards(), 1);
  });
});
