import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ImportReport } from '../../src/leads/partner-center-import.js';
import { alex, megan, sharedFileActivity } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import type { RecordedRequest } from '../fakes/fake-connector.js';
import { TeamsHarness, WEBHOOK_SECRET } from './harness.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}.csv`, import.meta.url));
// The fixture's Contact me row was created on 20 Nov at 18:30 UTC; the app's clock starts the next
// morning, so the webhook's copy of that lead is "within a day" of it.
const START = Date.parse('2026-11-21T09:00:00Z');
const shifted = () => {
  const offset = Date.now() - START;
  return () => new Date(Date.now() - offset);
};

/** Serves files for the chat path's download URL, counting what was asked for. */
class FileHost {
  hits: string[] = [];
  private constructor(
    private readonly server: Server,
    private readonly files: Map<string, Buffer>,
  ) {}
  static async start(): Promise<FileHost> {
    const files = new Map<string, Buffer>();
    let host: FileHost | undefined;
    const server = createServer((req, res) => {
      host?.hits.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      res.statusCode = body ? 200 : 404;
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = new FileHost(server, files);
    return host;
  }
  serve(path: string, body: Buffer): string {
    this.files.set(path, body);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The report card's counts, as a person reads them. */
function facts(reply: RecordedRequest): Record<string, string> {
  const card = reply.body.attachments?.[0]?.content;
  const set = card?.body?.find((e: { type: string }) => e.type === 'FactSet');
  return Object.fromEntries(
    (set?.facts ?? []).map((f: { title: string; value: string }) => [f.title, f.value]),
  );
}

describe('recovering leads from a Partner Center export, through the server', () => {
  let teams: TeamsHarness;
  let files: FileHost;
  before(async () => {
    // Alex is a manager, Megan a member.
    // The connector answers 429 beyond Teams' per-thread limits: the notice and cards must be paced.
    teams = await TeamsHarness.start({
      env: { MANAGERS: 'aad-alex' },
      app: { now: shifted() },
      enforceTeamsLimits: true,
    });
    files = await FileHost.start();
  });
  after(async () => {
    await teams.stop();
    await files.close();
  });

  const importCsv = (body: Buffer | string, headers: Record<string, string> = {}) =>
    fetch(`${teams.harness.url}/api/leads/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-leads-key': WEBHOOK_SECRET, ...headers },
      body: Buffer.from(body),
    });
  const cardsOf = (id: string) =>
    teams.connector.channelPosts().filter((r) => JSON.stringify(r.body.activity).includes(`· ${id}`));
  const noticeIndex = (count: number) =>
    teams.connector
      .channelPosts()
      .findIndex(
        (r) =>
          r.body.activity.text ===
          `${count} leads recovered from a Partner Center export: their cards follow.`,
      );

  async function cardsPostedOnce(ids: string[], count: number): Promise<void> {
    for (const id of ids)
      await teams.connector.waitFor((r) => r.kind === 'create' && JSON.stringify(r.body).includes(`· ${id}`));
    await teams.harness.app.outbox.settled();
    const posts = teams.connector.channelPosts();
    const notice = noticeIndex(count);
    assert.ok(notice >= 0, 'the channel is told first');
    for (const id of ids) {
      assert.equal(cardsOf(id).length, 1, `${id} posted once`);
      assert.ok(posts.indexOf(cardsOf(id)[0] as RecordedRequest) > notice, `${id} after the notice`);
    }
    assert.equal(teams.connector.throttled, 0, 'paced within Teams’ limits');
  }

  it('POST /api/leads/import: the report as JSON, the new leads posted once after a notice, re-import adds nothing', async () => {
    const known = await teams.postedLead();
    const response = await importCsv(fixture('partner-center-export'));
    assert.equal(response.status, 200);
    const report = (await response.json()) as ImportReport;
    assert.deepEqual(
      [
        report.rows,
        report.new,
        report.known,
        report.duplicates,
        report.tests,
        report.refused.map((r) => r.row),
      ],
      [10, 3, 1, 1, 1, [6, 7, 9, 10]],
    );
    assert.equal(report.leads.length, 3);
    assert.ok(!report.leads.includes(known.id));
    await cardsPostedOnce(report.leads, 3);
    const card = cardText(cardsOf(report.leads[0] as string)[0]?.body.activity);
    assert.match(card, /Recovered from a Partner Center export/);
    const lead = await teams.harness.app.store.getLead(report.leads[0] as string);
    assert.equal(lead?.history[0]?.action, 'recovered');

    const posted = teams.connector.channelPosts().length;
    const again = (await (await importCsv(fixture('partner-center-export'))).json()) as ImportReport;
    assert.deepEqual([again.new, again.known], [0, 4]);
    await teams.harness.app.outbox.settled();
    assert.equal(teams.connector.channelPosts().length, posted, 'nothing posted again');
  });

  it('refuses, storing nothing: a wrong key, not CSV, a file without the needed columns, too large', async () => {
    const before = (await teams.harness.app.store.listLeads()).length;
    const wrongKey = await importCsv(fixture('partner-center-export'), { 'x-leads-key': 'nope' });
    assert.equal(wrongKey.status, 401);
    const json = await importCsv('{"a":1}', { 'content-type': 'application/json' });
    assert.equal(json.status, 415);
    const columns = await importCsv('Name,Company\nAna,Litware\n');
    assert.equal(columns.status, 400);
    const error = ((await columns.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'missing_columns');
    assert.match(error.message, /e-mail.*offer.*creation time/);
    const large = await importCsv(Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    assert.equal(large.status, 413);
    assert.equal((await teams.harness.app.store.listLeads()).length, before);
  });

  it('a manager sends the export in a personal chat: downloaded from Teams’ URL, imported, answered with the report', async () => {
    const url = files.serve('/files/variant.csv', fixture('partner-center-export-variant'));
    const response = await teams.harness.postActivity(sharedFileActivity(teams.connector.url, alex, url));
    assert.equal(response.status, 200);
    const reply = await teams.connector.waitFor(
      (r) =>
        r.kind === 'post' &&
        r.conversationId === 'a:personal-29:alex' &&
        /Partner Center import/.test(cardText(r.body)),
    );
    assert.deepEqual(facts(reply), { 'Rows read': '2', 'New leads': '2', 'Already known': '0' });
    const ids = (await teams.harness.app.store.listLeads())
      .filter((l) => ['Sam@Example.com', 'kim@example.org'].includes(l.customer.email))
      .map((l) => l.id);
    assert.equal(ids.length, 2);
    await cardsPostedOnce(ids, 2);

    await teams.harness.postActivity(sharedFileActivity(teams.connector.url, alex, url));
    const second = await teams.connector.waitFor(
      (r) => r !== reply && r.kind === 'post' && /Partner Center import/.test(cardText(r.body)),
    );
    assert.deepEqual(facts(second), { 'Rows read': '2', 'New leads': '0', 'Already known': '2' });
  });

  it('refuses politely: a member’s file, a file in a team chat, one too large or without the columns — nothing stored', async () => {
    files.hits = [];
    const url = files.serve('/files/again.csv', fixture('partner-center-export-variant'));
    const before = (await teams.harness.app.store.listLeads()).length;
    const said = async (activity: unknown, pattern: RegExp) => {
      await teams.harness.postActivity(activity);
      await teams.connector.waitFor((r) => r.kind === 'post' && pattern.test(JSON.stringify(r.body)));
    };
    await said(sharedFileActivity(teams.connector.url, megan, url), /Only managers can import/);
    await said(sharedFileActivity(teams.connector.url, alex, url, 'groupChat'), /in a personal chat/);
    assert.deepEqual(files.hits, [], 'nothing downloaded');
    const big = files.serve('/files/big.csv', Buffer.alloc(10 * 1024 * 1024 + 10, 'a'));
    await said(sharedFileActivity(teams.connector.url, alex, big), /larger than 10 MB/);
    const noColumns = files.serve('/files/names.csv', Buffer.from('Name,Company\nAna,Litware\n'));
    await said(
      { ...sharedFileActivity(teams.connector.url, alex, noColumns), locale: 'pt-PT' },
      /não tem as colunas que identificam um contacto/,
    );
    assert.equal((await teams.harness.app.store.listLeads()).length, before);
  });

  it('npm run import-leads posts a file to the running server and prints the report', async () => {
    const script = fileURLToPath(new URL('../../scripts/import-leads.ts', import.meta.url));
    const file = fileURLToPath(new URL('../fixtures/partner-center-export.csv', import.meta.url));
    const run = (key: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', script, file, '--url', teams.harness.url], {
        env: { ...process.env, LEADS_WEBHOOK_SECRET: key },
      });
    const { stdout } = await run(WEBHOOK_SECRET);
    assert.match(stdout, /Rows read: +10\nNew leads: +0\nAlready known: +4/);
    assert.match(stdout, /row 6: its e-mail is not an address/);
    await assert.rejects(run('wrong-key'), (error: { stderr: string; code: number }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /401: Missing or invalid key/);
      return true;
    });
  });
});
