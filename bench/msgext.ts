// `npm run bench -- msgext`: the message extension's search (`composeExtension/query`) at full
// history, one invoke at a time through /api/messages, as Teams sends it from a chat: typed text
// (a company, an e-mail, a lead id, a second page) and the search with nothing typed (initialRun).
// Two askers: a seller on the team's roster (their own leads and the team's), and a manager, who
// sees every lead (the most leads to match and scope). Teams gives a search 5 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lead } from '../src/leads/lead.js';
import { alex, messageExtensionActivity, type TeamsUser } from '../test/fakes/activities.js';
import { installedMeta, writeMonthFiles } from './seed.js';
import type { TabBenchDeps } from './tab.js';

/** What the message extension's bench needs of bench/run.ts: the tab bench's own. */
export type MsgextBenchDeps = TabBenchDeps;

const COMMAND = 'npm run bench -- msgext';
const PER_KIND = Number(process.env.BENCH_MSGEXT_REQUESTS ?? 30);
// bench/seed.ts gives non-new leads to aad-seller-0…11; seller 3 is on the roster here.
const seller: TeamsUser = { id: '29:seller-3', aadObjectId: 'aad-seller-3', name: 'Seller 3' };

type Search = { text?: string; skip?: number };

export async function benchMsgext(deps: MsgextBenchDeps): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-msgext-'));
  const meta = installedMeta(deps.connectorUrl);
  const team = meta.installations[0];
  if (!team) throw new Error('installedMeta has no installation');
  // A fresh roster, so no search waits on Teams for it.
  team.members = [{ ...seller, userPrincipalName: 'seller3@contoso.com' }];
  team.membersReadAt = new Date(Date.now() + 3_600_000).toISOString();
  await writeMonthFiles(dir, deps.leads, meta);
  const server = await deps.startServer([dir]);
  try {
    const sample = deps.leads[12_345 % deps.leads.length] as Lead;
    const kinds: Array<[string, Search]> = [
      ['nothing typed (initialRun)', {}],
      ['a company ("customer 42", 200 leads)', { text: 'customer 42' }],
      ['an e-mail', { text: sample.customer.email }],
      ['a lead id', { text: sample.id }],
      ['a company, second page (skip 25)', { text: 'customer 42', skip: 25 }],
    ];
    const all: number[] = [];
    const figures: Record<string, string> = {};
    for (const [who, user] of [
      ['seller', seller],
      ['manager', alex],
    ] as const) {
      for (const [label, search] of kinds) {
        let results = 0;
        // Warm-up (JIT, caches), not measured.
        for (let i = 0; i < 3; i++)
          results = (await query(server.url, deps.connectorUrl, user, search)).results;
        const times: number[] = [];
        for (let i = 0; i < PER_KIND; i++)
          times.push((await query(server.url, deps.connectorUrl, user, search)).ms);
        all.push(...times);
        figures[`${who}, ${label} → ${results} results: p50, p99 ms`] =
          `${deps.pct(times, 0.5)}, ${deps.pct(times, 0.99)}`;
      }
    }
    deps.report(
      'msgextQuery',
      COMMAND,
      `${deps.history}; composeExtension/query from a group chat, one at a time, ${PER_KIND} of each kind per asker`,
      {
        ...figures,
        'all searches: p50, p99, max ms': `${deps.pct(all, 0.5)}, ${deps.pct(all, 0.99)}, ${deps.pct(all, 1)}`,
      },
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One search: its time in ms (the answer read whole and checked), and how many results it listed. */
async function query(
  url: string,
  serviceUrl: string,
  from: TeamsUser,
  search: Search,
): Promise<{ ms: number; results: number }> {
  const activity = messageExtensionActivity(
    serviceUrl,
    'composeExtension/query',
    {
      commandId: 'searchLeads',
      parameters:
        search.text === undefined
          ? [{ name: 'initialRun', value: 'true' }]
          : [{ name: 'query', value: search.text }],
      queryOptions: { skip: search.skip ?? 0, count: 25 },
    },
    { from },
  );
  const started = performance.now();
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const body = (await response.json()) as { composeExtension?: { attachments?: unknown[] } };
  const ms = performance.now() - started;
  if (response.status !== 200 || !Array.isArray(body.composeExtension?.attachments))
    throw new Error(`composeExtension/query answered ${response.status}`);
  return { ms, results: body.composeExtension.attachments.length };
}
