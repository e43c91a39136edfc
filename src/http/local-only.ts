// Local mode (no app id, ALLOW_UNAUTHENTICATED_BOT) trusts whoever reaches the server. A web page
// in the developer's browser reaches it too: by DNS rebinding (evil.example resolving to
// 127.0.0.1, so the browser sends `Host: evil.example`) or by posting across sites. The local-only
// routes take a request only for a loopback name (or the configured HOST), from no browser page
// or from a page of the same origin; server-to-server callers (the Agents Playground) send no Origin.
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'restify';
import { refuse } from './json-body.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface LocalRefusal {
  status: 403 | 421;
  code: string;
  message: string;
}

/** Why a request may not reach a local-only route, or undefined when it may. `host`: HOST as configured. */
export function refuseNonLocal(headers: IncomingHttpHeaders, host: string): LocalRefusal | undefined {
  const allowed = new Set([...LOOPBACK_NAMES, host.includes(':') ? `[${host}]` : host]);
  const name = hostName(headers.host ?? '');
  if (name === undefined || !allowed.has(name)) {
    return {
      status: 421,
      code: 'wrong_host',
      message: `In local mode this server answers only for ${[...allowed].join(', ')} (any port).`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !isSameOrigin(origin, headers.host ?? '')) {
    return {
      status: 403,
      code: 'cross_site',
      message:
        'In local mode this route takes no request from another site; call it from this server’s own pages or from a program.',
    };
  }
  return undefined;
}

/** A restify handler for the local-only routes: refuses (and reads nothing) or calls on. */
export function localOnly(host: string) {
  return (req: Request, res: Response, next: (stop?: false) => void): void => {
    const refusal = refuseNonLocal(req.headers, host);
    if (!refusal) {
      next();
      return;
    }
    refuse(req, res, refusal.status, refusal.code, refusal.message);
    next(false);
  };
}

/** `localhost:3978` → `localhost`, `[::1]:3978` → `[::1]`, lower-cased; undefined if malformed. */
function hostName(header: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

function isSameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host.toLowerCase();
  } catch {
    return false; // `null` (a sandboxed frame, a file:// page) and anything unreadable
  }
}
