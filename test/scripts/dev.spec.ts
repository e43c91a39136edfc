import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface DevScript {
  playgroundUser(yaml: string): { aadObjectId: string; name: string };
  devEnv(env: Record<string, string | undefined>, yaml: string): Record<string, string | undefined>;
}

// A plain .mjs (run by node without tsx), so imported by URL: the type checker has no types for it.
const dev: DevScript = await import(pathToFileURL('scripts/dev.mjs').href);
const yaml = readFileSync('.m365agentsplayground.yml', 'utf8');

describe('npm run dev', () => {
  it("makes the Playground's own user a manager, so one person can try every action", () => {
    assert.deepEqual(dev.playgroundUser(yaml), {
      aadObjectId: '00000000-0000-0000-0000-000000000c01',
      name: 'Megan Bowen',
    });
    const env = dev.devEnv({ PATH: '/bin' }, yaml);
    assert.equal(env.MANAGERS, '00000000-0000-0000-0000-000000000c01');
    assert.equal(env.ALLOW_UNAUTHENTICATED_BOT, 'true');
    assert.equal(env.MicrosoftAppId, '');
    assert.equal(env.PATH, '/bin');
  });

  it('keeps the MANAGERS the user set, even an empty one', () => {
    assert.equal(
      dev.devEnv({ MANAGERS: 'lee@contoso.example.com' }, yaml).MANAGERS,
      'lee@contoso.example.com',
    );
    assert.equal(dev.devEnv({ MANAGERS: '' }, yaml).MANAGERS, '');
  });

  it('says so when the Playground config has no current user', () => {
    assert.throws(() => dev.devEnv({}, 'version: "0.1.1"\nusers: []\n'), /no currentUser\.aadObjectId/);
  });

  it('reads the current user, not one of the others', () => {
    const other =
      'currentUser:\n  id: u1\n  name: "Ana Lima"\n  aadObjectId: "aa-1"\nusers:\n  - aadObjectId: bb-2\n';
    assert.deepEqual(dev.playgroundUser(other), { aadObjectId: 'aa-1', name: 'Ana Lima' });
  });
});
