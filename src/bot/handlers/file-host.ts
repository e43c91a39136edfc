// Where the bot may fetch a shared file from: the hosts Teams keeps files on, and, after name
// resolution, only public addresses. A pure judge: download-file.ts connects to what it allows.
import { BlockList, isIP } from 'node:net';

/** Teams stores a chat's files in OneDrive and SharePoint, in each Microsoft cloud. */
const FILE_HOST_SUFFIXES = [
  '.sharepoint.com',
  '.sharepoint-df.com', // Microsoft's own pre-release ring
  '.sharepoint.us', // GCC High
  '.sharepoint-mil.us', // DoD
  '.sharepoint.cn', // 21Vianet
  '.onedrive.com',
  '.1drv.com',
];

export type HostRefusal = 'host' | 'http' | 'address';

/** Whether the name is one Teams keeps files on (a suffix match on whole labels). */
export function isTeamsFileHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return FILE_HOST_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Not on the internet: private, shared, link-local (cloud metadata at 169.254.169.254), multicast,
// reserved, and IPv6 forms that can carry any IPv4 address (mapped, NAT64, 6to4). Two lists: a
// BlockList checks an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), so one list of both
// would find every IPv4 address in ::ffff:0:0/96.
const notPublic4 = new BlockList();
const notPublic6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  notPublic4.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  notPublic6.addSubnet(net, bits, 'ipv6');

/** Whether the bot may connect to `address`: a public one, or loopback when `allowLoopback`. */
export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allowLoopback && loopback.check(address, type)) return true;
  return !(family === 4 ? notPublic4 : notPublic6).check(address, type);
}

/** Loopback by name or literal: what local mode (tests, the Agents Playground) may also use. */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, '');
  if (name.toLowerCase() === 'localhost') return true;
  const family = isIP(name);
  return family !== 0 && loopback.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the URL may not be fetched at all (before any name is resolved), or undefined. */
export function refuseUrl(url: URL, allowLoopback: boolean): HostRefusal | undefined {
  const local = allowLoopback && isLoopbackHost(url.hostname);
  if (!isTeamsFileHost(url.hostname) && !local) return 'host';
  if (url.protocol === 'https:') return undefined;
  return url.protocol === 'http:' && local ? undefined : 'http';
}
