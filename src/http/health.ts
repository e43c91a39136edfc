import type { Request, Response } from 'restify';
import type { HealthFigures } from './health-figures.js';

/**
 * GET /healthz: `ok`, or `503 degraded` with the reason while the store fails, does not answer
 * or its figures are stale; plus the figures an operator looks at first. Answers within
 * `answerWithinMs` from what the instance knows: it never waits on the store longer than that.
 */
export function createHealthCheck(
  figures: HealthFigures,
  answerWithinMs: number,
  startedAt: Date,
  /** This instance's own figures (whether it runs background work, its sources' counters). */
  instance: () => Record<string, unknown> = () => ({}),
) {
  return async (_req: Request, res: Response): Promise<void> => {
    const { stats, events, ...report } = await figures.answer(answerWithinMs);
    // 503 while degraded: a load balancer or monitor sees at once that leads cannot be taken.
    res.send(report.status === 'ok' ? 200 : 503, {
      ...report,
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      ...stats,
      ...(events ? { events } : {}),
      ...instance(),
    });
  };
}
