// The message extension through the real server and the fake connector: two teams of one tenant,
// each with its leads. A search (compose box, command box) and an unfurled lead link answer only
// leads the asker may see; anyone else gets an empty list, the same as for a lead that does not exist.
import assert from 'node:assert/strict';
import type { Lead } from '../../src/leads/lead.js';
import { channelMessage, messageExtensionActivity, type TeamsUser } from '../fakes/activities.js';
import { cardText } from '../fakes/card-text.js';
import type { FakeConnector } from '../fakes/fake-connector.js';
import { makeLead } from '../fakes/lead-factory.js';
import {
  ann,
  ben,
  CHANNEL_A,
  CHANNEL_B,
  gina,
  installInBothTeams,
  person,
  sam,
  TEAM_A,
  TEAM_B,
  twoTeamConnector,
} from '../fakes/two-teams.js';
import { Harness } from './harness.js';

const DOMAIN = 'leads.contoso.com';

const zed = person('zed'); // on no team

interface Attachment {
  contentType: string;
  content: { version?: string; actions?: Array<{ type: string; url?: string; title: string }> };
  preview?: { contentType: string; content: { title: string; subtitle?: string; text?: string } };
}
interface Answer {
  status: number;
  body: { composeExtension: { type: string; attachmentLayout: string; attachments: Attachment[] } };
}

const hour = (n: number) => new Date(Date.UTC(2026, 10, 20, n)).toISOString();
const posted = (team: string, channel: string) => [
  {
    teamId: team,
    conversationId: channel,
    state: 'posted' as const,
    attempts: 1,
    activityId: `card-${team}`,
  },
];

