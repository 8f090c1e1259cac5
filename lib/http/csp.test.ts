import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

const directives = (policy: string) => Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('Content-Security-Policy', () => {
  it("in production allows no inline style and no inline or eval'd script: styles come from our own files", () => {
    const policy = contentSecurityPolicy('bm9uY2Vub25jZW5vbmNl', { dev: false });
    expect(policy).not.toContain("'unsafe-inline'");
    expect(policy).not.toContain("'unsafe-eval'");
    const d = directives(policy);
    expect(d['style-src']).toEqual(["'self'"]);
    expect(d['script-src']).toEqual(["'self'", "'nonce-bm9uY2Vub25jZW5vbmNl'", "'strict-dynamic'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
  });

  it('in development lets Next inject its styles and evaluate its scripts (hot reloading)', () => {
    const d = directives(contentSecurityPolicy('x', { dev: true }));
    expect(d['style-src']).toContain("'unsafe-inline'");
    expect(d['script-src']).toContain("'unsafe-eval'");
  });
});
