import assert from 'node:assert/strict';
import { isAllowedAddress, isTeamsFileHost, refuseUrl } from '../../../src/bot/handlers/file-host.js';

describe('where a shared file may come from', () => {
  it('Teams’ file hosts by whole-label suffix, not look-alikes', () => {
    for (const host of [
      'contoso-my.sharepoint.com',
      'contoso.sharepoint.us',
      'x.1drv.com',
      'CONTOSO.SharePoint.com.',
    ])
      assert.ok(isTeamsFileHost(host), host);
    for (const host of ['evilsharepoint.com', 'sharepoint.com.evil.example', 'sharepoint.com', 'example.com'])
      assert.ok(!isTeamsFileHost(host), host);
  });

  it('public addresses only; loopback only when allowed; never private, link-local or mapped', () => {
    for (const address of ['52.104.1.10', '2603:1006::1'])
      assert.ok(isAllowedAddress(address, false), address);
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a9fe:a9fe',
      'not-an-address',
    ])
      assert.ok(!isAllowedAddress(address, false), address);
    assert.ok(isAllowedAddress('127.0.0.1', true));
    assert.ok(!isAllowedAddress('169.254.169.254', true), 'local mode allows loopback, nothing else');
  });

  it('https outside local mode; http only to loopback in local mode', () => {
    assert.equal(refuseUrl(new URL('https://contoso.sharepoint.com/a.csv'), false), undefined);
    assert.equal(refuseUrl(new URL('http://contoso.sharepoint.com/a.csv'), false), 'http');
    assert.equal(refuseUrl(new URL('http://127.0.0.1:9/a.csv'), false), 'host');
    assert.equal(refuseUrl(new URL('http://127.0.0.1:9/a.csv'), true), undefined);
    assert.equal(refuseUrl(new URL('http://[::1]:9/a.csv'), true), undefined);
    assert.equal(refuseUrl(new URL('http://contoso.sharepoint.com/a.csv'), true), 'http');
    assert.equal(refuseUrl(new URL('ftp://contoso.sharepoint.com/a.csv'), false), 'http');
  });
});
