import type { AddressInfo } from 'node:net';
import type restify from 'restify';

/** Listens, and answers a URL this machine can reach the server on, also when it listens on every interface. */
export async function listenOn(server: restify.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE: reported, not thrown from an event
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${address.port}`;
}
