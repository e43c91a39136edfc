import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alex, sharedFileActivity } from '../fakes/activities.js';
import { TeamsHarness } from '../http/harness.js';

/** A loopback server that would serve any file (or a redirect), and counts every request it gets. */
class LoopbackFiles {
  hits: string[] = [];
  private constructor(private readonly server: Server) {}
  static async start(answer: (url: string) => { status: number; location?: string }): Promise<LoopbackFiles> {
    let files: LoopbackFiles | undefined;
    const server = createServer((req, res) => {
      files?.hits.push(req.url ?? '');
      const { status, location } = answer(req.url ?? '');
      res.writeHead(status, location ? { location } : {});
      res.end(status === 200 ? 'Email,Offer name,LeadCreationDateTime\n' : '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    files = new LoopbackFiles(server);
    return files;
  }
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A resolver that never leaves the machine: every name resolves to what the test says. */
function resolvingTo(...addresses: string[]) {
  const names: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    names.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { names, lookup };
}

describe('a shared file is downloaded only from Teams’ storage, over https, from a public address', () => {
  let files: LoopbackFiles;
  before(async () => {
    files = await LoopbackFiles.start((url) =>
      url === '/redirect'
        ? { status: 302, location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }
        : { status: 200 },
    );
  });
  after(() => files.close());
  beforeEach(() => {
    files.hits = [];
  });

  /** Sends Alex's (a manager's) file at `url` to a bot with these download rules; its reply. */
  async function replyTo(teams: TeamsHarness, url: string): Promise<string> {
    await teams.harness.postActivity(sharedFileActivity(teams.connector.url, alex, url));
    const reply = await teams.connector.waitFor(
      (r) => r.kind === 'post' && r.conversationId === 'a:personal-29:alex',
    );
    return String(reply.body.text ?? JSON.stringify(reply.body));
  }

  describe('with production’s rules (no loopback)', () => {
    let teams: TeamsHarness;
    const resolver = resolvingTo('127.0.0.1');
    before(async () => {
      teams = await TeamsHarness.start({
        env: { MANAGERS: 'aad-alex' },
        app: { downloads: { allowLoopback: false, lookup: resolver.lookup } },
      });
    });
    after(() => teams.stop());
    beforeEach(() => teams.connector.requests.splice(0));

    it('a SharePoint name that resolves to 127.0.0.1: refused after resolution, nothing fetched', async () => {
      const url = `https://contoso-my.sharepoint.com:${files.port}/personal/alex/leads.csv`;
      const reply = await replyTo(teams, url);
      assert.match(
        reply,
        /I did not download that file: its server’s name leads to a private or local network address/,
      );
      assert.deepEqual(resolver.names, ['contoso-my.sharepoint.com'], 'resolved, then refused');
      assert.deepEqual(files.hits, []);
    });

    it('plain http, even to a SharePoint name: refused before resolving', async () => {
      resolver.names.splice(0);
      const reply = await replyTo(teams, `http://contoso-my.sharepoint.com:${files.port}/leads.csv`);
      assert.match(reply, /its address is not https/);
      assert.deepEqual(resolver.names, []);
      assert.deepEqual(files.hits, []);
    });

    it('a host that is not SharePoint or OneDrive (here https on loopback): refused, nothing fetched', async () => {
      for (const url of [
        `https://127.0.0.1:${files.port}/leads.csv`,
        `https://localhost:${files.port}/leads.csv`,
      ]) {
        teams.connector.requests.splice(0);
        assert.match(await replyTo(teams, url), /its address is not on SharePoint or OneDrive/, url);
      }
      assert.deepEqual(files.hits, []);
    });
  });

  describe('with local mode’s rules (loopback allowed, for tests and the Playground)', () => {
    let teams: TeamsHarness;
    const resolver = resolvingTo('93.184.215.14', '10.0.0.7');
    before(async () => {
      teams = await TeamsHarness.start({
        env: { MANAGERS: 'aad-alex' },
        app: { downloads: { lookup: resolver.lookup } },
      });
    });
    after(() => teams.stop());
    beforeEach(() => teams.connector.requests.splice(0));

    it('a redirect to 169.254.169.254 (cloud metadata) is not followed', async () => {
      const reply = await replyTo(teams, `http://127.0.0.1:${files.port}/redirect`);
      assert.match(reply, /its server sent me elsewhere \(a redirect\), which I do not follow/);
      assert.deepEqual(files.hits, ['/redirect'], 'asked once; the metadata address never');
    });

    it('a SharePoint name with one private address among public ones: refused, nothing fetched', async () => {
      const reply = await replyTo(teams, `https://contoso.sharepoint.com:${files.port}/leads.csv`);
      assert.match(reply, /private or local network address/);
      assert.deepEqual(files.hits, []);
    });
  });
});
