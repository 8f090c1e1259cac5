import { describe, expect, it } from 'vitest';
import { isSameOrigin, refuseCrossSitePost } from './same-origin';

const HOST = 'ledger.example.org';
const post = (path: string, headers: Record<string, string>, method = 'POST') => new Request(`https://${HOST}${path}`, { method, headers: { host: HOST, ...headers } });

describe('isSameOrigin', () => {
  it('accepts an Origin naming this host, or Sec-Fetch-Site: same-origin when there is no Origin or it is "null"', () => {
    expect(isSameOrigin(new Headers({ host: HOST, origin: `https://${HOST}` }))).toBe(true);
    expect(isSameOrigin(new Headers({ host: HOST, 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOrigin(new Headers({ host: HOST, origin: 'null', 'sec-fetch-site': 'same-origin' }))).toBe(true);
  });

  it('refuses a post that cannot show where it came from, or that came from another site', () => {
    const cases: Record<string, string>[] = [
      {},
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'none' },
      { origin: 'https://evil.example' },
      { origin: `https://${HOST}.evil.example` },
      { origin: 'not a url' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of cases) {
      expect(isSameOrigin(new Headers({ host: HOST, ...headers })), JSON.stringify(headers)).toBe(false);
    }
  });
});

describe('the host an Origin is compared with', () => {
  it('without a trusted proxy (TRUST_PROXY=0) is Host: an X-Forwarded-Host the client wrote does not count', () => {
    const forged = new Headers({ host: HOST, origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' });
    expect(isSameOrigin(forged, 0)).toBe(false);
    expect(isSameOrigin(new Headers({ host: HOST, origin: `https://${HOST}`, 'x-forwarded-host': 'evil.example' }), 0)).toBe(true);
  });

  it("behind a trusted proxy is the proxy's X-Forwarded-Host (first entry), else Host", () => {
    const proxied = { host: '10.0.0.5:3000', origin: `https://${HOST}` };
    expect(isSameOrigin(new Headers({ ...proxied, 'x-forwarded-host': HOST }), 1)).toBe(true);
    expect(isSameOrigin(new Headers({ ...proxied, 'x-forwarded-host': `${HOST}, 10.0.0.5:3000` }), 1)).toBe(true);
    expect(isSameOrigin(new Headers({ ...proxied, 'x-forwarded-host': 'other.example' }), 1)).toBe(false);
    expect(isSameOrigin(new Headers({ host: HOST, origin: `https://${HOST}` }), 1)).toBe(true);
  });
});

describe('refuseCrossSitePost (proxy.ts, before a server action runs)', () => {
  it('answers 403 in the error shape to a post to a page without Origin or from another site', async () => {
    const cases: Record<string, string>[] = [{ 'next-action': '7f00' }, { origin: 'https://evil.example', 'next-action': '7f00' }, { origin: 'null', 'content-type': 'multipart/form-data; boundary=x' }];
    for (const headers of cases) {
      const res = refuseCrossSitePost(post('/publications/new', headers));
      expect(res?.status, JSON.stringify(headers)).toBe(403);
      expect(res!.headers.get('content-type')).toMatch(/application\/json/);
      expect(await res!.json()).toMatchObject({ error: { code: 'forbidden', message: 'Cross-site request refused.', requestId: expect.any(String) } });
    }
  });

  it('lets reads, our own pages, and the API (which checks its cookie requests itself) through', () => {
    expect(refuseCrossSitePost(post('/publications/new', {}, 'GET'))).toBeNull();
    expect(refuseCrossSitePost(post('/publications/new', { origin: `https://${HOST}`, 'next-action': '7f00' }))).toBeNull();
    expect(refuseCrossSitePost(post('/sign-in', { 'sec-fetch-site': 'same-origin' }))).toBeNull();
    expect(refuseCrossSitePost(post('/api/v1/testimonies', { authorization: 'Bearer tl_x' }))).toBeNull();
  });
});
