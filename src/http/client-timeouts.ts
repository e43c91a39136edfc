import type { Server } from 'node:http';

export interface ClientTimeouts {
  /** A request's headers must be in within this long. */
  headersMs: number;
  /** A whole request (headers and body) must be in within this long. */
  requestMs: number;
}

/** What the README promises: a slow or stalled client cannot hold a connection for long. */
export const CLIENT_TIMEOUTS: ClientTimeouts = { headersMs: 15_000, requestMs: 30_000 };

/**
 * Node checks these timeouts only every `connectionsCheckingInterval` (30 s by default), so a
 * 15 s limit really cut clients off after 30–45 s. Checking every second (a tenth of the limit
 * when it is shorter) makes the cut-off the limit plus at most that much. Node reads the interval
 * when the server starts listening, so this must run before `listen`.
 */
export function applyClientTimeouts(server: Server, timeouts: ClientTimeouts): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  // Public since Node 18.12 but missing from @types/node's Server.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    1_000,
    Math.max(10, Math.ceil(timeouts.headersMs / 10)),
  );
}