describe('message extension: search and unfurled lead links, through the real server', () => {
  let connector: FakeConnector;
  let harness: Harness;

  before(async function () {
    this.timeout(30_000);
    connector = await twoTeamConnector({ a: [ann, sam, gina], b: [ben, sam] });
    harness = await Harness.start({ BOT_DOMAIN: DOMAIN });
    await installInBothTeams(harness, connector.url);
    const create = (lead: Lead) => harness.app.store.createLead(lead);
    await create(
      makeLead({
        id: 'L-AAAAA',
        fingerprint: 'a',
        receivedAt: hour(1),
        customer: {
          firstName: 'Alice',
          lastName: 'Alpha',
          company: 'Alphacorp',
          email: 'alice@alpha.example',
        },
        deliveries: posted(TEAM_A, CHANNEL_A),
      }),
    );
    await create(
      makeLead({
        id: 'L-BBBBB',
        fingerprint: 'b',
        receivedAt: hour(2),
        customer: { firstName: 'Bob', lastName: 'Beta', company: 'Betacorp', email: 'bob@beta.example' },
        deliveries: posted(TEAM_B, CHANNEL_B),
      }),
    );
    // Ann's own open lead, older than the rest: it comes first when nothing is typed.
    await create(
      makeLead({
        id: 'L-CCCCC',
        fingerprint: 'c',
        receivedAt: hour(0),
        status: 'assigned',
        owner: { aadObjectId: ann.aadObjectId, name: ann.name },
        customer: { firstName: 'Carla', lastName: 'Claimed', company: 'Claimcorp' },
        deliveries: posted(TEAM_A, CHANNEL_A),
      }),
    );
    // 30 more of team A's, for paging.
    for (let i = 0; i < 30; i++) {
      await create(
        makeLead({
          id: `L-P${'23456789ABCDEFGHJKMNPQRSTVWXYZ'[i]}PPP`,
          fingerprint: `p${i}`,
          receivedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
          customer: { firstName: 'Page', lastName: `Person ${i}`, company: `Pagecorp ${i}`, email: '' },
          deliveries: posted(TEAM_A, CHANNEL_A),
        }),
      );
    }
  });

  after(async () => {
    await harness.stop();
    await connector.close();
  });

  async function invoke(activity: unknown): Promise<Answer> {
    const response = await harness.postActivity(activity);
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  const search = (
    user: TeamsUser,
    text: string | undefined,
    options: { skip?: number; count?: number; locale?: string; teamId?: string } = {},
  ) =>
    invoke(
      messageExtensionActivity(
        connector.url,
        'composeExtension/query',
        {
          commandId: 'searchLeads',
          parameters:
            text === undefined ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: text }],
          queryOptions: { skip: options.skip ?? 0, count: options.count ?? 25 },
        },
        {
          from: user,
          ...(options.locale ? { locale: options.locale } : {}),
          ...(options.teamId ? { teamId: options.teamId } : {}),
        },
      ),
    );

  const unfurl = (user: TeamsUser, url: unknown, locale?: string) =>
    invoke(
      messageExtensionActivity(
        connector.url,
        'composeExtension/queryLink',
        { url },
        { from: user, ...(locale ? { locale } : {}) },
      ),
    );

  /** The lead ids a result lists, in order (from the preview lines). */
  const ids = (answer: Answer) =>
    answer.body.composeExtension.attachments.map(
      (a) => /L-[0-9A-Z]{5}/.exec(a.preview?.content.text ?? '')?.[0],
    );

  it('answers a result list, each an Adaptive Card 1.3 with a thumbnail preview and the lead link', async () => {
    const answer = await search(ann, 'alphacorp');
    assert.equal(answer.status, 200);
    const { type, attachmentLayout, attachments } = answer.body.composeExtension;
    assert.equal(type, 'result');
    assert.equal(attachmentLayout, 'list');
    assert.equal(attachments.length, 1);
    const [result] = attachments as [Attachment];
    assert.equal(result.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(result.content.version, '1.3');
    assert.equal(result.preview?.contentType, 'application/vnd.microsoft.card.thumbnail');
    assert.deepEqual(result.preview?.content, {
      title: 'Alice Alpha',
      subtitle: 'Alphacorp',
      // Status, priority (a company e-mail asking for a trial: High), id.
      text: 'New · High priority · L-AAAAA',
    });
    assert.deepEqual(result.content.actions, [
      { type: 'Action.OpenUrl', title: 'Open in Lead Assistant', url: `https://${DOMAIN}/leads/L-AAAAA` },
    ]);
    const text = cardText(result.content);
    assert.match(text, /Alice Alpha/);
    assert.match(text, /Not claimed yet/);
    // The chat may hold people who may not see the contact: neither e-mail nor phone is inserted.
    const json = JSON.stringify(result.content);
    for (const secret of ['alice@alpha.example', '555 0142', 'mailto:', 'tel:'])
      assert.ok(!json.includes(secret), secret);
  });

  it('finds by company, by id and by e-mail only the leads in the asker’s scope', async () => {
    assert.deepEqual(ids(await search(ann, 'corp alpha')), ['L-AAAAA']);
    assert.deepEqual(ids(await search(ben, 'alphacorp')), []);
    assert.deepEqual(ids(await search(ben, 'betacorp')), ['L-BBBBB']);
    assert.deepEqual(ids(await search(ann, 'L-BBBBB')), [], 'team B’s id from team A');
    assert.deepEqual(ids(await search(ben, 'L-BBBBB')), ['L-BBBBB']);
    assert.deepEqual(ids(await search(ben, 'alice@alpha.example')), []);
    assert.deepEqual(ids(await search(ann, 'alice@alpha.example')), ['L-AAAAA']);
    assert.deepEqual(ids(await search(sam, 'a.example')).sort(), ['L-AAAAA', 'L-BBBBB'], 'on both teams');
    assert.deepEqual(ids(await search(zed, 'corp')), [], 'on no team');
    assert.deepEqual(ids(await search(gina, 'corp')), [], 'a guest, from a chat');
    // From team B's channel, Sam sees team B's only, as everywhere else.
    assert.deepEqual(ids(await search(sam, 'a.example', { teamId: TEAM_B })), ['L-BBBBB']);
  });

  it('with nothing typed (initialRun) offers their open leads, then the newest unclaimed, each once', async () => {
    const first = ids(await search(ann, undefined));
    assert.equal(first.length, 25);
    assert.equal(first[0], 'L-CCCCC', 'her own lead first');
    assert.equal(first[1], 'L-AAAAA', 'then the newest unclaimed');
    assert.equal(new Set(first).size, first.length);
    assert.ok(!first.includes('L-BBBBB'));
    assert.deepEqual(ids(await search(ben, undefined)), ['L-BBBBB']);
    assert.deepEqual(ids(await search(zed, undefined)), []);
    assert.deepEqual(ids(await search(ann, '   ')).length, 25, 'blank text is the same as initialRun');
  });

  it('pages with queryOptions.skip/count, never more than 25 at a time', async () => {
    const one = ids(await search(ann, 'pagecorp', { skip: 0, count: 100 }));
    assert.equal(one.length, 25, 'count capped at 25');
    const two = ids(await search(ann, 'pagecorp', { skip: 25, count: 25 }));
    assert.equal(two.length, 5);
    assert.equal(new Set([...one, ...two]).size, 30, 'the pages do not overlap');
    assert.equal(ids(await search(ann, 'pagecorp', { skip: 10, count: 3 })).join(), one.slice(10, 13).join());
    assert.deepEqual(ids(await search(ann, 'pagecorp', { skip: 500 })), []);
  });

  it('answers an empty list, never an error, to invokes that are not our search', async () => {
    for (const value of [
      { commandId: 'somethingElse', parameters: [{ name: 'query', value: 'corp' }] },
      { parameters: [{ name: 'query', value: 'corp' }] },
      { commandId: 'searchLeads', parameters: 'corp' },
      { commandId: 'searchLeads', parameters: [{ name: 'query', value: { $gt: '' } }] },
      {
        commandId: 'searchLeads',
        parameters: [{ name: 'query', value: 'corp' }],
        queryOptions: { skip: -5, count: 'x' },
      },
      null,
    ]) {
      const answer = await invoke(
        messageExtensionActivity(connector.url, 'composeExtension/query', value, { from: ann }),
      );
      assert.equal(answer.status, 200, JSON.stringify(value));
      const attachments = answer.body.composeExtension.attachments;
      // A bad skip/count is read as the first page; anything else lists nothing.
      if (JSON.stringify(value).includes('"skip":-5')) assert.ok(attachments.length > 0);
      else assert.deepEqual(attachments, [], JSON.stringify(value));
    }
  });

  it('unfurls a lead link for a team member, and gives nothing to anyone else', async () => {
    const link = `https://${DOMAIN}/leads/L-AAAAA`;
    assert.deepEqual(ids(await unfurl(ann, link)), ['L-AAAAA']);
    assert.deepEqual(ids(await unfurl(sam, `${link}?utm=chat#top`)), ['L-AAAAA']);
    for (const user of [ben, zed, gina]) {
      const answer = await unfurl(user, link);
      assert.equal(answer.status, 200, user.name);
      assert.deepEqual(answer.body, {
        composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] },
      });
    }
    // Out of scope answers exactly as a lead that does not exist.
    const unknown = await unfurl(ann, `https://${DOMAIN}/leads/L-ZZZZZ`);
    assert.deepEqual(unknown.body, (await unfurl(ben, link)).body);
  });

  it('answers an empty list to a malformed, foreign or unknown link', async () => {
    for (const url of [
      'not a url',
      `http://${DOMAIN}/leads/L-AAAAA`,
      `https://evil.example/leads/L-AAAAA`,
      `https://${DOMAIN}.evil.example/leads/L-AAAAA`,
      `https://user:pw@${DOMAIN}/leads/L-AAAAA`,
      `https://${DOMAIN}:8443/leads/L-AAAAA`,
      `https://${DOMAIN}/leads/L-AAAAA/history`,
      `https://${DOMAIN}/leads/%E0%A4%A`,
      `https://${DOMAIN}/leads/L-00000`,
      `https://${DOMAIN}/api/tab/leads/L-AAAAA`,
      `https://${DOMAIN}/leads/${'A'.repeat(5000)}`,
      42,
    ]) {
      const answer = await unfurl(ann, url);
      assert.equal(answer.status, 200, String(url));
      assert.deepEqual(answer.body.composeExtension.attachments, [], String(url));
    }
  });

  it('stays silent when a shared lead card reaches its own chat, and still answers words', async () => {
    const [result] = (await search(ann, 'alphacorp')).body.composeExtension.attachments as [Attachment];
    const chat = { id: 'a:personal-ann', conversationType: 'personal', tenantId: 'tenant-0001' };
    const message = (text: string) => ({
      ...channelMessage(connector.url, '', ann),
      conversation: chat,
      channelData: { tenant: { id: 'tenant-0001' } },
      entities: [],
      text,
    });
    const replies = () =>
      connector.requests.filter((r) => r.kind === 'post' && r.conversationId === chat.id).length;
    const before = replies();
    // As Teams (and the Playground) send a card inserted from the compose box: its marker, no words.
    const shared = {
      ...message(
        '\n<span class="inline-compose-card" itemid="0" itemtype="http://schema.skype.com/InputExtension">\n  <span content="0" itemprop="cardId"></span>\n</span>\n',
      ),
      attachments: [{ contentType: result.contentType, content: result.content }],
    };
    assert.equal((await harness.postActivity(shared)).status, 200);
    assert.equal(replies(), before, 'no "I didn’t get that" to a shared card');
    await harness.postActivity({ ...message('help'), attachments: [] });
    await connector.waitFor((r) => r.kind === 'post' && r.conversationId === chat.id);
    assert.equal(replies(), before + 1, 'a command still gets its answer');
  });

  it('speaks Portuguese to a pt-PT user, in the result, its preview and the unfurled card', async () => {
    const [result] = (await search(ann, 'alphacorp', { locale: 'pt-PT' })).body.composeExtension
      .attachments as [Attachment];
    assert.equal(result.preview?.content.text, 'Novo · Prioridade alta · L-AAAAA');
    assert.equal(result.content.actions?.[0]?.title, 'Abrir no Lead Assistant');
    assert.match(cardText(result.content), /Ainda ninguém o assumiu/);
    const [unfurled] = (await unfurl(ann, `https://${DOMAIN}/leads/L-CCCCC`, 'pt-PT')).body.composeExtension
      .attachments as [Attachment];
    assert.match(cardText(unfurled.content), /Atribuído|Assumido|Responsável/);
  });
});
