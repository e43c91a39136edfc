// `npm run bench`: figures for the embedded store and the delivery engine on this machine.
// Each scenario prints its command, data size and figures; all are saved to bench/results/latest.json.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { parsePeriod } from '../src/leads/period.js';
import { summarize } from '../src/leads/reports.js';
import { silentLogger } from '../src/log.js';
import { cardActionActivity, installActivity, LEADS_CHANNEL_ID } from '../test/fakes/activities.js';
import { FakeConnector } from '../test/fakes/fake-connector.js';
import { seedLeads } from './seed.js';

const TOTAL = Number(process.env.BENCH_LEADS ?? 100_000);
const CURRENT = Math.round(TOTAL / 10);
const SECRET = 'bench-secret-0123456789';
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  command: 'npm run bench',
  leadsInStore: TOTAL,
};

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
};
const round = (n: number) => Math.round(n * 10) / 10;
function report(name: string, figures: Record<string, unknown>) {
  results[name] = figures;
  process.stdout.write(`${name}: ${JSON.stringify(figures)}\n`);
}

const seeded = mkdtempSync(join(tmpdir(), 'bench-seed-'));
const t0 = performance.now();
await seedLeads(seeded, TOTAL, CURRENT);
process.stdout.write(
  `seeded ${TOTAL} leads (${CURRENT} this month) in ${round((performance.now() - t0) / 1000)} s\n`,
);
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  cpSync(seeded, dir, { recursive: true });
  return dir;
};

// Cold start and memory, in a process of its own.
{
  const dir = fresh();
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/cold-start.ts', dir], {
    encoding: 'utf8',
  });
  const { readyMs, rssMB, leads } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
  report('coldStart', { leads, readyMs: Math.round(readyMs), rssMB: Math.round(rssMB) });
  rmSync(dir, { recursive: true, force: true });
}

// Intake: 50 concurrent senders against POST /api/leads.
{
  const dir = fresh();
  const app = await createApp(
    readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', DATA_DIR: dir, LEADS_WEBHOOK_SECRET: SECRET }),
    { log: silentLogger },
  );
  const url = await app.listen(0, '127.0.0.1');
  const N = 3000;
  const SENDERS = 50;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < N) {
        const i = next++;
        const body = JSON.stringify({
          UserDetails: { FirstName: `New${i}`, Email: `new${i}@bench.example.com` },
          LeadSource: 'SPZA-PLT|pub.offer',
          ActionCode: 'PLT',
          OfferTitle: 'Bench',
        });
        const t = performance.now();
        const response = await fetch(`${url}/api/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-leads-key': SECRET },
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  report('intake', {
    leads: N,
    senders: SENDERS,
    leadsPerSecond: Math.round(N / seconds),
    p50ms: round(pct(latencies, 0.5)),
    p99ms: round(pct(latencies, 0.99)),
  });

  // summary month over the whole history (domain + figures; the card is rendered from them).
  const leads = await app.store.listLeads();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    summarize(
      leads,
      parsePeriod('month', new Date(), 'UTC') ?? { from: new Date(0), to: new Date(), label: 'month' },
    );
    times.push(performance.now() - t);
  }
  report('summaryMonth', {
    leads: leads.length,
    p50ms: round(pct(times, 0.5)),
    maxMs: round(Math.max(...times)),
  });
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

// Card action: lead.claim invokes through /api/messages at full history.
{
  const dir = fresh();
  const connector = await FakeConnector.start({ channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }] });
  const app = await createApp(readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', DATA_DIR: dir }), {
    log: silentLogger,
  });
  const url = await app.listen(0, '127.0.0.1');
  const post = (activity: unknown) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  await (await post(installActivity(connector.url))).arrayBuffer();
  const open = (await app.store.listLeads())
    .filter((l) => l.status === 'new')
    .slice(0, Number(process.env.BENCH_CLAIMS ?? 50));
  // Each lead in its own thread, as in Teams; the setup is one group-committed write.
  const thread = (i: number) => `${LEADS_CHANNEL_ID};messageid=${1000 + i}`;
  await Promise.all(
    open.map((lead, i) =>
      app.store.addDeliveries(lead.id, [
        {
          teamId: '19:general-team-1@thread.tacv2',
          conversationId: LEADS_CHANNEL_ID,
          state: 'posted',
          activityId: String(1000 + i),
          threadId: thread(i),
          attempts: 1,
        },
      ]),
    ),
  );
  const latencies: number[] = [];
  for (const [i, lead] of open.entries()) {
    const t = performance.now();
    const response = await post(
      cardActionActivity(connector.url, {
        threadId: thread(i),
        activityId: String(1000 + i),
        verb: 'lead.claim',
        data: { leadId: lead.id, version: lead.version },
      }),
    );
    await response.arrayBuffer();
    latencies.push(performance.now() - t);
  }
  report('claim', {
    invokes: open.length,
    p50ms: round(pct(latencies, 0.5)),
    p99ms: round(pct(latencies, 0.99)),
  });
  await app.close();
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
}

// Delivery: a burst into one channel through a connector that enforces Teams' per-thread limits.
{
  const BURST = Number(process.env.BENCH_BURST ?? 300);
  const dir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const connector = await FakeConnector.start({
    channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
    enforceTeamsLimits: true,
  });
  const app = await createApp(
    readConfig({ ALLOW_UNAUTHENTICATED_BOT: 'true', DATA_DIR: dir, LEADS_WEBHOOK_SECRET: SECRET }),
    { log: silentLogger },
  );
  const url = await app.listen(0, '127.0.0.1');
  await (
    await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(installActivity(connector.url)),
    })
  ).arrayBuffer();
  const ids: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const body = JSON.stringify({
        UserDetails: { FirstName: `Burst${i}`, Email: `burst${i}@bench.example.com` },
        ActionCode: 'PLT',
        OfferTitle: 'Bench',
      });
      const response = await fetch(`${url}/api/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-leads-key': SECRET },
        body,
      });
      ids.push(((await response.json()) as { id: string }).id);
    }),
  );
  const cards = () => connector.channelPosts().filter((r) => r.body.activity?.attachments);
  await connector.waitFor(() => cards().length >= BURST + 1, 10 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const posted = cards().map((r) => JSON.stringify(r.body.activity));
  const perLead = ids.map((id) => posted.filter((p) => p.includes(id)).length);
  // Theoretical minimum for the card posts alone (the welcome card took one slot): the 60-per-30-s window.
  const minimum = Math.max(0, Math.ceil((BURST + 1) / 60) - 1) * 30 + (((BURST + 1) % 60) / 8) * 2;
  report('delivery', {
    leads: BURST,
    seconds: round(seconds),
    theoreticalMinimumSeconds: round(minimum),
    ratio: round(seconds / minimum),
    throttled429: connector.throttled,
    lost: perLead.filter((n) => n === 0).length,
    duplicated: perLead.filter((n) => n > 1).length,
  });
  await app.close();
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
}

rmSync(seeded, { recursive: true, force: true });
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write('saved bench/results/latest.json\n');
process.exit(0);
