import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth/config';

// Only three jobs here: refresh the session cookie (the idle timeout slides with each request),
// a per-request CSP nonce, and no-store. Authorization is in lib/, where data is read.
const handler = auth((req) => {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const dev = process.env.NODE_ENV !== 'production';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('content-security-policy', csp);
  res.headers.set('cache-control', 'no-store');
  return res;
});

// With a lazily built Auth.js config, auth(fn) hands back a promise of the wrapped function.
export default async function proxy(req: NextRequest, ev: NextFetchEvent) {
  const wrapped = (await (handler as unknown)) as (req: NextRequest, ev: NextFetchEvent) => Promise<Response>;
  return wrapped(req, ev);
}

export const config = {
  // CSV uploads bypass the proxy: it would hold the whole body in memory and cut it at 10 MB.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/v1/testimonies/import|testimonies/import/upload).*)'],
};
