// Summaries from rollups give exactly what summaries from the leads give: random histories (leads
// across three months and three teams in two tenants; claims, assigns, closes, reopens, repeats,
// campaign tags, erasures, late channels), asked for by managers, members, channels and digests
// over every kind of period, with and without filters, in three time zones.
import assert from 'node:assert/strict';
import type { ActionCode, Lead, Storefront } from '../../src/leads/lead.js';
import { type Actor, applyAction, type LeadAction, RefusedError } from '../../src/leads/lifecycle.js';
import { allTime, type Period, parsePeriod } from '../../src/leads/period.js';
import { eraseCustomer } from '../../src/leads/privacy.js';
import { summarizeWithSeries } from '../../src/leads/report-series.js';
import { summarize } from '../../src/leads/reports.js';
import { RollupBook } from '../../src/leads/rollup-book.js';
import { summarizeRollup, summarizeRollupWithSeries } from '../../src/leads/rollup-summary.js';
import type { DigestSubscription } from '../../src/leads/store.js';
import type { Viewer } from '../../src/leads/viewer.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { doorOver, installation } from '../fakes/door.js';
import { makeLead } from '../fakes/lead-factory.js';
import { normalCells } from '../fakes/rollup-cells.js';

const NOW = new Date('2026-12-03T15:27:11.123Z');
const ZONES = ['Europe/Lisbon', 'Asia/Kathmandu', 'America/New_York'];
const STOREFRONTS: Storefront[] = ['AzureMarketplace', 'AppSource', 'AzurePortal', 'TestDrive'];
const ACTIONS: ActionCode[] = ['INS', 'PLT', 'Create', 'StartTestDrive', 'Unknown'];
const OFFERS = ['Fabrikam Field Service', 'Fabrikam Analytics', 'Contoso Hub', ''];
const OWNERS = [
  { aadObjectId: 'u-ann', name: 'Ann' },
  { aadObjectId: 'u-bob', name: 'Bob' },
];
const TEAMS = [
  installation('team-a', 'tenant-1', ['u-ann', 'u-bob', 'u-boss']),
  installation('team-b', 'tenant-1', ['u-cy', 'u-bob', 'u-boss']),
  installation('team-c', 'tenant-2', ['u-dee']),
];

/** mulberry32: the same history for the same seed, so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

function newLead(r: Random, n: number): Lead {
  // From early October to a little after "now" (a lead stamped ahead of the clock included).
  // Most on a few busy days (cells of many leads, where taking one out must leave the others).
  const day = r.chance(0.6) ? r.pick([40, 63]) : r.int(64);
  const at = new Date(
    Date.parse('2026-10-01T00:00:00Z') + (day * 24 * 60 + r.int(24 * 60)) * 60_000 + r.int(60_000),
  );
  const teams = r.chance(0.1)
    ? []
    : r.chance(0.1)
      ? ['team-a', 'team-b']
      : r.chance(0.6)
        ? ['team-a']
        : [r.pick(TEAMS).teamId];
  const campaign = r.chance(0.8)
    ? undefined
    : {
        params: {},
        ...(r.chance(0.7) ? { name: r.pick(['Spring Launch', 'spring  launch', 'Webinar']) } : {}),
        ...(r.chance(0.5) ? { id: r.pick(['mkt-1', 'mkt-2']) } : {}),
      };
  return makeLead({
    id: `L-${n}`,
    fingerprint: `fp-${n}`,
    receivedAt: at.toISOString(),
    source: {
      storefront: r.pick(STOREFRONTS),
      action: r.pick(ACTIONS),
      raw: 'x',
      rawActionCode: 'x',
    },
    offerTitle: r.chance(0.7) ? 'Fabrikam Field Service' : r.pick(OFFERS),
    ...(campaign ? { campaign } : {}),
    isTest: r.chance(0.08),
    doNotContact: r.chance(0.08),
    customer: { email: `c${r.int(5)}@example.com`, firstName: `C${n}` },
    deliveries: teams.map((teamId) => ({
      teamId,
      conversationId: `${teamId}-channel`,
      state: 'pending' as const,
      attempts: 0,
    })),
  });
}

function randomAction(r: Random): LeadAction {
  switch (r.int(9)) {
    case 0:
      return { verb: 'claim' };
    case 1:
      return { verb: 'assign', assignee: r.pick(OWNERS) };
    case 2:
      return { verb: 'qualify' };
    case 3:
      return {
        verb: 'opportunity',
        opportunity: { value: r.int(400) * 2.5, currency: r.pick(['EUR', 'USD']) },
      };
    case 4:
      return { verb: r.pick(['won', 'lost'] as const) };
    case 5:
      return { verb: 'disqualify', reason: 'spam' } as LeadAction;
    case 6:
      return { verb: 'reopen' };
    case 7:
      return { verb: 'campaign', campaign: r.pick(['Webinar', 'Autumn']) };
    default:
      return { verb: 'note', note: 'called' };
  }
}

/** One random change to the store: a new lead most often, else something done to a known one. */
async function step(store: MemoryStore, r: Random, n: number): Promise<void> {
  const leads = await store.listLeads();
  const lead = leads.length > 0 && r.chance(0.7) ? r.pick(leads) : undefined;
  if (!lead) {
    await store.createLead(newLead(r, n));
    return;
  }
  const when = new Date(Date.parse(lead.receivedAt) + r.int(5 * 24 * 60) * 60_000 + r.int(60_000));
  const choice = r.int(10);
  if (choice < 6) {
    const owner = r.pick(OWNERS);
    const actor: Actor = { ...owner, isManager: true, isGuest: false };
    try {
      await store.saveLead(applyAction(lead, randomAction(r), actor, when), lead.version);
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
    }
  } else if (choice === 6 && lead.deliveries.length === 0) {
    const teamId = r.pick(TEAMS).teamId;
    await store.addDeliveries(lead.id, [
      { teamId, conversationId: `${teamId}-channel`, state: 'pending', attempts: 0 },
    ]);
  } else if (choice === 7 && !lead.erased) {
    await store.saveLead(eraseCustomer(lead, OWNERS[0] as Actor, 'request', when), lead.version);
  } else if (choice === 8) {
    const repeats = [
      ...(lead.repeats ?? []),
      {
        receivedAt: when.toISOString(),
        source: { ...lead.source, action: r.pick(ACTIONS) },
        fingerprint: `rp-${n}`,
        raw: '',
      },
    ];
    await store.saveLead({ ...lead, repeats }, lead.version);
  } else {
    await store.updateReminders(lead.id, { nudgedAt: when.toISOString() });
  }
}

