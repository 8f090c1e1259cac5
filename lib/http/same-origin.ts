import 'server-only';
import { env } from '../env';
import { Forbidden, problem, toErrorBody } from '../errors';
import { requestIdFrom } from './request-id';

/** The headers this check reads: a Request's, or Next's headers() in a server action. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The host the client asked for. Behind our proxies (TRUST_PROXY > 0) the proxy's X-Forwarded-Host
 * (its first entry, as Next's own server-action check reads it), else Host. Without a proxy,
 * X-Forwarded-Host is whatever the client wrote: only Host counts (and pinForwardedFor drops the
 * header as the request arrives, so Next's check agrees).
 */
export function requestHost(headers: HeaderSource, trustedProxies = env.TRUST_PROXY): string | null {
  const forwarded = trustedProxies > 0 ? headers.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return forwarded || headers.get('host');
}

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request comes from one of our own pages. Cookies ride along on
 * cross-site requests, so every changing request a session may make (API calls with the cookie,
 * server actions, form posts) must carry proof: an Origin naming this host, or, when there is no
 * Origin or it is "null" (a plain form post under Referrer-Policy: no-referrer), the browser's own
 * Sec-Fetch-Site: same-origin, which a page cannot set. A request with neither is refused.
 */
export function isSameOrigin(headers: HeaderSource, trustedProxies = env.TRUST_PROXY): boolean {
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return headers.get('sec-fetch-site') === 'same-origin';
  const host = requestHost(headers, trustedProxies);
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A server action is a POST to a page, and the session cookie rides along on a cross-site one.
 * Next lets one without Origin through, and answers a foreign Origin with a bare 500; proxy.ts
 * answers both here with 403 in the error shape. (formAction and the other actions check again, so
 * nothing depends on the proxy having run.) The API checks its own cookie requests (optionalActor
 * in lib/actor.ts); a token request carries no cookie to abuse.
 */
export function refuseCrossSitePost(req: Request): Response | null {
  if (SAFE_METHODS.has(req.method) || new URL(req.url).pathname.startsWith('/api/') || isSameOrigin(req.headers)) return null;
  const requestId = requestIdFrom(req.headers);
  const { status, body } = toErrorBody(new Forbidden(problem('crossSite')), requestId);
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', 'x-request-id': requestId } });
}
