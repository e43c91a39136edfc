import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * Returns a stop that answers every request the server has already received, then closes.
 *
 * `server.close()` alone is not enough. It drops every idle keep-alive connection at once, even
 * one whose next request has arrived but is not read yet (the client gets ECONNRESET); and the
 * answers still in flight say `keep-alive`, so the stop waits out keepAliveTimeout while a busy
 * client (the Bot Connector reuses its connections) can go on sending requests until the
 * force-exit resets them. So, once stopping, every answer says `Connection: close`, and idle
 * connections are dropped only after the event loop has read what already arrived.
 */
export function trackRequests(server: Server): () => Promise<void> {
  const inFlight = new Map<ServerResponse, Socket>();
  let stopping = false;
  const closeAfter = (res: ServerResponse, socket: Socket) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    // Headers already out (a streamed answer): end the connection once the answer is complete.
    else res.once('finish', () => socket.end());
  };
  const track = (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(res, req.socket);
    res.once('close', () => inFlight.delete(res));
    if (stopping) closeAfter(res, req.socket);
  };
  // Restify answers `Expect: 100-continue` requests from `checkContinue`, which skips `request`.
  server.prependListener('request', track);
  server.prependListener('checkContinue', track);
  let stopped: Promise<void> | undefined;
  return () => {
    stopping = true;
    for (const [res, socket] of inFlight) closeAfter(res, socket);
    stopped ??= new Promise((resolve, reject) => {
      // net.Server's close stops accepting now, without http.Server's dropping of idle connections.
      NetServer.prototype.close.call(server, (error?: Error & { code?: string }) =>
        // A server that never listened has nothing to stop.
        error && error.code !== 'ERR_SERVER_NOT_RUNNING' ? reject(error) : resolve(),
      );
      // The second turn of the event loop has read every request that arrived before the stop.
      setImmediate(() => setImmediate(() => server.closeIdleConnections()));
    });
    return stopped;
  };
}