function periods(zone: string): Period[] {
  const words = ['today', 'week', 'month', '90d', '2026-10-05..2026-11-20', '2026-11-03..2026-11-03'];
  const between = (from: string, to: string): Period => ({
    from: new Date(from),
    to: new Date(to),
    label: 'x',
  });
  return [
    ...words.map((w) => parsePeriod(w, NOW, zone) as Period),
    allTime(NOW),
    // Not from midnight to midnight anywhere: both ends partial, and within one day.
    between('2026-10-20T05:13:00.000Z', '2026-11-25T17:45:30.000Z'),
    between('2026-11-10T13:37:00.000Z', '2026-11-10T20:00:00.000Z'),
  ];
}

const ASKERS = [
  { aadObjectId: 'u-boss', name: 'Boss', tenantId: 'tenant-1' },
  { aadObjectId: 'u-boss', name: 'Boss', tenantId: 'tenant-1', teamId: 'team-b' },
  { aadObjectId: 'u-bob', name: 'Bob', tenantId: 'tenant-1' },
  { aadObjectId: 'u-ann', name: 'Ann', tenantId: 'tenant-1', teamId: 'team-a' },
  { aadObjectId: 'u-dee', name: 'Dee', tenantId: 'tenant-2' },
  // A place in another tenant (a forged or pasted team id): nothing, from the cells as from the leads.
  { aadObjectId: 'u-dee', name: 'Dee', tenantId: 'tenant-2', teamId: 'team-a' },
  { aadObjectId: 'u-bob', name: 'Bob', tenantId: 'tenant-1', teamId: 'team-c' },
];

const DIGESTS: DigestSubscription[] = [
  { ...digest(), teamId: 'team-a' },
  { ...digest(), conversationId: 'chat-1', reader: { aadObjectId: 'u-bob', name: 'Bob' } },
];

function digest(): DigestSubscription {
  return {
    conversationId: 'team-a-channel',
    serviceUrl: 'http://127.0.0.1:1/',
    tenantId: 'tenant-1',
    botId: '28:b',
    cadence: 'daily',
    time: '08:00',
    locale: 'en',
    createdAt: NOW.toISOString(),
  };
}

async function compare(store: MemoryStore, zone: string, r: Random): Promise<void> {
  const { door } = doorOver(store, { now: () => NOW, managers: ['u-boss'] });
  for (const period of periods(zone))
    for (const asker of ASKERS) {
      const offer = r.chance(0.3) ? r.pick(['fabrikam', 'hub', 'zzz']) : undefined;
      const campaign = r.chance(0.3) ? r.pick(['spring launch', 'MKT-2', 'webinar']) : undefined;
      const teamId = r.chance(0.2) ? 'team-a' : undefined;
      const viewer: Viewer = await door.viewer(asker);
      const old = await door.summaryLeads(viewer, period, teamId);
      const rolled = await door.summaryRollup(viewer, period, zone, teamId);
      if ('refused' in old || 'refused' in rolled) {
        assert.deepEqual(rolled, old);
        continue;
      }
      const what = `${zone} ${period.label} ${JSON.stringify(asker)} ${offer} ${campaign} ${teamId}`;
      assert.deepStrictEqual(
        summarizeRollup(rolled.scoped, period, zone, offer, campaign),
        summarize(old.leads, period, offer, campaign),
        what,
      );
      assert.deepStrictEqual(
        summarizeRollupWithSeries(rolled.scoped, period, zone, offer),
        summarizeWithSeries(old.leads, period, zone, offer),
        what,
      );
    }
  for (const subscription of DIGESTS) {
    const period = parsePeriod('week', NOW, zone) as Period;
    const leads = await door.digestLeads(subscription, period);
    const scoped = await door.digestRollup(subscription, period, zone);
    assert.ok(leads && scoped);
    assert.deepStrictEqual(summarizeRollup(scoped, period, zone), summarize(leads, period));
  }
}

