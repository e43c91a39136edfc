// The Agents Playground always sends `locale: en-US`. To see the bot as a Teams user in another
// language would, a small proxy between the Playground and the bot sets each activity's locale.
// Used by `npm run dev -- --locale pt-PT` (scripts/dev.mjs) and `npm run screenshots`.
import { createServer, request } from 'node:http';

export const PLAYGROUND_LOCALES = ['en', 'pt-PT'];
const MAX_BODY = 1024 * 1024;

/**
 * The language asked for: `--locale pt-PT` or `--locale=pt-PT` among `args`, else PLAYGROUND_LOCALE;
 * `en` when neither. Case and `pt`/`en-GB` style tags are accepted; anything else is an error.
 */
export function playgroundLocale(args, env) {
  let raw = env.PLAYGROUND_LOCALE?.trim() || '';
  let source = 'PLAYGROUND_LOCALE';
  args.forEach((arg, i) => {
    if (arg === '--locale') {
      raw = args[i + 1] ?? '';
      source = '--locale';
    } else if (arg.startsWith('--locale=')) {
      raw = arg.slice('--locale='.length);
      source = '--locale';
    }
  });
  if (raw === '' && source === 'PLAYGROUND_LOCALE') return 'en';
  if (/^en(-|$)/i.test(raw)) return 'en';
  if (/^pt(-|$)/i.test(raw)) return 'pt-PT';
  throw new Error(`${source} must be en or pt-PT (got "${raw}").`);
}

/**
 * Listens on 127.0.0.1 (a free port unless `port` is given) and forwards every request to the bot
 * on `targetPort`, with `locale` set on JSON bodies (activities). Resolves to the server and its port.
 */
export function startLocaleProxy(targetPort, locale, port = 0) {
  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (body.length > 0 && req.headers['content-type']?.includes('json')) {
        try {
          const activity = JSON.parse(body.toString());
          if (activity && typeof activity === 'object' && !Array.isArray(activity)) {
            activity.locale = locale;
            body = Buffer.from(JSON.stringify(activity));
          }
        } catch {} // not JSON after all: the bot answers it as it would
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      const forward = request(
        { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('The bot is not answering.\n');
      });
      forward.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, port: server.address().port }));
  });
}

/** The bot's own setting to match: proactive posts (new lead cards) in `locale` too, unless DEFAULT_LOCALE is set. */
export function localeEnv(locale, env) {
  return locale !== 'en' && !env.DEFAULT_LOCALE ? { DEFAULT_LOCALE: locale } : {};
}
