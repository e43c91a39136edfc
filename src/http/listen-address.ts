/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return /^127\./.test(host) || host === '::1';
}

/** `127.0.0.1 port 3978 (this machine only), http://127.0.0.1:3978`: where, and who can reach it. */
export function describeListening(host: string, url: string): string {
  const who = isLoopback(host) ? 'this machine only' : 'other machines can reach it';
  return `${host} port ${new URL(url).port} (${who}), ${url}`;
}
