import type { Request, Response } from 'restify';
import type { LeadStore } from '../leads/store.js';

/** GET /healthz: `ok`, or `degraded` with the reason while the store cannot write; plus the figures an operator looks at first. */
export function createHealthCheck(
  store: Pick<LeadStore, 'stats' | 'health'>,
  startedAt: Date,
  events?: { health(): Promise<unknown> },
  /** This instance's own figures (whether it runs background work, its sources' counters). */
  instance: () => Record<string, unknown> = () => ({}),
) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [stats, health, eventsHealth] = await Promise.all([
      store.stats(),
      store.health(),
      events?.health(),
    ]);
    // 503 while writes fail: a load balancer or monitor sees at once that leads cannot be taken.
    res.send(health.status === 'ok' ? 200 : 503, {
      ...health,
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      ...stats,
      ...(eventsHealth ? { events: eventsHealth } : {}),
      ...instance(),
    });
  };
}
