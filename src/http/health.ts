import type { Request, Response } from 'restify';
import type { LeadStore } from '../store/lead-store.js';

/** GET /healthz: liveness plus the figures an operator looks at first. */
export function createHealthCheck(store: LeadStore, startedAt: Date) {
  return async (_req: Request, res: Response): Promise<void> => {
    const stats = await store.stats();
    res.send(200, {
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      ...stats,
    });
  };
}
