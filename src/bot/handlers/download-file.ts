// The one outside URL the bot fetches: a file Teams hands it (a personal chat's attachment).
// Only Teams' file hosts, over https; only public addresses, checked after resolution and then
// connected to as checked (a second resolution cannot swap in another); no redirects.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type HostRefusal, isAllowedAddress, refuseUrl } from './file-host.js';

export type DownloadRefusal = HostRefusal | 'redirect';

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly reason: 'too_large' | 'failed' | 'refused',
    /** For `refused`: what was refused. */
    readonly refusal?: DownloadRefusal,
  ) {
    super(message);
  }
}

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

export interface DownloadPolicy {
  /** Local mode only (tests, the Agents Playground): http and loopback addresses too. */
  allowLoopback: boolean;
  /** Every address a name resolves to. */
  lookup: (hostname: string) => Promise<LookupAddress[]>;
}

/** Resolves with the system's resolver, every address (so each can be checked). */
export function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );
}

/** Production's rules: no loopback, the system's resolver. */
export const STRICT_DOWNLOADS: DownloadPolicy = { allowLoopback: false, lookup: lookupAll };

/**
 * GETs exactly `url`, as the chunks that came (never joined: the import reads them a slice at a
 * time), refusing it past `maxBytes` (declared or counted) or `timeoutMs`,
 * and refusing (reason `refused`, nothing fetched) any URL or address the policy does not allow.
 */
export async function downloadChunks(
  url: string,
  limits: DownloadLimits,
  policy: DownloadPolicy = STRICT_DOWNLOADS,
): Promise<Buffer[]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError('The download URL is not a URL.', 'refused', 'host');
  }
  const refusal = refuseUrl(parsed, policy.allowLoopback);
  if (refusal)
    throw new DownloadError(
      `Refusing to download from ${parsed.protocol}//${parsed.host}.`,
      'refused',
      refusal,
    );
  const address = await checkedAddress(parsed.hostname, policy);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: IncomingMessage;
  try {
    response = await get(parsed, address, signal);
  } catch (error) {
    throw new DownloadError(`Download failed: ${(error as Error).message}`, 'failed');
  }
  return readLimited(response, limits.maxBytes);
}

/** One address the name resolves to, if every one of them is allowed (else nothing is fetched). */
async function checkedAddress(hostname: string, policy: DownloadPolicy): Promise<LookupAddress> {
  const literal = hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = isIP(literal) ? [{ address: literal, family: isIP(literal) }] : await policy.lookup(hostname);
  } catch (error) {
    throw new DownloadError(`Cannot resolve ${hostname}: ${(error as Error).message}`, 'failed');
  }
  const [first] = addresses;
  // All of them: a name that also resolves to a private address is not Teams' storage.
  if (!first || addresses.some((a) => !isAllowedAddress(a.address, policy.allowLoopback)))
    throw new DownloadError(`${hostname} resolves to an address that is not public.`, 'refused', 'address');
  return first;
}

/** GET on a connection to `pinned` (TLS still checks the certificate against the URL's name). */
function get(url: URL, pinned: LookupAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      signal,
      lookup: (_hostname, options, callback) => {
        // Node asks for every address when it may try several; either way, only the checked one.
        if ((options as { all?: boolean }).all) callback(null, [pinned] as never, pinned.family);
        else callback(null, pinned.address, pinned.family);
      },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readLimited(response: IncomingMessage, maxBytes: number): Promise<Buffer[]> {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    response.destroy();
    throw new DownloadError(`Download answered ${status}, a redirect: not followed.`, 'refused', 'redirect');
  }
  if (status < 200 || status >= 300) {
    response.destroy();
    throw new DownloadError(`Download answered ${status}.`, 'failed');
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new DownloadError('The file is too large.', 'too_large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        response.destroy();
        throw new DownloadError('The file is too large.', 'too_large');
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`Download failed: ${(error as Error).message}`, 'failed');
  }
  return chunks;
}
