// `npm run bench -- import-bomb`: /healthz and the lead webhook's latency while import bombs are
// refused, beside the same calls with no import running. The bombs, sent one after another from
// this process: a million one-character rows (2 MB), one 9 MB line, 9 MB of commas after a header.
import { Agent, request } from 'node:http';

const SECONDS = Number(process.env.BENCH_BOMB_SECONDS ?? 8);

export const BOMBS: Array<{ name: string; body: Buffer }> = [
  { name: '1,000,000 one-character rows (2 MB)', body: Buffer.from('a\n'.repeat(1_000_000)) },
  { name: 'one 9 MB line', body: Buffer.alloc(9 * 1024 * 1024, 'a') },
  {
    name: '9 MB of commas after a header',
    body: Buffer.concat([
      Buffer.from('Email,Offer name,LeadCreationDateTime\n'),
      Buffer.alloc(9 * 1024 * 1024, ','),
    ]),
  },
];

interface Answer {
  status: number;
  ms: number;
}

/** One request on a kept-alive socket (fetch costs this load generator more CPU than the app). */
function call(agent: Agent, url: string, method: string, headers: Record<string, string>, body?: Buffer) {
  const target = new URL(url);
  const started = performance.now();
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method, agent, headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** /healthz and a lead, in turn, until `stop` says so; each one's latency. */
async function probe(url: string, secret: string, agent: Agent, stop: () => boolean) {
  const health: number[] = [];
  const leads: number[] = [];
  for (let i = 0; !stop(); i++) {
    const h = await call(agent, `${url}/healthz`, 'GET', {});
    if (h.status !== 200) throw new Error(`/healthz answered ${h.status}`);
    health.push(h.ms);
    const body = Buffer.from(
      JSON.stringify({
        UserDetails: { FirstName: `Bomb${i}`, LastName: 'Bench', Email: `bomb${i}@bench.example.com` },
        LeadSource: 'SPZA-PLT|pub.offer',
        ActionCode: 'PLT',
        OfferTitle: 'Bench',
      }),
    );
    const lead = await call(
      agent,
      `${url}/api/leads`,
      'POST',
      { 'content-type': 'application/json', 'content-length': String(body.length), 'x-leads-key': secret },
      body,
    );
    if (lead.status !== 202) throw new Error(`the webhook answered ${lead.status}`);
    leads.push(lead.ms);
  }
  return { health, leads };
}

/** The probes for SECONDS with no import, then for SECONDS while bombs are sent one after another. */
export async function benchImportBomb(
  url: string,
  secret: string,
  pct: (values: number[], p: number) => number,
): Promise<Record<string, unknown>> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const quietEnd = performance.now() + SECONDS * 1000;
  const quiet = await probe(url, secret, agent, () => performance.now() > quietEnd);

  const refused: Record<string, number> = {};
  const bombMs: number[] = [];
  let bombing = true;
  const bomber = (async () => {
    const end = performance.now() + SECONDS * 1000;
    for (let i = 0; performance.now() < end; i++) {
      const bomb = BOMBS[i % BOMBS.length] as (typeof BOMBS)[number];
      const answer = await call(
        agent,
        `${url}/api/leads/import`,
        'POST',
        { 'content-type': 'text/csv', 'content-length': String(bomb.body.length), 'x-leads-key': secret },
        bomb.body,
      );
      if (answer.status !== 400) throw new Error(`${bomb.name} answered ${answer.status}`);
      refused[bomb.name] = (refused[bomb.name] ?? 0) + 1;
      bombMs.push(answer.ms);
    }
    bombing = false;
  })();
  const during = await probe(url, secret, agent, () => !bombing);
  await bomber;
  agent.destroy();
  const figures = (values: number[]) => `${pct(values, 0.5)} / ${pct(values, 0.99)} / ${pct(values, 1)}`;
  return {
    'no import: /healthz p50 / p99 / max, ms': figures(quiet.health),
    'no import: lead webhook p50 / p99 / max, ms': figures(quiet.leads),
    'bombs refused (400), each': Object.entries(refused)
      .map(([name, n]) => `${name}: ${n}`)
      .join('; '),
    'bomb: send to refusal p50 / max, ms': `${pct(bombMs, 0.5)} / ${pct(bombMs, 1)}`,
    'during bombs: /healthz p50 / p99 / max, ms': figures(during.health),
    'during bombs: lead webhook p50 / p99 / max, ms': figures(during.leads),
    'calls measured (quiet, during)': `${quiet.health.length + quiet.leads.length}, ${during.health.length + during.leads.length}`,
  };
}
