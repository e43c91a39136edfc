import assert from 'node:assert/strict';
import { asciiText, fromAsciiText, getText, putText } from '../../src/store/azure/columns.js';
import { monthsBetween, tableNames, toKey } from '../../src/store/azure/keys.js';

describe('Azure Table keys and columns', () => {
  it('makes any text a valid key, two texts never the same key', () => {
    const texts = [
      'a/b',
      'a~2fb',
      'a#b',
      'a?b',
      "o'neil@x.com",
      'a|b',
      'tab\there',
      '19:abc@thread.tacv2',
      '~',
      '%41',
    ];
    const keys = texts.map(toKey);
    const forbidden = (key: string) => [...key].some((c) => "/\\#?|'%".includes(c) || c.charCodeAt(0) < 0x20);
    for (const key of keys) assert.equal(forbidden(key), false, key);
    assert.equal(new Set(keys).size, texts.length);
    assert.equal(toKey('L-7K3Q9'), 'L-7K3Q9', 'ordinary ids stay readable');
    const long = toKey(`${'x'.repeat(2000)}@example.com`);
    assert.ok(long.length < 400 && long !== toKey(`${'x'.repeat(2001)}@example.com`));
  });

  it('names the months a period touches, the end exclusive', () => {
    assert.deepEqual(monthsBetween(new Date('2026-11-30T10:00:00Z'), new Date('2027-02-01T00:00:00Z')), [
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
    assert.deepEqual(monthsBetween(new Date('2026-11-05T00:00:00Z'), new Date('2026-11-05T00:00:00Z')), []);
  });

  it('refuses a table prefix Azure would refuse, saying what is allowed', () => {
    assert.throws(
      () => tableNames('lead-assistant'),
      /AZURE_TABLE_PREFIX must be letters and digits.*"lead-assistant"/,
    );
    // One rule with readConfig's: 40 characters at most, in the store as in the settings.
    assert.throws(() => tableNames('a'.repeat(41)), /at most 40 characters/);
    assert.equal(tableNames('a'.repeat(40)).settings, `${'a'.repeat(40)}settings`);
    assert.throws(() => tableNames('1leads'), /starting with a letter/);
    assert.equal(tableNames('la').leads, 'laleads');
  });

  it('keeps long text whole across chunks, multi-byte characters cut between them included', () => {
    const text = `${'a'.repeat(59_999)}é${'🙂'.repeat(40_000)}`;
    const row: Record<string, unknown> = {};
    const bytes = putText(row, 'd', text);
    assert.equal(bytes, Buffer.byteLength(text));
    assert.equal(row.dn, 4);
    assert.equal(getText(row, 'd'), text);
    assert.equal(getText({ dn: 0 }, 'd'), '');
    assert.equal(fromAsciiText(asciiText('Zoë 🙂 "q"')), 'Zoë 🙂 "q"');
    assert.match(asciiText('Zoë 🙂'), /^[\x20-\x7e]+$/);
  });
});
