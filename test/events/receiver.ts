import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Webhook } from 'standardwebhooks';

/** A fresh `whsec_` secret, as an operator would generate one. */
export function newSecret(seed: number): string {
  return `whsec_${Buffer.alloc(32, seed).toString('base64')}`;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  subject: string;
  sequence: number;
  action: string;
  data: Record<string, any>;
  body: string;
  headers: Record<string, string>;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** What the receiver answers a request with: a status (and headers), or `hang` (never answers). */
export type Answer = number | 'hang' | { status: number; headers?: Record<string, string> };

const schema = JSON.parse(readFileSync('docs/events.schema.json', 'utf8'));

function validator() {
  // Formats written out here (no extra package), as the schema documents them.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('date', /^\d{4}-\d\d-\d\d$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S+$/i);
  return ajv.compile(schema);
}

/**
 * A lead events receiver on loopback, as a customer would write one: every request's signature is
 * checked with `standardwebhooks` and its body against docs/events.schema.json; what fails either
 * is kept in `rejected`, what passes in `events` (only 2xx answers count as received).
 */
export class EventReceiver {
  readonly events: ReceivedEvent[] = [];
  /** Every request that came, whatever was answered. */
  readonly requests: Array<{ id: string; answer: string; at: number }> = [];
  readonly rejected: string[] = [];
  url = '';
  /** Decides each answer; default 200. */
  answer: (request: { id: string; body: any; count: number }) => Answer = () => 200;
  private readonly validate = validator();
  private readonly hanging = new Set<ServerResponse>();
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
  ) {}

  static async start(secret: string, path = '/hooks/leads?sig=receiver-key'): Promise<EventReceiver> {
    const server = createServer();
    const receiver = new EventReceiver(server, secret);
    server.on('request', (req, res) => void receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    return receiver;
  }

  /** Events received for one lead, in arrival order. */
  of(leadId: string): ReceivedEvent[] {
    return this.events.filter((e) => e.subject === leadId);
  }

  /** Resolves once `condition` holds (checked on every request), or rejects after `ms`. */
  async waitFor(condition: () => boolean, ms = 10_000, what = 'events'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${what}; got ${this.events.map((e) => `${e.subject}#${e.sequence}`).join(' ')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Answers every hanging request (with a 503), so nothing waits on them. */
  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    let parsed: any;
    try {
      parsed = new Webhook(this.secret).verify(body, headers);
    } catch (error) {
      this.rejected.push(`signature: ${(error as Error).message}`);
      answerWith(res, 401);
      return this.wake();
    }
    if (!this.validate(parsed)) this.rejected.push(`schema: ${JSON.stringify(this.validate.errors)}`);
    if (parsed.id !== headers['webhook-id']) this.rejected.push(`id ${parsed.id} is not the webhook-id`);
    if (headers['content-type'] !== 'application/json') this.rejected.push('content-type');
    const count = this.requests.filter((r) => r.id === parsed.id).length + 1;
    const answer = this.answer({ id: parsed.id, body: parsed, count });
    this.requests.push({
      id: parsed.id,
      answer: String(typeof answer === 'object' ? answer.status : answer),
      at: Date.now(),
    });
    if (answer === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return this.wake();
    }
    const status = typeof answer === 'number' ? answer : answer.status;
    if (status >= 200 && status < 300) {
      this.events.push({
        id: parsed.id,
        type: parsed.type,
        subject: parsed.subject,
        sequence: parsed.data?.change?.sequence,
        action: parsed.data?.change?.action,
        data: parsed.data,
        body,
        headers,
        at: Date.now(),
      });
    }
    answerWith(res, status, typeof answer === 'object' ? answer.headers : {});
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

// Restify patches http.ServerResponse.prototype in this process, so no writeHead chaining.
function answerWith(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end();
}
