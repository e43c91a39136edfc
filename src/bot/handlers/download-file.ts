// The one outside URL the bot fetches: a file Teams hands it (a personal chat's attachment).

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly reason: 'too_large' | 'failed',
  ) {
    super(message);
  }
}

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * GETs exactly `url` (no redirects to elsewhere), as text, refusing it past `maxBytes` (declared or
 * counted) or `timeoutMs`. Only https, or http on loopback (local runs and tests).
 */
export async function downloadText(url: string, limits: DownloadLimits): Promise<string> {
  const parsed = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new DownloadError(`Refusing to download from ${parsed.protocol} URL.`, 'failed');
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(parsed, { redirect: 'error', signal });
  } catch (error) {
    throw new DownloadError(`Download failed: ${(error as Error).message}`, 'failed');
  }
  if (!response.ok || !response.body)
    throw new DownloadError(`Download answered ${response.status}.`, 'failed');
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await response.body.cancel();
    throw new DownloadError('The file is too large.', 'too_large');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw new DownloadError('The file is too large.', 'too_large');
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`Download failed: ${(error as Error).message}`, 'failed');
  }
  return Buffer.concat(chunks).toString('utf8');
}
