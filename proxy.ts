import { createHmac } from 'node:crypto';
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth/config';
import { contentSecurityPolicy } from '@/lib/http/csp';
import { requestIdFrom } from '@/lib/http/request-id';
import { refuseCrossSitePost } from '@/lib/http/same-origin';
import { localeFrom } from '@/lib/i18n/negotiate';
import { authSecret } from '@/lib/secrets';
import { etagMatches, summaryEtag } from '@/lib/summaries/downloads';
import { CACHE_STATUS_HEADER, isRenderRequest, ownOrigin, pageCache, renderOwnPage, RENDER_HEADER, type StoredPage } from '@/lib/summaries/page-cache';
import { PUBLIC_PAGE_CACHE, summaryTag } from '@/lib/summaries/public';

// Only these jobs here: refresh the session cookie (the idle timeout slides with each request), a
// CSP nonce, no-store, the request id (x-request-id, on the request and the response), the ETag of
// public summary pages, and refusing cross-site posts to pages (server actions) in the error shape.
// Authorization is in lib/, where data is read.

function withCsp(req: NextRequest, nonce: string, extra: Record<string, string>) {
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(req.headers);
  const requestId = requestIdFrom(req.headers);
  requestHeaders.set('x-request-id', requestId);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp); // Next reads the nonce from here for its own scripts
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('content-security-policy', csp);
  res.headers.set('x-request-id', requestId);
  for (const [k, v] of Object.entries(extra)) res.headers.set(k, v);
  return res;
}

const SUMMARY_PAGE = /^\/summaries\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/v\/(\d{1,7}))?$/;
const SESSION_COOKIE = /^(__Host-)?tl\.session(\.\d+)?$/;
const OWN_CACHE_HEADERS = /^\/(summaries\/[a-z0-9-]+\.(csv|json)|api\/v1\/summaries(\/[^/]*)?)$/;

/**
 * A summary page read by a signed-out visitor is the same document for everyone who shares its
 * snapshot, version and interface language, so it may be stored (PUBLIC_PAGE_CACHE) and
 * revalidated by ETag: a match answers 304 here, before anything is rendered.
 *
 * The nonce: Next always writes inline scripts (the RSC payload, `self.__next_f.push(…)`) even on a
 * page without client components, so the CSP needs a nonce or 'unsafe-inline'. A per-request nonce
 * cannot work with a cached body: after a 304 the browser keeps the old body (old nonces) but takes
 * the new CSP header, and Next's scripts would be refused. So the nonce of a cacheable page is an
 * HMAC of its ETag under the server secret: unpredictable before the page exists, and the same for
 * every copy of that page. A nonce that is stable per page is only as good as the page's inability to
 * reflect request input: these pages render the frozen snapshot and the interface language, nothing
 * of the URL or headers, and the Markdown body is rendered with raw HTML off
 * (lib/summaries/markdown.ts). Signed-in requests, which do carry per-user markup, keep a fresh
 * nonce and no-store; so do every other page and the RSC (client navigation) requests.
 */
async function publicSummaryResponse(req: NextRequest): Promise<Response | null> {
  if (req.headers.has('rsc') || req.headers.has('next-router-prefetch') || req.headers.has('next-action')) return null;
  const m = SUMMARY_PAGE.exec(req.nextUrl.pathname);
  if (!m) return null;
  const askedVersion = m[2] ?? req.nextUrl.searchParams.get('version');
  let tag: Awaited<ReturnType<typeof summaryTag>>;
  try {
    tag = await summaryTag(m[1]!, askedVersion);
  } catch {
    return null; // the database cannot answer now: the page itself answers (and says so), uncached
  }
  if (!tag) return null; // the page answers 404 itself, uncached
  const locale = localeFrom(req.cookies.get('tl.locale')?.value, req.headers.get('accept-language'));
  const etag = summaryEtag({ ...tag, locale, form: 'html' });
  const headers = { etag, 'cache-control': PUBLIC_PAGE_CACHE, vary: 'Cookie, Accept-Language' };
  if (etagMatches(req.headers.get('if-none-match'), etag)) return new NextResponse(null, { status: 304, headers: { ...headers, 'x-request-id': requestIdFrom(req.headers) } });
  const secret = authSecret();
  const nonce = createHmac('sha256', secret).update(`csp-nonce|${etag}`).digest('base64').slice(0, 24);
  const origin = ownOrigin();
  const cache = pageCache();
  if (!origin || cache.paused || isRenderRequest(req.headers.get(RENDER_HEADER), secret)) return withCsp(req, nonce, headers);

  // One address per version, however the reader spelled it (/v/01, ?version=1.0): other query text
  // and other spellings never make another copy.
  const address = m[2] !== undefined ? `/summaries/${m[1]}/v/${tag.version}` : askedVersion === null ? `/summaries/${m[1]}` : `/summaries/${m[1]}?version=${tag.version}`;
  const asReader: Record<string, string> = { 'accept-language': req.headers.get('accept-language') ?? '' };
  const chosen = req.cookies.get('tl.locale')?.value;
  if (chosen) asReader.cookie = `tl.locale=${encodeURIComponent(chosen)}`;
  const { page, hit } = await cache.getOrRender(`${etag}|${address}`, () => renderOwnPage(origin, address, asReader, secret));
  if (!page) return withCsp(req, nonce, headers); // could not render into the cache: render this request as usual
  return storedResponse(req, page, { ...headers, [CACHE_STATUS_HEADER]: hit ? 'hit' : 'miss', 'x-request-id': requestIdFrom(req.headers) });
}

function storedResponse(req: NextRequest, page: StoredPage, extra: Record<string, string>): Response {
  const headers = new Headers(page.headers);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new NextResponse(req.method === 'HEAD' ? null : (page.body as BodyInit), { status: page.status, headers });
}

const randomNonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');

// Signed in (or any other request): a fresh nonce and no-store, whatever the route says.
const handler = auth(async (req) => withCsp(req, randomNonce(), { 'cache-control': 'no-store' }));

// With a lazily built Auth.js config, auth(fn) hands back a promise of the wrapped function.
export default async function proxy(req: NextRequest, ev: NextFetchEvent) {
  // Server actions are POSTs to pages: one from another site answers 403 in the error shape here.
  const refused = refuseCrossSitePost(req);
  if (refused) return refused;
  // Signed-out reads of public summaries skip Auth.js: there is no session to refresh, and its
  // cookies (CSRF token, callback address) must never ride on a response a shared cache may keep.
  const anonymous = (req.method === 'GET' || req.method === 'HEAD') && !req.cookies.getAll().some((c) => SESSION_COOKIE.test(c.name));
  if (anonymous) {
    const page = await publicSummaryResponse(req);
    if (page) return page;
    // Downloads and the public summary API set their own cache headers and ETag (route handlers).
    if (OWN_CACHE_HEADERS.test(req.nextUrl.pathname)) return withCsp(req, randomNonce(), {});
  }
  const wrapped = (await (handler as unknown)) as (req: NextRequest, ev: NextFetchEvent) => Promise<Response>;
  return wrapped(req, ev);
}

export const config = {
  // CSV uploads bypass the proxy: it would hold the whole body in memory and cut it at 10 MB.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/v1/testimonies/import|testimonies/import/upload).*)'],
};
