import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { createConsoleLogger, type LoggerOptions, requestScope } from '../src/log.js';

const EMAIL = 'avery.lindqvist@contoso.example.com';
const PHONE = '+1 425 555 0142';

function capture(options: Omit<LoggerOptions, 'write'> = {}) {
  const lines: string[] = [];
  const log = createConsoleLogger({ ...options, write: (line) => lines.push(line) });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, entries, text: () => lines.join('') };
}

describe('the logger', () => {
  it('writes one JSON line per call, with level, time and message', () => {
    const { log, lines, entries } = capture();
    log.info('card posted', { lead: 'L-1', attempts: 2 });
    log.warn('card post failed, will retry');
    log.error('outbox run failed', { error: 'Error: boom' });
    assert.equal(lines.length, 3);
    assert.ok(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')));
    const [info, warn, error] = entries();
    assert.deepEqual([info?.level, warn?.level, error?.level], ['info', 'warn', 'error']);
    assert.equal(info?.msg, 'card posted');
    assert.equal(info?.lead, 'L-1');
    assert.equal(info?.attempts, 2);
    assert.equal(error?.error, 'Error: boom');
    assert.match(String(info?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps the listening line findable by the scripts that wait for it', () => {
    const { log, text } = capture();
    log.info('Lead Assistant listening on 127.0.0.1 port 3978 (this machine only), http://127.0.0.1:3978', {
      dataDir: './data',
    });
    // test/fakes/server-process.ts and scripts/playground-screenshots.ts read stderr with this.
    assert.equal(/listening on .*?(http:\/\/[\d.]+:\d+)/.exec(text())?.[1], 'http://127.0.0.1:3978');
  });

  it('leaves out levels below the one it is given', () => {
    const { log, entries } = capture({ level: 'warn' });
    log.info('not this');
    log.warn('this');
    assert.deepEqual(
      entries().map((e) => e.msg),
      ['this'],
    );
  });

  it('turns errors and dates into text, and a message with quotes or % into the same text', () => {
    const { log, entries } = capture();
    log.error('50% of "cards" \\ failed %s', { error: new RangeError('too far'), at: new Date(0) });
    assert.deepEqual(entries()[0], {
      ...entries()[0],
      msg: '50% of "cards" \\ failed %s',
      error: 'RangeError: too far',
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('writes to stderr at once, so a line just before process.exit is kept', () => {
    const script =
      "const { createConsoleLogger } = await import('./src/log.ts');" +
      "createConsoleLogger().error('Configuration error: PORT'); process.exit(1);";
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 1, child.stderr);
    assert.equal(child.stdout, '');
    assert.equal(JSON.parse(child.stderr).msg, 'Configuration error: PORT');
  });
});

describe('the logger and personal data', () => {
  it('redacts e-mails, phones and names by field name, at the top and nested', () => {
    const { log, text, entries } = capture();
    log.info('lead received', {
      email: EMAIL,
      phone: PHONE,
      name: 'Avery Lindqvist',
      lead: { customer: { firstName: 'Avery', lastName: 'Lindqvist', email: EMAIL, company: 'Contoso Mfg' } },
      people: [{ displayName: 'Avery Lindqvist', mobile: 4255550142 }],
      UserDetails: { FirstName: 'Avery', Email: EMAIL, Phone: PHONE },
    });
    assert.doesNotMatch(text(), /avery\.lindqvist|Lindqvist|555 0142|4255550142|Contoso Mfg/);
    const entry = entries()[0] as Record<string, any>;
    assert.equal(entry.email, 'a***@contoso.example.com');
    assert.equal(entry.phone, '***0142');
    assert.equal(entry.name, 'A***');
    assert.deepEqual(entry.lead.customer, {
      firstName: 'A***',
      lastName: 'L***',
      email: 'a***@contoso.example.com',
      company: 'C***',
    });
    assert.deepEqual(entry.people, [{ displayName: 'A***', mobile: '***0142' }]);
    assert.deepEqual(entry.UserDetails, {
      FirstName: 'A***',
      Email: 'a***@contoso.example.com',
      Phone: '***0142',
    });
  });

  it('masks e-mail addresses in the message and in any field, but not Teams conversation ids', () => {
    const { log, entries } = capture();
    log.warn(`could not reach ${EMAIL}`, {
      by: 'alexw@contoso.com',
      reason: `Error: ${EMAIL} refused`,
      [EMAIL]: true,
      channel: '19:leads@thread.tacv2',
      thread: '19:leads@thread.tacv2;messageid=1',
      chat: '19:a_b@unq.gbl.spaces',
    });
    assert.deepEqual(entries()[0], {
      ...entries()[0],
      msg: 'could not reach a***@contoso.example.com',
      by: 'a***@contoso.com',
      reason: 'Error: a***@contoso.example.com refused',
      'a***@contoso.example.com': true,
      channel: '19:leads@thread.tacv2',
      thread: '19:leads@thread.tacv2;messageid=1',
      chat: '19:a_b@unq.gbl.spaces',
    });
  });

  it('logs only the length of free text a customer sent', () => {
    const { log, text, entries } = capture();
    const raw = JSON.stringify({ FirstName: 'Avery', Phone: PHONE });
    log.info('lead rejected', { raw, lead: { description: 'Call Avery Lindqvist on 555 0142' } });
    assert.doesNotMatch(text(), /Avery|555 0142/);
    assert.equal(entries()[0]?.raw, `[${raw.length} characters]`);
  });

  it('gives the same text when a caller already redacted', () => {
    const { log, entries } = capture();
    log.info('lead received', { email: 'a***@contoso.com', phone: '***0142', name: 'A***' });
    const { email, phone, name } = entries()[0] ?? {};
    assert.deepEqual({ email, phone, name }, { email: 'a***@contoso.com', phone: '***0142', name: 'A***' });
  });

  it('cuts fields nested deeper than its redaction reaches', () => {
    const { log, text } = capture();
    log.info('deep', { a: { b: { c: { d: { name: 'Avery Lindqvist', phone: PHONE } } } } });
    assert.doesNotMatch(text(), /Lindqvist|555 0142/);
    assert.match(text(), /"c":\{"d":"\[nested too deep to log\]"\}/);
  });

  it('never writes an e-mail in full, whatever the fields and wherever it is put', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.object({ maxDepth: 3 }),
        fc.array(key, { minLength: 1, maxLength: 6 }),
        (fields, path) => {
          const { log, text } = capture();
          log.info('x', setAt(fields, path, `mailto:${EMAIL}`));
          assert.doesNotMatch(text(), /avery\.lindqvist/);
        },
      ),
    );
  });

  it('never writes a phone number or a name in full under a field meant for one, at any depth', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 });
    const personal = fc.constantFrom(
      'phone',
      'Phone',
      'mobile',
      'name',
      'firstName',
      'LastName',
      'displayName',
    );
    fc.assert(
      fc.property(
        fc.object({ maxDepth: 3 }),
        fc.array(key, { maxLength: 6 }),
        personal,
        fc.constantFrom(PHONE, 'Lindqvist, Avery'),
        (fields, path, field, value) => {
          const { log, text } = capture();
          log.info('x', setAt(fields, [...path, field], value));
          assert.doesNotMatch(text(), /555 0142|Lindqvist/);
        },
      ),
    );
  });
});

