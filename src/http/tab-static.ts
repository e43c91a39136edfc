// `/tab/*`: the tab's built files (dist/tab, written by `npm run build`), framable by Teams and
// Microsoft 365 only, loading nothing from elsewhere, and never a file outside that folder.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'restify';

/** Where the build puts the tab: `<repo>/dist/tab`, from src/http or from dist/http alike. */
export const TAB_DIR = fileURLToPath(new URL('../../dist/tab/', import.meta.url));

/** Hosts that may frame the tab (reference/teams-tab.md §2.4), and 'self' for the local tab host. */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
];

/**
 * Scripts and styles from this server only, no inline script: Fluent's theme goes through
 * constructed style sheets and the CSSOM, which `style-src 'self'` allows.
 */
export const TAB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // teams-js reads its list of valid host origins from Microsoft's CDN (it has a copy built in).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING_BUILD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lead Assistant tab not built</title></head>
<body><h1>The tab is not built yet</h1><p>Run <code>npm run build</code> on the server, then reload this page.</p></body></html>`;

/**
 * For /healthz and the start-up log: whether `root` holds a built tab. A stat, cheap enough for
 * every health probe, and read each time: a build run while the server is up is seen at once.
 */
export function tabBuildStatus(root: string = TAB_DIR): 'ok' | 'missing build' {
  try {
    return statSync(resolve(root, 'index.html')).isFile() ? 'ok' : 'missing build';
  } catch {
    return 'missing build';
  }
}

/**
 * The file a request path names under `root`, or undefined when it names none: each segment is
 * decoded once and refused if it is empty-dot, `..`, hidden, or smuggles a separator or NUL.
 */
export function tabFilePath(root: string, urlPath: string): string | undefined {
  const rest = urlPath.replace(/^\/tab\/?/, '');
  const segments: string[] = [];
  for (const raw of rest === '' ? [] : rest.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '') continue;
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const base = resolve(root);
  const path = resolve(
    base,
    ...(segments.length === 0 || rest.endsWith('/') ? [...segments, 'index.html'] : segments),
  );
  return path.startsWith(base + sep) ? path : undefined;
}

/**
 * The local tab host (`local-host.*`) frames the tab and signs people in with the local key: it
 * is served only when that key exists (local mode), never beside a production tab.
 */
export function serveTab(root: string = TAB_DIR, options: { localHost: boolean } = { localHost: false }) {
  return async (req: Request, res: Response) => {
    const pathname = new URL(req.url ?? '/', 'http://tab.invalid').pathname;
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('Content-Security-Policy', TAB_CSP);
    res.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (pathname === '/tab') {
      res.redirect(301, `/tab/${new URL(req.url ?? '/', 'http://tab.invalid').search}`, () => {});
      return;
    }
    if (!(await isDirectory(root))) {
      res.sendRaw(503, MISSING_BUILD, { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': '60' });
      return;
    }
    const path = tabFilePath(root, pathname);
    if (!options.localHost && path && basename(path).startsWith('local-host')) {
      res.sendRaw(404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const type = path ? TYPES[extname(path).toLowerCase()] : undefined;
    const body = path && type ? await readFile(path).catch(() => undefined) : undefined;
    if (!body || !type) {
      res.sendRaw(404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    res.header('ETag', etag);
    res.header('Cache-Control', 'no-cache');
    if (req.headers['if-none-match'] === etag) {
      res.status(304);
      res.end();
      return;
    }
    res.sendRaw(200, req.method === 'HEAD' ? '' : body, { 'Content-Type': type });
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
