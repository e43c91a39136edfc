import net from 'node:net';

/** A hand-driven HTTP/1.1 connection, for what fetch cannot do: send a request in pieces, watch the socket. */
export class RawClient {
  received = '';
  /** Set when the connection was reset rather than closed cleanly. */
  error: NodeJS.ErrnoException | undefined;
  /** Resolves once the server has closed the connection (or it failed). */
  readonly closed: Promise<void>;
  private waiters: Array<() => void> = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      for (const waiter of this.waiters) waiter();
    });
    socket.on('error', (error) => {
      this.error = error;
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.closed.then(() => {
      for (const waiter of this.waiters) waiter();
    });
  }

  static connect(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Resolves with everything received so far once it contains `text`; rejects if the connection ends first. */
  waitFor(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.includes(text)) {
          this.waiters = this.waiters.filter((waiter) => waiter !== check);
          resolve(this.received);
        } else if (this.socket.destroyed) {
          reject(new Error(`connection closed before "${text}"; got ${JSON.stringify(this.received)}`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A connection attempt's error code, or 'connected'. */
export async function tryConnect(url: string): Promise<string> {
  try {
    (await RawClient.connect(url)).destroy();
    return 'connected';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** Status, headers and body of the one final response in `text` (after any `100 Continue`). */
export function parseResponse(text: string): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const final = text.replace(/^(?:HTTP\/1\.1 1\d\d[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n)+/, '');
  const end = final.indexOf('\r\n\r\n');
  const [head, body] = [final.slice(0, end), final.slice(end + 4)];
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}