describe('request scope', () => {
  it('puts the request id on every line written while the request is handled, and on no other', async () => {
    const { log, entries } = capture();
    await requestScope.run({ requestId: 'req-1' }, async () => {
      log.info('lead received', { lead: 'L-1', name: 'Avery Lindqvist' });
      await Promise.resolve();
      log.warn('card update failed'); // after an await: still the same request
    });
    log.info('outside any request');
    const [first, second, third] = entries();
    assert.deepEqual([first?.requestId, first?.lead, first?.name], ['req-1', 'L-1', 'A***']);
    assert.equal(second?.requestId, 'req-1');
    assert.equal(third?.requestId, undefined);
  });

  it('gives each line only its own fields: the next line of the request carries none of them', async () => {
    const { log, entries } = capture();
    await requestScope.run({ requestId: 'req-2' }, async () => {
      log.info('lead received', { lead: 'L-1', attempts: 3 });
      log.warn('card update failed');
    });
    const [first, second] = entries();
    assert.deepEqual([first?.lead, first?.attempts], ['L-1', 3]);
    assert.equal(second?.requestId, 'req-2');
    assert.equal(second?.lead, undefined, 'the first line’s fields leaked into the second');
    assert.equal(second?.attempts, undefined);
  });
});

describe('npm run dev', () => {
  it('shows the JSON lines as people read them, and any other line as it is', async () => {
    const dev: { prettyLogLine(line: string): string } = await import(pathToFileURL('scripts/dev.mjs').href);
    const { log, lines } = capture();
    log.warn('card post failed, will retry', { lead: 'L-1' });
    const shown = stripVTControlCharacters(dev.prettyLogLine((lines[0] ?? '').trimEnd()));
    assert.match(shown, /^\[\d\d:\d\d:\d\d\] WARN: card post failed, will retry \{"lead":"L-1"\}$/);
    assert.equal(dev.prettyLogLine('    at main (src/index.ts:1:1)'), '    at main (src/index.ts:1:1)');
  });
});

/** `fields` with `value` at `path`, making the objects on the way (own properties, even `__proto__`). */
function setAt(fields: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const root = structuredClone(fields);
  const put = (node: Record<string, unknown>, key: string, item: unknown) =>
    Object.defineProperty(node, key, { value: item, enumerable: true, writable: true, configurable: true });
  let node = root;
  for (const key of path.slice(0, -1)) {
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    const next = child !== null && typeof child === 'object' && !Array.isArray(child) ? child : {};
    put(node, key, next);
    node = next as Record<string, unknown>;
  }
  put(node, path.at(-1) as string, value);
  return root;
}
