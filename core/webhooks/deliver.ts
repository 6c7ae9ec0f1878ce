// Sends one webhook: checks the target, connects only to addresses that pass the checks (the lookup
// the socket uses is ours, so a name that changes its answer between checks cannot slip through),
// signs the body and follows no redirect.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signatureHeader, signWebhook } from './signature.js';
import {
  addressRefusal,
  checkWebhookUrl,
  targetOf,
  WebhookTargetRefusedError,
  type WebhookTargetPolicy,
} from './target.js';

/** The receiver's answer; only 2xx counts as delivered. */
export interface WebhookResponse {
  status: number;
}

/** A lookup that resolves as usual and refuses when any address is not an allowed target. */
export function guardedLookup(policy: WebhookTargetPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = addressRefusal(policy, hostname.toLowerCase(), a.address, port);
        if (why) return callback(new WebhookTargetRefusedError(hostname, `resolves to ${why}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** POSTs the JSON body with its signature; throws WebhookTargetRefusedError before any byte is sent to a refused address. */
export async function deliverWebhook(o: {
  url: string;
  body: string;
  secret: string;
  policy: WebhookTargetPolicy;
  now: Date;
  headers?: Record<string, string>;
  timeoutMs?: number;
}): Promise<WebhookResponse> {
  const { host, port, protocol } = targetOf(o.url);
  // IP literals never reach the lookup: check them here; names are checked by the lookup itself.
  await checkWebhookUrl(o.policy, o.url, { resolve: 'never' });
  const request = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookResponse>((resolve, reject) => {
    const req = request(
      o.url,
      {
        method: 'POST',
        lookup: guardedLookup(o.policy, port),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ferry-webhook',
          [signatureHeader]: signWebhook(o.secret, o.body, o.now),
          ...o.headers,
        },
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      },
      (res) => {
        // The body is not read: a receiver's answer is its status, and a redirect is not followed.
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        const why = socket.remoteAddress
          ? addressRefusal(o.policy, host, socket.remoteAddress, port)
          : 'no peer address';
        if (why) req.destroy(new WebhookTargetRefusedError(host, `connected to ${why}`));
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
