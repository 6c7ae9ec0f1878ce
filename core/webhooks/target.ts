// Which addresses a webhook may reach: public unicast only, unless FERRY_WEBHOOK_ALLOW names the host.
// The same rules run when a spec is registered and again on the address each delivery connects to.
import { FailureType, typedError } from '../errors.js';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** What the checks need: the allowlist and the ports of the stack's own servers. */
export interface WebhookTargetPolicy {
  /** Lower-case hosts or host:port (IPv6 in brackets when a port follows) from FERRY_WEBHOOK_ALLOW. */
  allow: readonly string[];
  /** Ports Ferry's own servers (Temporal, MinIO, API, worker) listen on. */
  ownPorts: readonly number[];
}

/** Thrown when a webhook URL or the address it resolves to is not an allowed target. */
export class WebhookTargetRefusedError extends typedError(FailureType.WebhookTargetRefused) {
  constructor(
    readonly host: string,
    readonly rule: string,
  ) {
    super(`webhook host "${host}" refused: ${rule}`);
  }
}

// "[::1]" → "::1"; "localhost." → "localhost" (a trailing dot names the same host).
const bare = (host: string) =>
  host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/** The URL's host and port (default 80/443), or a refusal for anything but http(s). */
export function targetOf(url: string): { host: string; port: number; protocol: 'http:' | 'https:' } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new WebhookTargetRefusedError('(unparseable)', 'must be an http(s) URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new WebhookTargetRefusedError(u.hostname, 'must be an http(s) URL');
  if (u.username || u.password)
    throw new WebhookTargetRefusedError(u.hostname, 'must not carry credentials in the URL');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { host: bare(u.hostname), port, protocol: u.protocol };
}

function allowed(policy: WebhookTargetPolicy, host: string, port: number): 'host' | 'host-port' | false {
  const withPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  if (policy.allow.includes(withPort)) return 'host-port';
  if (policy.allow.map(bare).includes(host)) return 'host';
  return false;
}

/** Why this address may not be reached, or undefined when it may (public unicast, or allowed). */
export function addressRefusal(
  policy: WebhookTargetPolicy,
  host: string,
  address: string,
  port: number,
): string | undefined {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
  const ip = ipaddr.process(address);
  const range = ip.range();
  const granted = allowed(policy, host, port);
  // Ferry's own servers only with the exact host:port in the allowlist, never by host alone.
  if (policy.ownPorts.includes(port) && range !== 'unicast' && granted !== 'host-port')
    return `${address}:${port} is one of the stack's own servers`;
  if (granted) return undefined;
  if (range !== 'unicast') return `${address} is a ${range} address (not public unicast)`;
  // IPv4-compatible IPv6 (::a.b.c.d, deprecated) embeds an IPv4 address that range() calls unicast.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).toNormalizedString().startsWith('0:0:0:0:0:0:'))
    return `${address} is an IPv4-compatible IPv6 address`;
  return undefined;
}

/** Refuses the host when it is an IP literal or a name that is not public; resolves names. */
export async function checkWebhookUrl(
  policy: WebhookTargetPolicy,
  url: string,
  options: { resolve: 'must' | 'if-possible' | 'never' },
): Promise<void> {
  const { host, port } = targetOf(url);
  if (ipaddr.isValid(host)) {
    const why = addressRefusal(policy, host, host, port);
    if (why) throw new WebhookTargetRefusedError(host, why);
    return;
  }
  if ((host === 'localhost' || host.endsWith('.localhost')) && !allowed(policy, host, port))
    throw new WebhookTargetRefusedError(host, 'is loopback (localhost)');
  if (options.resolve === 'never') return;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (err) {
    // At registration a receiver's name may not resolve yet; every delivery checks again.
    if (options.resolve === 'if-possible') return;
    throw new WebhookTargetRefusedError(host, `does not resolve (${(err as NodeJS.ErrnoException).code})`);
  }
  for (const { address } of addresses) {
    const why = addressRefusal(policy, host, address, port);
    if (why) throw new WebhookTargetRefusedError(host, `resolves to ${why}`);
  }
}
