// The Content-Security-Policy of every page; proxy.ts sets it with the request's nonce (Next reads
// the nonce from it for its own inline scripts).
//
// Styles: our CSS is a file (app/globals.css) and no component writes a style attribute (a heat
// table shades its cells by class), so production needs no 'unsafe-inline' for styles. Next's
// production pages write no inline <style> and no style attribute; its route announcer sets styles
// through the CSSOM (element.style), which a CSP does not govern. The development server injects
// its CSS as <style> elements and evaluates scripts for hot reloading: only there are both allowed.

export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  const dev = opts.dev ?? process.env.NODE_ENV !== 'production';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