describe('summaries from rollups (property: the same as from the leads)', () => {
  for (let seed = 1; seed <= 12; seed++)
    it(`random history #${seed}`, async () => {
      const r = random(seed);
      const zone = ZONES[seed % ZONES.length] as string;
      const store = new MemoryStore();
      for (const team of TEAMS) await store.putInstallation(team);
      await store.rollupCells('2026-01-01', '2026-01-01', zone); // built empty: every change goes through the hook
      for (let n = 0; n < 600; n++) {
        await step(store, r, n);
        if (n % 200 === 199) await compare(store, zone, r);
      }
      let counted = 0;
      for (const period of periods(zone))
        counted += summarize(await store.listLeadsReceived(period.from, period.to), period).received;
      assert.ok(counted > 0, 'the history has leads in the periods asked');
    });

  it('kept as leads change equals rebuilt from them, cell for cell, with many leads in one cell', async () => {
    for (let seed = 100; seed < 106; seed++) {
      const r = random(seed);
      const store = new MemoryStore();
      await store.rollupCells('2026-01-01', '2026-01-01', 'UTC');
      // One day, one team, one offer, no campaign: every lead of a kind in the same cell.
      const same = (lead: Lead): Lead => ({
        ...lead,
        receivedAt: `2026-11-10T0${r.int(10)}:00:00.000Z`,
        offerTitle: 'Offer',
        deliveries: [{ teamId: 'team-a', conversationId: 'c', state: 'pending', attempts: 0 }],
      });
      for (let n = 0; n < 40; n++) {
        const { campaign: _none, ...lead } = newLead(r, n);
        await store.createLead(same(lead));
      }
      for (let n = 0; n < 400; n++) {
        const lead = r.pick(await store.listLeads());
        const when = new Date(Date.parse(lead.receivedAt) + r.int(3000) * 60_000);
        const actor: Actor = { ...r.pick(OWNERS), isManager: true, isGuest: false };
        try {
          await store.saveLead(applyAction(lead, randomAction(r), actor, when), lead.version);
        } catch (error) {
          if (!(error instanceof RefusedError)) throw error;
        }
      }
      const kept = await store.rollupCells('2026-11-10', '2026-11-10', 'UTC');
      const rebuilt = await new MemoryStore().rollupCells('2026-11-10', '2026-11-10', 'UTC');
      assert.equal(rebuilt.length, 0);
      const fresh = new MemoryStore();
      for (const lead of await store.listLeads()) await fresh.createLead(lead);
      assert.deepStrictEqual(
        normalCells(kept),
        normalCells(await fresh.rollupCells('2026-11-10', '2026-11-10', 'UTC')),
        `seed ${seed}`,
      );
    }
  });

  it('built in the background at start, with changes told meanwhile: the same as rebuilt from the leads', async () => {
    const r = random(7);
    const store = new MemoryStore();
    for (let n = 0; n < 5000; n++) await store.createLead(newLead(r, n));
    const before = await store.listLeads();
    const book = RollupBook.inBackground(before, 'Europe/Lisbon');
    // Changed while it builds (the first chunk is rolled up before the build yields, the rest later).
    const by = OWNERS[0] as (typeof OWNERS)[number];
    const at = NOW.toISOString();
    const changed = before.slice(0, 3000).map((lead) => {
      const next: Lead = {
        ...lead,
        status: 'assigned',
        owner: by,
        history: [...lead.history, { at, by, action: 'claim', from: 'new', to: 'assigned' }],
        version: lead.version + 1,
      };
      book.apply(lead, next);
      return next;
    });
    const extra = newLead(r, 9999);
    book.apply(undefined, extra);
    await book.ready;
    const now = [...changed, ...before.slice(3000), extra];
    const all = (b: RollupBook) => normalCells(b.between('2026-01-01', '2027-12-31'));
    assert.notDeepEqual(all(RollupBook.rebuild(before, 'Europe/Lisbon')), all(book));
    assert.deepStrictEqual(all(book), all(RollupBook.rebuild(now, 'Europe/Lisbon')));
  });

  it('is rebuilt from the leads when asked in another time zone', async () => {
    const r = random(99);
    const store = new MemoryStore();
    for (const team of TEAMS) await store.putInstallation(team);
    for (let n = 0; n < 200; n++) await step(store, r, n);
    for (const zone of ZONES) await compare(store, zone, r);
  });
});
