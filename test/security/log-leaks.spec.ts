import assert from 'node:assert/strict';
import { createConsoleLogger } from '../../src/log.js';
import { channelMessage, megan } from '../fakes/activities.js';
import { type Harness, TeamsHarness, WEBHOOK_SECRET } from '../http/harness.js';

// Personal data reaches the logs by ways around the redacting logger: V8's JSON error quotes the
// body it failed on, and botbuilder prints a failed turn whole with console.error.
describe('logs hold no personal data from bodies or failed replies', () => {
  let teams: TeamsHarness;
  let harness: Harness;
  const logs: string[] = [];

  beforeEach(async () => {
    teams = await TeamsHarness.start({
      app: { log: createConsoleLogger({ write: (line) => logs.push(line) }) },
    });
    harness = teams.harness;
  });
  afterEach(async () => {
    await teams.stop();
    logs.length = 0;
  });

  it('logs and answers where a malformed JSON body went wrong, never its text', async () => {
    const bodies = [
      // V8: Unexpected token 'a', ..."{"Email": avery.lind"... is not valid JSON
      '{"UserDetails": {"Email": avery.lindqvist@contoso.example.com, "FirstName": "Avery"}}',
      'avery.lindqvist@contoso.example.com',
      '{"UserDetails": {"FirstName": "Avery", "LastName": "Lindqvist"} "Email": "x"}',
    ];
    const answers: string[] = [];
    for (const body of bodies) {
      const response = await harness.postLead(body);
      assert.equal(response.status, 400);
      answers.push(await response.text());
    }
    const lead = await teams.postedLead();
    const crm = await fetch(`${harness.url}/api/leads/${lead.id}/crm`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-leads-key': WEBHOOK_SECRET },
      body: '{"crmId": avery.lindqvist}',
    });
    assert.equal(crm.status, 400);
    answers.push(await crm.text());
    const rejected = logs.filter((line) => line.includes('lead rejected'));
    assert.equal(rejected.length, 3, logs.join('\n'));
    assert.match(rejected[2] ?? '', /not valid JSON \(at character \d+\)/);
    for (const text of [...rejected, ...answers])
      assert.doesNotMatch(text, /avery|lindqvist|lind"|contoso\.example/i, text);
  });

  it('a turn whose replies fail prints nothing to the console and logs only redacted', async function () {
    this.timeout(60_000); // botbuilder's client tries a 500 four times, a few seconds apart
    const lead = await teams.postedLead();
    const printed: unknown[][] = [];
    const saved = { ...console };
    for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
      console[name] = (...args: unknown[]) => printed.push(args);
    try {
      // Teams refuses every reply: the lead's card, then the turn's "try again".
      teams.connector.failNext(50, 500, { kind: 'post' });
      const response = await harness.postActivity(
        channelMessage(teams.connector.url, `lead ${lead.id}`, megan),
      );
      await response.arrayBuffer();
    } finally {
      Object.assign(console, saved);
    }
    assert.deepEqual(printed, [], 'nothing printed past the logger');
    assert.ok(
      logs.some((line) => line.includes('turn failed')),
      logs.join('\n'),
    );
    assert.ok(logs.some((line) => line.includes('reply failed too')));
    assert.doesNotMatch(logs.join('\n'), /avery\.lindqvist|Lindqvist|555 0142/);
  });
});
