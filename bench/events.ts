// `npm run bench -- events`: lead events delivered per second to a receiver on this machine, while
// the same leads' cards go to a fake Teams that enforces its per-thread limits: are the cards still
// on time? Then the same with a receiver that never answers (every request times out).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { TEAMS_THREAD_WINDOWS } from '../src/delivery/rate-limiter.js';
import { installActivity, LEADS_CHANNEL_ID } from '../test/fakes/activities.js';
import { FakeConnector } from '../test/fakes/fake-connector.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** Every this many events, the signature is checked as a receiver would (the rest only counted). */
const VERIFY_EVERY = 50;

export interface EventsBenchDeps {
  startServer(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ url: string; stop(): Promise<unknown> }>;
  sendLeads(
    url: string,
    count: number,
    senders: number,
    tag: string,
  ): Promise<{ ids: string[]; seconds: number }>;
  postJson(url: string, body: unknown): Promise<Response>;
  tempDir(): string;
  removeDir(dir: string): void;
  earliestFinish(readyAt: number[], windows: typeof TEAMS_THREAD_WINDOWS): number;
  report(name: string, command: string, data: string, figures: Record<string, unknown>): void;
  pct(values: number[], p: number): number;
  round(n: number): number;
}

/** A receiver that answers 200 at once (or never, with `hang`), noting when each lead's event came. */
async function startReceiver(hang: boolean) {
  const arrivals = new Map<string, number>();
  let requests = 0;
  let badSignatures = 0;
  const verifier = new Webhook(SECRET);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests++;
      if (hang) return; // the sender's timeout ends it
      const body = Buffer.concat(chunks).toString('utf8');
      if (requests % VERIFY_EVERY === 1) {
        try {
          verifier.verify(body, req.headers as Record<string, string>);
        } catch {
          badSignatures++;
        }
      }
      const subject = /"subject":"([^"]+)"/.exec(body)?.[1];
      if (subject && !arrivals.has(subject)) arrivals.set(subject, Date.now());
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events?code=bench`,
    arrivals,
    requests: () => requests,
    badSignatures: () => badSignatures,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One run: `count` leads at once; events to the receiver, cards to a Teams with its limits.
 * `control`: no events at all, cards counted after `control` ms (the live run's duration).
 */
async function run(deps: EventsBenchDeps, count: number, hang: boolean, control?: number) {
  const receiver = await startReceiver(hang);
  const teams = await FakeConnector.start({
    channels: [{ id: LEADS_CHANNEL_ID, name: 'Leads' }],
    enforceTeamsLimits: true,
  });
  const dir = deps.tempDir();
  const server = await deps.startServer(
    [dir],
    control === undefined ? { EVENTS_URL: receiver.url, EVENTS_SECRET: SECRET } : {},
  );
  await (await deps.postJson(`${server.url}/api/messages`, installActivity(teams.url))).arrayBuffer();
  const welcome = await teams.waitFor((r) => r.kind === 'create' && r.body?.activity, 10_000);
  const started = Date.now();
  const burst = await deps.sendLeads(server.url, count, 50, hang ? 'deadrcv' : 'events');
  const cardsOf = () => teams.channelPosts().filter((r) => r.at >= started);
  let finished = 0;
  if (control !== undefined) {
    await until(() => Date.now() >= started + control, control + 10_000, 'the control run');
    finished = started + control;
  } else if (hang) {
    // With a dead receiver the figure that matters is the cards: the first 60 as soon as Teams allows.
    await until(() => cardsOf().length >= Math.min(count, 60), 5 * 60_000, 'the cards');
    finished = Date.now();
  } else {
    await until(() => burst.ids.every((id) => receiver.arrivals.has(id)), 5 * 60_000, 'every event');
    finished = Math.max(...receiver.arrivals.values());
  }
  const cards = cardsOf();
  const cardTimes = cards.map((r) => r.at - started).sort((a, b) => a - b);
  // The most cards Teams' windows allow from the burst's start until `finished` (the welcome card took a slot).
  let allowed = 0;
  while (
    deps.earliestFinish([welcome.at - started, ...Array(allowed + 1).fill(0)], TEAMS_THREAD_WINDOWS) <=
    finished - started
  )
    allowed++;
  const figures = {
    receiver: receiver.requests(),
    badSignatures: receiver.badSignatures(),
    seconds: (finished - started) / 1000,
    cards: cards.length,
    allowed,
    cardTimes,
  };
  await server.stop();
  await teams.close();
  await receiver.close();
  deps.removeDir(dir);
  return { ...figures, acceptSeconds: burst.seconds };
}

export async function benchEvents(deps: EventsBenchDeps, count: number): Promise<void> {
  const live = await run(deps, count, false);
  const control = await run(deps, count, false, live.seconds * 1000);
  deps.report(
    'events',
    'npm run bench -- events',
    `${count} leads sent at once (accepted in ${deps.round(live.acceptSeconds)} s, 50 senders); one "received" event each to a receiver on loopback (signatures checked on every ${VERIFY_EVERY}th); their cards to a fake Teams enforcing 7/1 s, 8/2 s, 60/30 s per thread`,
    {
      'events delivered/s': Math.round(count / live.seconds),
      'all events delivered after, s': deps.round(live.seconds),
      'requests to the receiver (sent twice: the rest)': `${live.receiver} (${live.receiver - count})`,
      'bad signatures': live.badSignatures,
      'cards posted meanwhile / most Teams allows in that time': `${live.cards} / ${live.allowed}`,
      'cards posted in the same time with no EVENTS_URL (control)': control.cards,
    },
  );
  const dead = await run(deps, 60, true);
  deps.report(
    'eventsDeadReceiver',
    'npm run bench -- events',
    '60 leads sent at once; the events receiver never answers (10 s timeout each, endpoint paused with backoff); cards as above',
    {
      '60 cards posted after, s': deps.round(dead.seconds),
      'theoretical minimum under Teams limits, s': deps.round(
        deps.earliestFinish([0, ...Array(60).fill(0)], TEAMS_THREAD_WINDOWS) / 1000,
      ),
      'requests to the dead receiver meanwhile': dead.receiver,
    },
  );
}
