import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConsoleLogger } from '../../src/log.js';
import { installActivity, LEADS_CHANNEL_ID } from '../fakes/activities.js';
import { FakeConnector } from '../fakes/fake-connector.js';
import { leadFixture } from '../fixtures/load.js';
import { Harness, WEBHOOK_SECRET } from './harness.js';

describe('POST /api/leads', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await Harness.start();
  });
  afterEach(async () => {
    await harness.stop();
  });

  const dataFile = () =>
    readFile(join(harness.dataDir, 'lead-assistant.json'), 'utf8').catch(() => '(no file)');

  async function expectRejected(response: Response, status: number, code: string, message: RegExp) {
    assert.equal(response.status, status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, code);
    assert.match(body.error.message, message);
  }

  it('accepts the key in the URL, as Partner Center sends it', async () => {
    const response = await harness.postLead(leadFixture('contact-me'), { query: `?code=${WEBHOOK_SECRET}` });
    assert.equal(response.status, 202);
    assert.equal(((await response.json()) as { status: string }).status, 'accepted');
  });

  it('keeps the raw body with the stored lead', async () => {
    const raw = leadFixture('get-it-now');
    const { id } = (await (await harness.postLead(raw)).json()) as { id: string };
    assert.equal((await harness.app.store.getLead(id))?.raw, raw);
  });

  it('refuses a missing or wrong key with 401 and stores nothing', async () => {
    const before = await dataFile();
    await expectRejected(
      await harness.postLead(leadFixture('contact-me'), { key: null }),
      401,
      'unauthorized',
      /key/,
    );
    await expectRejected(
      await harness.postLead(leadFixture('contact-me'), { key: 'wrong-key-0123456789' }),
      401,
      'unauthorized',
      /key/,
    );
    await expectRejected(
      await harness.postLead(leadFixture('contact-me'), { query: '?code=nope' }),
      401,
      'unauthorized',
      /key/,
    );
    assert.equal(await dataFile(), before);
  });

  it('refuses broken bodies with a 400 that says what is wrong, and changes nothing', async () => {
    const before = await dataFile();
    const cases: Array<[string, RegExp]> = [
      ['this is not json', /not valid JSON/],
      ['{"UserDetails": {"FirstName": "Ann"', /not valid JSON/],
      ['[{"LeadSource":"AppSource"}]', /JSON object.*got an array/],
      ['"AzureMarketplace"', /got a string/],
      ['null', /got null/],
      ['{}', /not a marketplace lead/],
      ['{"UserDetails": "Ann Lee", "LeadSource": "AppSource"}', /UserDetails must be an object/],
      [
        '{"UserDetails": {"Email": ["a@b.c"]}, "LeadSource": "AppSource"}',
        /UserDetails\.Email must be a string/,
      ],
      ['{"LeadSource": {"nested": true}}', /LeadSource must be a string/],
      [`{"LeadSource":"AppSource","x":${'['.repeat(20)}${']'.repeat(20)}}`, /nested deeper/],
    ];
    for (const [body, message] of cases) {
      await expectRejected(await harness.postLead(body), 400, 'invalid_input', message);
    }
    assert.equal(await dataFile(), before);
    assert.equal((await harness.app.store.stats()).leads, 0);
  });

  it('refuses a 1 MB body with 413 and a non-JSON content type with 415', async () => {
    const huge = JSON.stringify({ LeadSource: 'AppSource', Description: 'x'.repeat(1024 * 1024) });
    await expectRejected(await harness.postLead(huge), 413, 'payload_too_large', /64 KB/);
    await expectRejected(
      await harness.postLead(leadFixture('contact-me'), { contentType: 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
      /JSON/,
    );
    assert.equal((await harness.app.store.stats()).leads, 0);
  });

  it('accepts JSON with a charset or without any content type', async () => {
    const withCharset = await harness.postLead(leadFixture('contact-me'), {
      contentType: 'application/json; charset=utf-8',
    });
    assert.equal(withCharset.status, 202);
    const withoutType = await harness.postLead(leadFixture('get-it-now'), { contentType: null });
    assert.equal(withoutType.status, 202);
  });

  it('reports store and outbox figures on /healthz', async () => {
    await harness.postLead(leadFixture('contact-me'));
    const response = await fetch(`${harness.url}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.leads, 1);
    assert.equal(body.pendingDeliveries, 0, 'no channel yet, so nothing is queued');
  });
});

describe('request ids', () => {
  it('answer every request with an x-request-id that each log line written meanwhile carries, bot turns too', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
    const harness = await Harness.start(
      {},
      { log: createConsoleLogger({ write: (line) => lines.push(JSON.parse(line)) }) },
    );
    try {
      const install = await harness.postActivity(installActivity(connector.url));
      const turnId = install.headers.get('x-request-id') ?? '';
      assert.match(turnId, /^[0-9a-f-]{36}$/);
      assert.equal(lines.find((l) => l.msg === 'installed in team')?.requestId, turnId);

      const response = await harness.postLead(leadFixture('contact-me'));
      assert.equal(response.status, 202);
      const requestId = response.headers.get('x-request-id') ?? '';
      assert.notEqual(requestId, turnId);
      assert.equal(lines.find((l) => l.msg === 'lead received')?.requestId, requestId);
      await harness.app.outbox.settled();
      const posted = lines.find((l) => l.msg === 'card posted');
      assert.ok(posted, 'the card went out');
      assert.equal(posted.requestId, undefined, 'background work belongs to no request');
    } finally {
      await harness.stop();
      await connector.close();
    }
  });
});
