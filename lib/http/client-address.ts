import 'server-only';
import type { IncomingMessage } from 'node:http';
import http from 'node:http';
import { env } from '../env';

/**
 * The client address of a request, from X-Forwarded-For as pinned by pinForwardedFor():
 * the last TRUST_PROXY entries were appended by our own proxies, the one before them by the first
 * of those proxies, about the client. Entries further left are whatever the client sent, never used.
 * Without a proxy (TRUST_PROXY=0) the header holds only the socket address.
 */
export function clientAddress(headers: Headers, trustedProxies = env.TRUST_PROXY): string {
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-(trustedProxies + 1)) ?? hops[0] ?? 'unknown';
}

/** What pinForwardedFor() makes of an incoming header: the client's own entries, then the socket address. */
export function pinnedForwardedFor(incoming: string | string[] | undefined, socketAddress: string | undefined, trustedProxies: number): string | undefined {
  if (!socketAddress) return undefined;
  // Directly exposed: nothing the client wrote is kept, so it cannot pose as another address.
  if (trustedProxies === 0 || incoming === undefined) return socketAddress;
  return `${Array.isArray(incoming) ? incoming.join(', ') : incoming}, ${socketAddress}`;
}

const PINNED = Symbol.for('ledger.forwardedForPinned');

/**
 * Next fills X-Forwarded-For with the socket address only when the request has none, so a client
 * could choose its own address for the rate limits and the sign-in lockout (and, the same way, its own
 * X-Forwarded-Host). Route handlers never see
 * the socket, so the header is rewritten as each request arrives at this process's HTTP server,
 * before Next reads it (called once at start-up from instrumentation.ts).
 */
export function pinForwardedFor(trustedProxies = env.TRUST_PROXY) {
  const proto = http.Server.prototype as unknown as { emit: (event: string, ...args: unknown[]) => boolean; [PINNED]?: boolean };
  if (proto[PINNED]) return;
  proto[PINNED] = true;
  const emit = proto.emit;
  proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as IncomingMessage;
      const pinned = pinnedForwardedFor(req.headers['x-forwarded-for'], req.socket?.remoteAddress, trustedProxies);
      if (pinned) req.headers['x-forwarded-for'] = pinned;
      // Directly exposed, X-Forwarded-Host is the client's own: Next's server-action check would trust
      // it, so drop it (Next then fills it from Host). lib/http/same-origin.ts reads Host alone here.
      if (trustedProxies === 0) delete req.headers['x-forwarded-host'];
    }
    return emit.call(this, event, ...args);
  };
}
